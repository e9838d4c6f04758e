/* Exercises every function of include/preclear.h from C: policies from a
 * bundled pack, a TOML string and a file; decisions, scores, reason fields,
 * spans and JSON; and every error path (NULLs, invalid UTF-8, bad packs,
 * out-of-range indices). Exits non-zero on the first failed check. */
/* mkstemp is POSIX, not C11: ask for it before any header. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static preclear_verdict *screen(const preclear_screener *s, const char *t) {
  preclear_error *err = NULL;
  preclear_verdict *v = preclear_screen(s, t, strlen(t), &err);
  CHECK(v != NULL);
  CHECK(err == NULL);
  return v;
}

static void bundled_pack(void) {
  preclear_error *err = NULL;
  preclear_policy *p = preclear_policy_new();
  CHECK(p != NULL);
  CHECK(preclear_policy_add_bundled(p, "financial-institution", &err) == 0);
  CHECK(err == NULL);
  preclear_screener *s = preclear_screener_new(p, &err);
  CHECK(s != NULL);
  /* The screener does not depend on the policy. */
  preclear_policy_free(p);

  const char *post = "Please charge card 4111 1111 1111 1111 today";
  preclear_verdict *v = screen(s, post);
  CHECK(preclear_verdict_decision(v) == PRECLEAR_BLOCK);
  CHECK(preclear_verdict_score(v) == 100);
  CHECK(preclear_verdict_reason_count(v) == 1);
  preclear_reason r;
  CHECK(preclear_verdict_reason(v, 0, &r) == 0);
  CHECK(strcmp(r.rule, "pii.payment-card") == 0);
  CHECK(strcmp(r.pack, "financial-institution") == 0);
  CHECK(strcmp(r.category, "pii") == 0);
  CHECK(strlen(r.message) > 0);
  CHECK(r.action == PRECLEAR_BLOCK);
  CHECK(r.score == 100);
  CHECK(r.start == 19 && r.end == 38);
  CHECK(strncmp(post + r.start, "4111 1111 1111 1111", 19) == 0);
  CHECK(preclear_verdict_reason(v, 1, &r) == -1);
  CHECK(preclear_verdict_reason(v, (size_t)-1, &r) == -1);
  CHECK(preclear_verdict_reason(v, 0, NULL) == -1);
  const char *json = preclear_verdict_json(v);
  CHECK(json != NULL);
  CHECK(strstr(json, "\"verdict\":\"block\"") != NULL);
  CHECK(strstr(json, "\"start\":19,\"end\":38") != NULL);
  CHECK(strstr(json, "4111 1111 1111 1111") == NULL); /* masked */
  CHECK(preclear_verdict_json(v) == json);            /* borrowed, stable */
  preclear_verdict_free(v);

  v = screen(s, "Our new branch opens Monday at 9am!");
  CHECK(preclear_verdict_decision(v) == PRECLEAR_ALLOW);
  CHECK(preclear_verdict_score(v) == 0);
  CHECK(preclear_verdict_reason_count(v) == 0);
  CHECK(preclear_verdict_reason(v, 0, &r) == -1);
  preclear_verdict_free(v);

  /* Not NUL-terminated: only len bytes count. */
  const char buf[] = "guaranteed returns!XXXX 4111 1111 1111 1111";
  v = preclear_screen(s, buf, 19, &err);
  CHECK(v != NULL && preclear_verdict_decision(v) == PRECLEAR_BLOCK);
  CHECK(preclear_verdict_reason_count(v) == 1);
  preclear_verdict_free(v);

  /* Invalid UTF-8 is an error with the byte offset. */
  v = preclear_screen(s, "ok \xff bad", 8, &err);
  CHECK(v == NULL);
  CHECK(err != NULL);
  CHECK(strstr(preclear_error_message(err), "invalid UTF-8 at byte 3") != NULL);
  preclear_error_free(err);
  err = NULL;

  /* err may be NULL. */
  CHECK(preclear_screen(s, "\xff", 1, NULL) == NULL);
  preclear_screener_free(s);
}

static const char PACK[] =
    "[pack]\n"
    "name = \"acme\"\n"
    "version = \"2.0.0\"\n"
    "[[rules]]\n"
    "id = \"acme.falcon\"\n"
    "kind = \"terms\"\n"
    "terms = [\"project falcon\"]\n"
    "category = \"confidential\"\n"
    "score = 40\n"
    "action = \"warn\"\n"
    "message = \"Falcon is not public yet.\"\n";

static void toml_pack(void) {
  preclear_error *err = NULL;
  preclear_policy *p = preclear_policy_new();
  CHECK(preclear_policy_add_toml(p, PACK, strlen(PACK), &err) == 0);
  preclear_screener *s = preclear_screener_new(p, &err);
  CHECK(s != NULL);
  preclear_verdict *v = screen(s, "Big week: PROJECT FALCON lands!");
  CHECK(preclear_verdict_decision(v) == PRECLEAR_WARN);
  CHECK(preclear_verdict_score(v) == 40);
  preclear_reason r;
  CHECK(preclear_verdict_reason(v, 0, &r) == 0);
  CHECK(strcmp(r.rule, "acme.falcon") == 0);
  CHECK(strcmp(r.pack, "acme") == 0);
  CHECK(r.action == PRECLEAR_WARN);
  CHECK(r.start == 10 && r.end == 24);
  CHECK(strstr(preclear_verdict_json(v), "\"packs\":[\"acme@2.0.0\"]") != NULL);
  preclear_verdict_free(v);
  preclear_screener_free(s);

  /* A broken pack: the message names line and column. */
  const char bad[] = "[pack]\nname = \"x\"\nversion = \"1\"\nscroe = 3\n";
  CHECK(preclear_policy_add_toml(p, bad, strlen(bad), &err) == -1);
  CHECK(err != NULL);
  CHECK(strstr(preclear_error_message(err), "<toml>:4:1") != NULL);
  CHECK(strstr(preclear_error_message(err), "scroe") != NULL);
  preclear_error_free(err);
  err = NULL;
  /* A failed add leaves the policy as it was. */
  s = preclear_screener_new(p, &err);
  CHECK(s != NULL);
  preclear_screener_free(s);
  preclear_policy_free(p);
}

static void file_pack(void) {
  char path[] = "/tmp/preclear-smoke-XXXXXX";
  int fd = mkstemp(path);
  CHECK(fd >= 0);
  CHECK(write(fd, PACK, strlen(PACK)) == (ssize_t)strlen(PACK));
  close(fd);
  preclear_error *err = NULL;
  preclear_policy *p = preclear_policy_new();
  CHECK(preclear_policy_add_file(p, path, &err) == 0);
  unlink(path);
  CHECK(preclear_policy_add_file(p, path, &err) == -1); /* gone now */
  CHECK(err != NULL && strstr(preclear_error_message(err), "cannot read"));
  preclear_error_free(err);
  preclear_policy_free(p);
}

static void null_arguments(void) {
  preclear_error *err = NULL;
  preclear_policy *p = preclear_policy_new();
  CHECK(preclear_policy_add_bundled(NULL, "base", &err) == -1);
  CHECK(err != NULL && strstr(preclear_error_message(err), "NULL"));
  preclear_error_free(err);
  CHECK(preclear_policy_add_bundled(p, NULL, &err) == -1);
  preclear_error_free(err);
  CHECK(preclear_policy_add_bundled(p, "no-such-pack", &err) == -1);
  CHECK(strstr(preclear_error_message(err), "no-such-pack") != NULL);
  preclear_error_free(err);
  CHECK(preclear_policy_add_toml(p, NULL, 3, &err) == -1);
  preclear_error_free(err);
  CHECK(preclear_policy_add_file(p, NULL, &err) == -1);
  preclear_error_free(err);
  CHECK(preclear_screener_new(NULL, &err) == NULL);
  preclear_error_free(err);
  CHECK(preclear_screen(NULL, "x", 1, &err) == NULL);
  preclear_error_free(err);
  preclear_screener *s = preclear_screener_new(p, NULL);
  CHECK(s != NULL); /* an empty policy is valid: it allows everything */
  CHECK(preclear_screen(s, NULL, 0, &err) == NULL);
  preclear_error_free(err);
  CHECK(preclear_verdict_decision(NULL) == -1);
  CHECK(preclear_verdict_score(NULL) == -1);
  CHECK(preclear_verdict_reason_count(NULL) == 0);
  CHECK(preclear_verdict_json(NULL) == NULL);
  CHECK(preclear_error_message(NULL) == NULL);
  preclear_reason r;
  CHECK(preclear_verdict_reason(NULL, 0, &r) == -1);
  preclear_verdict_free(NULL);
  preclear_error_free(NULL);
  preclear_screener_free(NULL);
  preclear_policy_free(NULL);
  preclear_screener_free(s);
  preclear_policy_free(p);
}

int main(void) {
  CHECK(preclear_version() != NULL && strlen(preclear_version()) > 0);
  bundled_pack();
  toml_pack();
  file_pack();
  null_arguments();
  if (failures) {
    fprintf(stderr, "%d checks failed\n", failures);
    return 1;
  }
  printf("smoke: all checks passed\n");
  return 0;
}
