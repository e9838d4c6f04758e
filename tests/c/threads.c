/* 8 threads share one screener and each screens thousands of posts; every
 * result must equal the single-threaded one. Usage: threads [ROUNDS] */
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
};
#define NPOSTS (sizeof POSTS / sizeof POSTS[0])

struct expected {
  int decision, score;
  size_t reasons;
  long long first_start;
};

static preclear_screener *screener;
static struct expected want[NPOSTS];
static int rounds = 2000;

static struct expected run(size_t i) {
  struct expected e = {-1, -1, 0, -2};
  preclear_verdict *v =
      preclear_screen(screener, POSTS[i], strlen(POSTS[i]), NULL);
  if (!v) return e;
  e.decision = preclear_verdict_decision(v);
  e.score = preclear_verdict_score(v);
  e.reasons = preclear_verdict_reason_count(v);
  preclear_reason r;
  e.first_start = preclear_verdict_reason(v, 0, &r) == 0 ? r.start : -1;
  preclear_verdict_free(v);
  return e;
}

static void *worker(void *arg) {
  size_t offset = (size_t)arg;
  long mismatches = 0;
  for (int n = 0; n < rounds; n++) {
    size_t i = (n + offset) % NPOSTS;
    struct expected got = run(i);
    if (memcmp(&got, &want[i], sizeof got) != 0) mismatches++;
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
  screener = preclear_screener_new(p, &err);
  preclear_policy_free(p);
  if (!screener) return 1;
  int blocks = 0;
  for (size_t i = 0; i < NPOSTS; i++) {
    memset(&want[i], 0, sizeof want[i]);
    want[i] = run(i);
    blocks += want[i].decision == PRECLEAR_BLOCK;
  }
  if (blocks < 4) {
    fprintf(stderr, "expected at least 4 blocked posts, got %d\n", blocks);
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
  if (mismatches) {
    fprintf(stderr, "%ld results differ from the single-threaded ones\n",
            mismatches);
    return 1;
  }
  printf("threads: %d x %d posts, all equal\n", THREADS, rounds);
  return 0;
}
