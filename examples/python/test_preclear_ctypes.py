"""Tests of the ctypes client against the real library (run by
tests/capi.rs with $PRECLEAR_LIB set, from another directory)."""

import os
import sys
import tempfile
import threading
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from preclear_ctypes import Options, Policy, PreclearError, version  # noqa: E402

CARD_POST = "Please charge card 4111 1111 1111 1111 today"

PACK = """
[pack]
name = "acme"
version = "2.0.0"

[[rules]]
id = "acme.falcon"
kind = "terms"
terms = ["project falcon"]
score = 40
action = "warn"
message = "Falcon is not public yet."
"""


class ClientTest(unittest.TestCase):
    def setUp(self):
        self.screener = Policy().add_bundled("financial-institution").screener()

    def test_version(self):
        self.assertRegex(version(), r"^\d+\.\d+\.\d+")

    def test_block_with_span(self):
        v = self.screener.screen(CARD_POST)
        self.assertEqual(v.decision, "block")
        self.assertEqual(v.score, 100)
        self.assertEqual(len(v.reasons), 1)
        r = v.reasons[0]
        self.assertEqual((r.rule, r.pack, r.category), ("pii.payment-card", "financial-institution", "pii"))
        self.assertEqual((r.start, r.end), (19, 38))
        self.assertEqual(CARD_POST.encode()[r.start:r.end], b"4111 1111 1111 1111")
        self.assertEqual(v.json["verdict"], "block")
        self.assertEqual(v.json["id"], "-")
        self.assertNotIn("4111 1111 1111 1111", str(v.json))
        self.assertEqual((r.line, r.column, r.decided_by), (1, 20, "financial-institution"))
        self.assertEqual(r.excerpt, "charge card •••• •••• •••• 1111 today")
        self.assertEqual(v.redacted, "Please charge card •••• •••• •••• 1111 today")
        self.assertEqual(self.screener.screen(CARD_POST, id="p1").json["id"], "p1")

    def test_options(self):
        policy = Policy().add_bundled("financial-institution")
        unmasked = policy.screener(Options(now="2026-12-01", unmask=True, evasion=False))
        v = unmasked.screen(CARD_POST)
        self.assertEqual(v.reasons[0].excerpt, "charge card 4111 1111 1111 1111 today")
        self.assertEqual(v.redacted, CARD_POST)
        self.assertEqual(unmasked.screen("gu4r4nt33d returns").decision, "allow")
        self.assertEqual(self.screener.screen("gu4r4nt33d returns").decision, "block")
        small = policy.screener(Options(max_post_bytes=10))
        with self.assertRaises(PreclearError) as e:
            small.screen(CARD_POST)
        self.assertEqual(e.exception.kind, "limit")
        with self.assertRaises(PreclearError) as e:
            Options(now="2026-13-01")
        self.assertEqual((e.exception.kind, e.exception.line), ("invalid_argument", None))

    def test_allow(self):
        v = self.screener.screen("Our new branch opens Monday at 9am!")
        self.assertEqual((v.decision, v.score, v.reasons), ("allow", 0, []))

    def test_byte_offsets_with_non_ascii(self):
        post = "Café ☕ — guaranteed returns!"
        v = self.screener.screen(post)
        self.assertEqual(v.decision, "block")
        r = v.reasons[0]
        self.assertEqual(post.encode()[r.start:r.end].decode(), "guaranteed returns")

    def test_toml_and_file_packs(self):
        s = Policy().add_toml(PACK).screener()
        v = s.screen("PROJECT FALCON is coming")
        self.assertEqual((v.decision, v.score), ("warn", 40))
        with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as f:
            f.write(PACK)
        try:
            v = Policy().add_file(f.name).screener().screen("project falcon")
            self.assertEqual(v.reasons[0].rule, "acme.falcon")
        finally:
            os.unlink(f.name)

    def test_errors(self):
        with self.assertRaisesRegex(PreclearError, "no-such-pack"):
            Policy().add_bundled("no-such-pack")
        with self.assertRaisesRegex(PreclearError, r"<toml>:\d+:\d+") as e:
            Policy().add_toml("[pack]\nname = 'x'\nversion = '1'\nscroe = 1\n")
        err = e.exception
        self.assertEqual((err.kind, err.pack, err.line, err.column, err.rule), ("toml", "<toml>", 4, 1, None))
        with self.assertRaisesRegex(PreclearError, "invalid UTF-8 at byte 3"):
            self.screener.screen(b"ok \xff")

    def test_threads_share_a_screener(self):
        want = self.screener.screen(CARD_POST).json
        results = []

        def work():
            results.extend(self.screener.screen(CARD_POST).json == want for _ in range(200))

        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(len(results), 800)
        self.assertTrue(all(results))


if __name__ == "__main__":
    result = unittest.main(exit=False).result
    if result.wasSuccessful():
        print("python client: OK")
    sys.exit(0 if result.wasSuccessful() else 1)
