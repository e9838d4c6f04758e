/* 8 threads share one screener (built with options) and each screens
 * thousands of posts, reading every reason through the struct and the
 * accessors, the JSON with an id and the redacted post; every result must
 * equal the single-threaded one. Usage: threads [ROUNDS] */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "preclear.h"

#define THREADS 8

static const char *POSTS[] = {
    "Please charge card 4111 1111 1111 1111 today",
    "Our new branch opens Monday at 9am!",
    "Guaranteed returns of 12% — you can't lose!",
    "Wire it to DE89 3704 0044 0532 0130 00 please",
    "Heard there are merger talks before the announcement.",
    "My SSN is 078-05-1123, can you update my file?",
    "Rates from 4.25% APY, call 1-800-555-0199.",
    "Internal use only: Q3 roadmap draft",
    "aws key AKIAIOSFODNN7EXAMPLE leaked?",
    "Thanks everyone for a wonderful year \xF0\x9F\x8E\x89",
    "g.u.a.r.a.n.t.e.e.d returns\nand card 4111\xF0\x9F\x94\xA5" "1111 1111 1111",
};
#define NPOSTS (sizeof POSTS / sizeof POSTS[0])

/* Everything a screening gives, flattened into one string. */
static char *describe(const preclear_screener *s, size_t i) {
  preclear_verdict *v = preclear_screen(s, POSTS[i], strlen(POSTS[i]), NULL);
  if (!v) return strdup("screen failed");
  size_t cap = 8192, used = 0;
  char *out = malloc(cap);
  char *json = preclear_verdict_to_json(v, "t");
  char *red = preclear_verdict_redact(v, POSTS[i], strlen(POSTS[i]), NULL);
  used += snprintf(out + used, cap - used, "%d %d %s | %s",
                   preclear_verdict_decision(v), preclear_verdict_score(v),
                   json ? json : "(null)", red ? red : "(null)");
  preclear_string_free(json);
  preclear_string_free(red);
  for (size_t k = 0; k < preclear_verdict_reason_count(v); k++) {
    if (used >= cap) used = cap - 1; /* snprintf truncated: stop growing */
    preclear_reason r;
    if (preclear_verdict_reason(v, k, &r) != 0) break;
    const char *ex = preclear_verdict_reason_excerpt(v, k);
    used += snprintf(out + used, cap - used, " | %s %s %s %s %d %d %lld %lld "
                     "%zu:%zu %s %s", r.rule, r.pack, r.category, r.message,
                     r.action, r.score, (long long)r.start, (long long)r.end,
                     preclear_verdict_reason_line(v, k),
                     preclear_verdict_reason_column(v, k),
                     ex ? ex : "-", preclear_verdict_reason_decided_by(v, k));
  }
  preclear_verdict_free(v);
  return out;
}

static preclear_screener *screener;
static char *want[NPOSTS];
static int rounds = 2000;

static void *worker(void *arg) {
  size_t offset = (size_t)arg;
  long mismatches = 0;
  for (int n = 0; n < rounds; n++) {
    size_t i = (n + offset) % NPOSTS;
    char *got = describe(screener, i);
    if (strcmp(got, want[i]) != 0) mismatches++;
    free(got);
  }
  return (void *)mismatches;
}

int main(int argc, char **argv) {
  if (argc > 1) rounds = atoi(argv[1]);
  preclear_error *err = NULL;
  preclear_policy *p = preclear_policy_new();
  if (preclear_policy_add_bundled(p, "financial-institution", &err) != 0) {
    fprintf(stderr, "%s\n", preclear_error_message(err));
    return 1;
  }
  preclear_options *o = preclear_options_new();
  if (preclear_options_set_now(o, "2026-12-01", &err) != 0 ||
      preclear_options_set_max_post_bytes(o, 4096) != 0)
    return 1;
  screener = preclear_screener_new_with_options(p, o, &err);
  preclear_options_free(o);
  preclear_policy_free(p);
  if (!screener) return 1;
  int blocks = 0;
  for (size_t i = 0; i < NPOSTS; i++) {
    want[i] = describe(screener, i);
    blocks += want[i][0] == '0' + PRECLEAR_BLOCK;
  }
  if (blocks < 5 || !strstr(want[10], "\xe2\x80\xa2")) {
    fprintf(stderr, "expected at least 5 blocked posts and a masked card, "
            "got %d:\n%s\n", blocks, want[10]);
    return 1;
  }
  pthread_t t[THREADS];
  for (size_t i = 0; i < THREADS; i++)
    pthread_create(&t[i], NULL, worker, (void *)i);
  long mismatches = 0;
  for (size_t i = 0; i < THREADS; i++) {
    void *m;
    pthread_join(t[i], &m);
    mismatches += (long)m;
  }
  preclear_screener_free(screener);
  for (size_t i = 0; i < NPOSTS; i++) free(want[i]);
  if (mismatches) {
    fprintf(stderr, "%ld results differ from the single-threaded ones\n",
            mismatches);
    return 1;
  }
  printf("threads: %d x %d posts, all equal\n", THREADS, rounds);
  return 0;
}
