//! One JSON Lines record `{"id": …, "text": …}`, read without copying: a
//! string with no escapes is borrowed from the line, not allocated.

use std::borrow::Cow;
use std::fmt;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// A record's id (if any) and text. The line is valid UTF-8 already, so
/// it is read as a `str` and not checked again.
pub fn parse(
    line: &str,
) -> Result<(Option<Cow<'_, str>>, Cow<'_, str>), String> {
    #[derive(serde::Deserialize)]
    struct Record<'a> {
        #[serde(borrow)]
        id: Option<Id<'a>>,
        #[serde(borrow)]
        text: Cow<'a, str>,
    }
    match serde_json::from_str::<Record>(line) {
        Ok(r) => Ok((r.id.map(|id| id.0), r.text)),
        // serde's message can quote the record's values (a card number
        // where the text should be): say where and what kind, not what.
        Err(e) => Err(format!(
            "invalid JSON input at column {}: {}",
            e.column(),
            match e.classify() {
                serde_json::error::Category::Data => {
                    "expected {\"id\": ..., \"text\": \"...\"} with a \
                     string text"
                }
                serde_json::error::Category::Eof => "unexpected end",
                _ => "syntax error",
            }
        )),
    }
}

/// An id as the output shows it: a string as it is, any other value
/// (a number, a list…) as its JSON. `null` never gets here: the `Option`
/// around it takes it as no id.
struct Id<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Id<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Id<'a>, D::Error> {
        d.deserialize_any(IdVisitor)
    }
}

struct IdVisitor;

/// Any value but a string goes through `Value`, so it prints exactly as
/// `Value` prints it.
fn shown<'a>(v: impl Into<Value>) -> Id<'a> {
    Id(Cow::Owned(v.into().to_string()))
}

impl<'de> Visitor<'de> for IdVisitor {
    type Value = Id<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Id<'de>, E> {
        Ok(Id(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Id<'de>, E> {
        Ok(Id(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Id<'de>, E> {
        Ok(Id(Cow::Owned(v)))
    }

    fn visit_bool<E>(self, v: bool) -> Result<Id<'de>, E> {
        Ok(shown(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Id<'de>, E> {
        Ok(shown(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Id<'de>, E> {
        Ok(shown(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Id<'de>, E> {
        Ok(shown(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(
        self,
        seq: A,
    ) -> Result<Id<'de>, A::Error> {
        Value::deserialize(SeqAccessDeserializer::new(seq)).map(shown)
    }

    fn visit_map<A: MapAccess<'de>>(
        self,
        map: A,
    ) -> Result<Id<'de>, A::Error> {
        Value::deserialize(MapAccessDeserializer::new(map)).map(shown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(line: &str) -> Option<String> {
        parse(line).unwrap().0.map(Cow::into_owned)
    }

    #[test]
    fn ids_read_as_their_value_prints() {
        for raw in
            ["1", "-3", "1.5", "1e2", "true", "[1,\"a\"]", "{\"b\":[2]}"]
        {
            let line = format!("{{\"id\": {raw}, \"text\": \"x\"}}");
            let want = serde_json::from_str::<Value>(raw).unwrap().to_string();
            assert_eq!(id(&line), Some(want), "{raw}");
        }
        assert_eq!(
            id(r#"{"id": "a\"b", "text": "x"}"#).as_deref(),
            Some("a\"b")
        );
        assert_eq!(id(r#"{"id": null, "text": "x"}"#), None);
        assert_eq!(id(r#"{"text": "x"}"#), None);
    }

    #[test]
    fn strings_without_escapes_are_borrowed() {
        let (id, text) = parse(r#"{"id": "p1", "text": "plain"}"#).unwrap();
        assert!(matches!(id, Some(Cow::Borrowed("p1"))));
        assert!(matches!(text, Cow::Borrowed("plain")));
        let (_, text) = parse(r#"{"text": "a\nb"}"#).unwrap();
        assert!(matches!(text, Cow::Owned(t) if t == "a\nb"));
    }
}
