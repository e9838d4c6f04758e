/* Screen the posts given as arguments with the financial-institution pack.
 *   cargo build --release --features capi
 *   cc examples/c/example.c -Iinclude -Ltarget/release -lpreclear -o example
 *   LD_LIBRARY_PATH=target/release ./example "Guaranteed returns, act now!"
 */
#include <stdio.h>
#include <string.h>

#include "preclear.h"

int main(int argc, char **argv) {
  preclear_error *err = NULL;
  preclear_policy *policy = preclear_policy_new();
  if (preclear_policy_add_bundled(policy, "financial-institution", &err) != 0) {
    fprintf(stderr, "preclear: %s\n", preclear_error_message(err));
    preclear_error_free(err);
    preclear_policy_free(policy);
    return 3;
  }
  preclear_screener *screener = preclear_screener_new(policy, &err);
  preclear_policy_free(policy); /* the screener does not need it any more */
  if (!screener) {
    fprintf(stderr, "preclear: %s\n", preclear_error_message(err));
    preclear_error_free(err);
    return 3;
  }

  int worst = PRECLEAR_ALLOW;
  for (int i = 1; i < argc; i++) {
    preclear_verdict *v =
        preclear_screen(screener, argv[i], strlen(argv[i]), &err);
    if (!v) {
      fprintf(stderr, "preclear: %s\n", preclear_error_message(err));
      preclear_error_free(err);
      err = NULL;
      continue;
    }
    static const char *names[] = {"allow", "warn", "block"};
    int decision = preclear_verdict_decision(v);
    printf("%s (score %d)\n", names[decision], preclear_verdict_score(v));
    for (size_t k = 0; k < preclear_verdict_reason_count(v); k++) {
      preclear_reason r;
      if (preclear_verdict_reason(v, k, &r) == 0)
        printf("  %s [%lld..%lld): %s\n", r.rule, (long long)r.start,
               (long long)r.end, r.message);
    }
    if (decision > worst) worst = decision;
    preclear_verdict_free(v);
  }
  preclear_screener_free(screener);
  return worst;
}
