#!/bin/sh
# Runs every fuzz target (or the ones named) for SECONDS each (default 600),
# one after another, at low priority, and prints each target's executions.
# Exits 1 if a target crashed (its input is in fuzz/artifacts/TARGET/) or
# did not run.
#
#   sh fuzz/run-all.sh [SECONDS [TARGET...]]
#
# Needs nightly and cargo-fuzz. The targets are safe Rust and AddressSanitizer
# makes compiling a pack about ten times slower, so they run without it,
# except `capi`, which drives raw pointers through the C ABI (ASan and its
# leak checker are what that target is for). SANITIZER=none|address
# overrides the choice for every target; FUZZ_ARGS adds libFuzzer options.
# Each sanitizer builds in its own target dir, so switching does not
# rebuild everything. Logs: fuzz/target/run-TARGET.log.
set -u
cd "$(dirname "$0")/.."
secs=${1:-600}
[ $# -gt 0 ] && shift
targets=${*:-screen pack_parse pack_build capi}
status=0
for t in $targets; do
    case $t in
        capi) san=${SANITIZER:-address} ;;
        *) san=${SANITIZER:-none} ;;
    esac
    corpus=fuzz/corpus/$t
    log=fuzz/target/run-$t.log
    mkdir -p "$corpus" fuzz/target
    dict=
    [ -f "fuzz/dicts/$t.dict" ] && dict=-dict=fuzz/dicts/$t.dict
    # shellcheck disable=SC2086 # FUZZ_ARGS and dict are lists of options
    nice -n 10 cargo +nightly fuzz run -s "$san" \
        --target-dir "$PWD/fuzz/target/$san" "$t" "$corpus" "fuzz/seeds/$t" \
        -- -max_total_time="$secs" -max_len=4096 -timeout=60 $dict \
        ${FUZZ_ARGS:-} >"$log" 2>&1
    rc=$?
    # libFuzzer's last status line, `#N ...`, counts the executions.
    execs=$(grep -E '^#[0-9]+' "$log" | tail -n 1 | cut -d' ' -f1 | tr -cd '0-9')
    echo "$t: ${execs:-0} executions in ${secs}s, sanitizer $san (exit $rc)"
    if [ "$rc" -ne 0 ]; then
        status=1
        grep -E '^(thread .* panicked|==[0-9]+==ERROR|SUMMARY|Test unit written|error)' \
            "$log" | head -n 5
        echo "  see $log"
    fi
done
exit $status
