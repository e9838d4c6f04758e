/* Exercises the functions added after the first C ABI: options (date,
 * post-size limit, evasion, unmasking), the per-reason accessors (line,
 * column, excerpt, decided_by), redaction, JSON with an id and
 * preclear_string_free, the error accessors (kind, line, column, pack,
 * rule) on each kind of failure, and NUL bytes in pack text and posts.
 * Exits non-zero on the first failed check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "preclear.h"

static int failures = 0;

#define CHECK(cond)                                                        \
  do {                                                                     \
    if (!(cond)) {                                                         \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__,     \
              #cond);                                                      \
      failures++;                                                          \
    }                                                                      \
  } while (0)

/* a == b, where either may be NULL. */
static int same(const char *a, const char *b) {
  return (a == NULL || b == NULL) ? a == b : strcmp(a, b) == 0;
}

static const char ORG[] =
    "[pack]\n"
    "name = \"org\"\n"
    "version = \"1.0.0\"\n"
    "\n"
    "[[rules]]\n"
    "id = \"org.launch\"\n"
    "kind = \"terms\"\n"
    "terms = [\"falcon launch\"]\n"
    "category = \"confidential\"\n"
    "score = 40\n"
    "action = \"warn\"\n"
    "message = \"Not public yet.\"\n"
    "active_until = \"2026-12-03\"\n"
    "\n"
    "[[rules]]\n"
    "id = \"org.customer-id\"\n"
    "kind = \"pattern\"\n"
    "pattern = '\\bAC-\\d{8}\\b'\n"
    "category = \"pii\"\n"
    "score = 100\n"
    "action = \"block\"\n"
    "mask = true\n"
    "message = \"Remove the customer id.\"\n";

static const char TEAM[] =
    "[pack]\n"
    "name = \"team\"\n"
    "version = \"0.1.0\"\n"
    "level = \"team\"\n"
    "\n"
    "[[overrides]]\n"
    "rule = \"org.launch\"\n"
    "action = \"block\"\n";

static const char POST[] = "Falcon launch soon!\nticket AC-12345678 closed";

static preclear_policy *org_and_team(void) {
  preclear_error *err = NULL;
  preclear_policy *p = preclear_policy_new();
  CHECK(preclear_policy_add_toml(p, ORG, strlen(ORG), &err) == 0);
  CHECK(preclear_policy_add_toml(p, TEAM, strlen(TEAM), &err) == 0);
  CHECK(err == NULL);
  return p;
}

/* Builds a screener over org+team with options set by the caller. */
static preclear_screener *build(const preclear_options *o) {
  preclear_error *err = NULL;
  preclear_policy *p = org_and_team();
  preclear_screener *s = preclear_screener_new_with_options(p, o, &err);
  CHECK(s != NULL && err == NULL);
  preclear_policy_free(p);
  return s;
}

static preclear_verdict *screen(const preclear_screener *s, const char *t) {
  preclear_error *err = NULL;
  preclear_verdict *v = preclear_screen(s, t, strlen(t), &err);
  CHECK(v != NULL && err == NULL);
  return v;
}

static void reasons_and_redaction(void) {
  preclear_options *o = preclear_options_new();
  CHECK(o != NULL);
  preclear_error *err = NULL;
  CHECK(preclear_options_set_now(o, "2026-12-01", &err) == 0 && err == NULL);
  preclear_screener *s = build(o);
  preclear_options_free(o); /* the screener does not need them */
  preclear_verdict *v = screen(s, POST);
  CHECK(preclear_verdict_decision(v) == PRECLEAR_BLOCK);
  CHECK(preclear_verdict_reason_count(v) == 2);

  /* Reason 0: the launch term, overridden by the team pack. */
  preclear_reason r;
  CHECK(preclear_verdict_reason(v, 0, &r) == 0);
  CHECK(same(r.rule, "org.launch") && same(r.pack, "org"));
  CHECK(r.action == PRECLEAR_BLOCK && r.start == 0 && r.end == 13);
  CHECK(same(preclear_verdict_reason_decided_by(v, 0), "team"));
  CHECK(preclear_verdict_reason_line(v, 0) == 1);
  CHECK(preclear_verdict_reason_column(v, 0) == 1);
  CHECK(same(preclear_verdict_reason_excerpt(v, 0), "Falcon launch soon!"));

  /* Reason 1: the masked customer id on line 2. */
  CHECK(preclear_verdict_reason(v, 1, &r) == 0);
  CHECK(same(r.rule, "org.customer-id") && r.start == 27 && r.end == 38);
  CHECK(same(preclear_verdict_reason_decided_by(v, 1), "org"));
  CHECK(preclear_verdict_reason_line(v, 1) == 2);
  CHECK(preclear_verdict_reason_column(v, 1) == 8);
  const char *ex = preclear_verdict_reason_excerpt(v, 1);
  /* A value under 12 letters and digits shows none of them. */
  CHECK(same(ex, "ticket \xe2\x80\xa2\xe2\x80\xa2-\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2"
                 "\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2" " closed"));
  CHECK(preclear_verdict_reason_excerpt(v, 1) == ex); /* borrowed, stable */

  /* Out of range and NULL: 0 and NULL, never a crash. */
  CHECK(preclear_verdict_reason_line(v, 2) == 0);
  CHECK(preclear_verdict_reason_column(v, (size_t)-1) == 0);
  CHECK(preclear_verdict_reason_excerpt(v, 2) == NULL);
  CHECK(preclear_verdict_reason_decided_by(v, 2) == NULL);
  CHECK(preclear_verdict_reason_line(NULL, 0) == 0);
  CHECK(preclear_verdict_reason_column(NULL, 0) == 0);
  CHECK(preclear_verdict_reason_excerpt(NULL, 0) == NULL);
  CHECK(preclear_verdict_reason_decided_by(NULL, 0) == NULL);

  /* Redaction hides the masked id, nothing else. */
  char *red = preclear_verdict_redact(v, POST, strlen(POST), &err);
  CHECK(red != NULL && err == NULL);
  CHECK(same(red, "Falcon launch soon!\nticket \xe2\x80\xa2\xe2\x80\xa2-"
                  "\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2"
                  "\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2 closed"));
  preclear_string_free(red);
  /* Another post (another length) is refused. */
  CHECK(preclear_verdict_redact(v, POST, 5, &err) == NULL);
  CHECK(preclear_error_kind(err) == PRECLEAR_ERROR_INVALID_ARGUMENT);
  CHECK(strstr(preclear_error_message(err), "post of 45 bytes") != NULL);
  preclear_error_free(err);
  CHECK(preclear_verdict_redact(NULL, POST, strlen(POST), &err) == NULL);
  CHECK(preclear_error_kind(err) == PRECLEAR_ERROR_INVALID_ARGUMENT);
  preclear_error_free(err);
  CHECK(preclear_verdict_redact(v, NULL, 0, NULL) == NULL);

  /* JSON with an id of one's own, a new string each time. */
  char *json = preclear_verdict_to_json(v, "post-7");
  CHECK(json != NULL);
  CHECK(strncmp(json, "{\"id\":\"post-7\",\"verdict\":\"block\"", 31) == 0);
  CHECK(strstr(json, "\"decided_by\":\"team\"") != NULL);
  CHECK(strstr(json, "\"line\":2,\"column\":8") != NULL);
  CHECK(strstr(json, "12345678") == NULL); /* masked */
  char *again = preclear_verdict_to_json(v, "post-7");
  CHECK(again != json && same(again, json));
  preclear_string_free(again);
  preclear_string_free(json);
  CHECK(preclear_verdict_to_json(v, NULL) == NULL);
  CHECK(preclear_verdict_to_json(v, "\xff") == NULL);
  CHECK(preclear_verdict_to_json(NULL, "x") == NULL);
  preclear_string_free(NULL);
  preclear_verdict_free(v);
  preclear_screener_free(s);
}

static void options(void) {
  preclear_error *err = NULL;
  preclear_options *o = preclear_options_new();

  /* After active_until the launch rule is out of force. */
  CHECK(preclear_options_set_now(o, "2026-12-04", &err) == 0);
  preclear_screener *s = build(o);
  preclear_verdict *v = screen(s, "Falcon launch soon!");
  CHECK(preclear_verdict_decision(v) == PRECLEAR_ALLOW);
  preclear_verdict_free(v);
  preclear_screener_free(s);

  /* Bad dates are errors and leave the options as they were. */
  const char *bad[] = {"2026-02-30", "2026-12-1", "tomorrow", "", "\xff"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    CHECK(preclear_options_set_now(o, bad[i], &err) == -1);
    CHECK(err != NULL);
    int kind = preclear_error_kind(err);
    CHECK(kind == (i == 4 ? PRECLEAR_ERROR_UTF8
                          : PRECLEAR_ERROR_INVALID_ARGUMENT));
    /* A date that does not exist says why; a malformed one, the format. */
    if (i == 0) CHECK(strstr(preclear_error_message(err), "no February 30"));
    else if (i < 4) CHECK(strstr(preclear_error_message(err), "YYYY-MM-DD"));
    CHECK(preclear_error_line(err) == 0 && preclear_error_pack(err) == NULL);
    preclear_error_free(err);
  }
  CHECK(preclear_options_set_now(o, NULL, &err) == -1);
  CHECK(preclear_error_kind(err) == PRECLEAR_ERROR_INVALID_ARGUMENT);
  preclear_error_free(err);
  CHECK(preclear_options_set_now(NULL, "2026-01-01", NULL) == -1);
  s = build(o); /* still 2026-12-04 */
  v = screen(s, "Falcon launch soon!");
  CHECK(preclear_verdict_decision(v) == PRECLEAR_ALLOW);
  preclear_verdict_free(v);
  preclear_screener_free(s);

  /* Evasion: on by default, off on request. */
  CHECK(preclear_options_set_now(o, "2026-12-01", NULL) == 0);
  const char *leet = "F4lc0n l4unch soon!";
  s = build(o);
  v = screen(s, leet);
  CHECK(preclear_verdict_decision(v) == PRECLEAR_BLOCK);
  preclear_verdict_free(v);
  preclear_screener_free(s);
  CHECK(preclear_options_set_evasion(o, 0) == 0);
  s = build(o);
  v = screen(s, leet);
  CHECK(preclear_verdict_decision(v) == PRECLEAR_ALLOW);
  preclear_verdict_free(v);
  preclear_screener_free(s);
  CHECK(preclear_options_set_evasion(o, 7) == 0); /* any non-zero: on */

  /* Unmask: the excerpt shows the id, redaction hides nothing. */
  CHECK(preclear_options_set_unmask(o, 1) == 0);
  s = build(o);
  v = screen(s, POST);
  CHECK(same(preclear_verdict_reason_excerpt(v, 1),
             "ticket AC-12345678 closed"));
  char *red = preclear_verdict_redact(v, POST, strlen(POST), NULL);
  CHECK(same(red, POST));
  preclear_string_free(red);
  preclear_verdict_free(v);
  preclear_screener_free(s);
  CHECK(preclear_options_set_unmask(o, 0) == 0);

  /* The post-size limit: over it is a LIMIT error, never a truncation. */
  CHECK(preclear_options_set_max_post_bytes(o, 20) == 0);
  s = build(o);
  v = preclear_screen(s, POST, strlen(POST), &err);
  CHECK(v == NULL && preclear_error_kind(err) == PRECLEAR_ERROR_LIMIT);
  CHECK(strstr(preclear_error_message(err), "20") != NULL);
  CHECK(strstr(preclear_error_message(err), "AC-1234") == NULL);
  preclear_error_free(err);
  v = screen(s, "Falcon launch soon!"); /* 19 bytes: fine */
  CHECK(preclear_verdict_decision(v) == PRECLEAR_BLOCK);
  preclear_verdict_free(v);
  preclear_screener_free(s);

  /* NULL options everywhere. */
  CHECK(preclear_options_set_max_post_bytes(NULL, 1) == -1);
  CHECK(preclear_options_set_evasion(NULL, 1) == -1);
  CHECK(preclear_options_set_unmask(NULL, 1) == -1);
  preclear_options_free(NULL);
  preclear_options_free(o);

  /* NULL options: the defaults (today, so the dated rule may be out of
   * force; the customer id always blocks). */
  s = build(NULL);
  v = screen(s, "ticket AC-12345678");
  CHECK(preclear_verdict_decision(v) == PRECLEAR_BLOCK);
  preclear_verdict_free(v);
  preclear_screener_free(s);
  CHECK(preclear_screener_new_with_options(NULL, NULL, &err) == NULL);
  CHECK(preclear_error_kind(err) == PRECLEAR_ERROR_INVALID_ARGUMENT);
  preclear_error_free(err);
}

struct want_error {
  const char *what;
  const char *toml; /* added with preclear_policy_add_toml, or NULL */
  const char *bundled;
  int kind;
  size_t line, column;
  const char *pack, *rule, *in_message;
};

static const struct want_error ERRORS[] = {
    {"unknown key", "[pack]\nname = \"x\"\nversion = \"1\"\nscroe = 3\n",
     NULL, PRECLEAR_ERROR_TOML, 4, 1, "<toml>", NULL, "scroe"},
    {"bad regex",
     "[pack]\nname = \"x\"\nversion = \"1\"\n[[rules]]\nid = \"x.re\"\n"
     "kind = \"pattern\"\npattern = '(ab'\n",
     NULL, PRECLEAR_ERROR_REGEX, 7, 11, "<toml>", "x.re", "invalid regex"},
    {"unknown validator",
     "[pack]\nname = \"x\"\nversion = \"1\"\n[[rules]]\nid = \"x.v\"\n"
     "kind = \"pattern\"\npattern = '\\d+'\nvalidator = \"nope\"\n",
     NULL, PRECLEAR_ERROR_UNKNOWN_VALIDATOR, 0, 0, "<toml>", "x.v", "nope"},
    {"missing bundled pack", NULL, "no-such-pack",
     PRECLEAR_ERROR_MISSING_PACK, 0, 0, NULL, NULL, "no-such-pack"},
    {"NUL escape in a message",
     "[pack]\nname = \"x\"\nversion = \"1\"\n[[rules]]\nid = \"x.nul\"\n"
     "kind = \"terms\"\nterms = [\"a\"]\nscore = 1\n"
     "message = \"cut\\u0000here\"\n",
     NULL, PRECLEAR_ERROR_INVALID_PACK, 5, 6, "<toml>", "x.nul", "NUL byte"},
    {"NUL escape in a category",
     "[pack]\nname = \"x\"\nversion = \"1\"\n[[rules]]\nid = \"x.cat\"\n"
     "kind = \"terms\"\nterms = [\"a\"]\nscore = 1\n"
     "category = \"p\\u0000ii\"\n",
     NULL, PRECLEAR_ERROR_INVALID_PACK, 5, 6, "<toml>", "x.cat", "category"},
    {"NUL escape in an override's message",
     "[pack]\nname = \"y\"\nversion = \"1\"\nextends = [\"base\"]\n"
     "[[overrides]]\nrule = \"internal.marker\"\nmessage = \"a\\u0000\"\n",
     NULL, PRECLEAR_ERROR_INVALID_PACK, 5, 1, "<toml>",
     "internal.marker", "NUL byte"},
};

static void error_accessors(void) {
  for (size_t i = 0; i < sizeof ERRORS / sizeof ERRORS[0]; i++) {
    const struct want_error *w = &ERRORS[i];
    preclear_policy *p = preclear_policy_new();
    preclear_error *err = NULL;
    int rc = w->toml ? preclear_policy_add_toml(p, w->toml, strlen(w->toml),
                                                &err)
                     : preclear_policy_add_bundled(p, w->bundled, &err);
    CHECK(rc == -1 && err != NULL);
    if (!err) continue;
    int ok = preclear_error_kind(err) == w->kind &&
             (w->line == 0 || (preclear_error_line(err) == w->line &&
                               preclear_error_column(err) == w->column)) &&
             same(preclear_error_pack(err), w->pack) &&
             same(preclear_error_rule(err), w->rule) &&
             strstr(preclear_error_message(err), w->in_message) != NULL;
    if (!ok)
      fprintf(stderr, "%s: kind %d, %zu:%zu, pack %s, rule %s: %s\n", w->what,
              preclear_error_kind(err), preclear_error_line(err),
              preclear_error_column(err), preclear_error_pack(err),
              preclear_error_rule(err), preclear_error_message(err));
    CHECK(ok);
    preclear_error_free(err);
    /* The failed add left the policy empty: it compiles and allows. */
    preclear_screener *s = preclear_screener_new(p, NULL);
    preclear_verdict *v = screen(s, "a internal only");
    CHECK(preclear_verdict_reason_count(v) == 0);
    preclear_verdict_free(v);
    preclear_screener_free(s);
    preclear_policy_free(p);
  }

  /* A raw NUL byte in pack source is a TOML error with its position. */
  static const char raw[] = "[pack]\nname = \"x\"\nversion = \"1\"\n# a\0b\n";
  preclear_policy *p = preclear_policy_new();
  preclear_error *err = NULL;
  CHECK(preclear_policy_add_toml(p, raw, sizeof raw - 1, &err) == -1);
  CHECK(preclear_error_kind(err) == PRECLEAR_ERROR_TOML);
  CHECK(preclear_error_line(err) == 4 && preclear_error_column(err) > 0);
  preclear_error_free(err);

  /* The C ABI's own errors: no position, no pack, no rule. */
  CHECK(preclear_policy_add_bundled(NULL, "base", &err) == -1);
  CHECK(preclear_error_kind(err) == PRECLEAR_ERROR_INVALID_ARGUMENT);
  CHECK(preclear_error_line(err) == 0 && preclear_error_column(err) == 0);
  CHECK(preclear_error_pack(err) == NULL && preclear_error_rule(err) == NULL);
  preclear_error_free(err);
  CHECK(preclear_policy_add_toml(p, "\xff", 1, &err) == -1);
  CHECK(preclear_error_kind(err) == PRECLEAR_ERROR_UTF8);
  preclear_error_free(err);
  CHECK(preclear_policy_add_file(p, "/nonexistent/x.toml", &err) == -1);
  CHECK(preclear_error_kind(err) == PRECLEAR_ERROR_IO);
  CHECK(same(preclear_error_pack(err), "/nonexistent/x.toml"));
  preclear_error_free(err);
  preclear_policy_free(p);

  CHECK(preclear_error_kind(NULL) == -1);
  CHECK(preclear_error_line(NULL) == 0 && preclear_error_column(NULL) == 0);
  CHECK(preclear_error_pack(NULL) == NULL && preclear_error_rule(NULL) == NULL);
}

/* A post may hold NUL bytes (len says where it ends): excerpts show them
 * as U+2400, redaction refuses to return a C string cut short. */
static void nul_in_post(void) {
  preclear_screener *s = build(NULL);
  static const char post[] = "id AC-12345678\0 tail";
  size_t len = sizeof post - 1;
  preclear_error *err = NULL;
  preclear_verdict *v = preclear_screen(s, post, len, &err);
  CHECK(v != NULL && preclear_verdict_decision(v) == PRECLEAR_BLOCK);
  const char *ex = preclear_verdict_reason_excerpt(v, 0);
  CHECK(ex != NULL && strstr(ex, "\xe2\x80\xa2\xe2\x90\x80 tail") != NULL);
  CHECK(preclear_verdict_redact(v, post, len, &err) == NULL);
  CHECK(preclear_error_kind(err) == PRECLEAR_ERROR_INVALID_ARGUMENT);
  CHECK(strstr(preclear_error_message(err), "NUL byte (at byte 14)"));
  preclear_error_free(err);
  char *json = preclear_verdict_to_json(v, "n");
  CHECK(json != NULL && strlen(json) > 40); /* JSON escapes it */
  preclear_string_free(json);
  preclear_verdict_free(v);
  preclear_screener_free(s);
}

int main(void) {
  reasons_and_redaction();
  options();
  error_accessors();
  nul_in_post();
  if (failures) {
    fprintf(stderr, "%d checks failed\n", failures);
    return 1;
  }
  printf("accessors: all checks passed\n");
  return 0;
}
