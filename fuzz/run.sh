#!/usr/bin/env bash
# Runs every claimgraph fuzz target, one after the other, for a fixed time each.
#
#   fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]
#
# SECONDS_PER_TARGET defaults to 60; the targets default to all four (html, dates,
# numbers, document). Each target runs alone as one libFuzzer job with one worker
# (-jobs=1 -workers=1), starting from fuzz/seeds/<target>/ plus the corpus it grew on
# earlier runs (fuzz/corpus/<target>/, not committed). Stable Rust is enough:
# RUSTC_BOOTSTRAP=1 lets cargo-fuzz use the nightly-only sanitizer flags.
#
# Prints one line per target. The full libFuzzer output is in
# fuzz/logs/<target>/fuzz-0.log. A crashing input is copied to fuzz/crashes/<target>/
# and the script exits with status 1 when any target crashed.
#
# Environment: FUZZ_SANITIZER (default "address"; "none" runs about twice as fast),
# FUZZ_TIMEOUT (seconds one input may take before it counts as a hang, default 20).
set -u

SECS=${1:-60}
shift $(( $# > 0 ? 1 : 0 ))
if ! [[ $SECS =~ ^[0-9]+$ ]] || (( SECS == 0 )); then
    echo "usage: $0 [SECONDS_PER_TARGET] [TARGET...]" >&2
    exit 2
fi
TARGETS=("$@")
(( ${#TARGETS[@]} > 0 )) || TARGETS=(html dates numbers document)

FUZZ=$(cd "$(dirname "$0")" && pwd)
SANITIZER=${FUZZ_SANITIZER:-address}
TIMEOUT=${FUZZ_TIMEOUT:-20}
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "cargo-fuzz is missing: cargo install cargo-fuzz --locked" >&2
    exit 2
fi

echo "building fuzz targets (sanitizer: $SANITIZER)..."
if ! cargo fuzz build --fuzz-dir "$FUZZ" -s "$SANITIZER" >"$FUZZ/build.log" 2>&1; then
    tail -n 30 "$FUZZ/build.log" >&2
    echo "build failed (full log: $FUZZ/build.log)" >&2
    exit 2
fi

status=0
for t in "${TARGETS[@]}"; do
    if [[ ! -f $FUZZ/fuzz_targets/$t.rs ]]; then
        echo "$t: no such target" >&2
        status=2
        continue
    fi
    mkdir -p "$FUZZ/corpus/$t" "$FUZZ/artifacts/$t" "$FUZZ/logs/$t" "$FUZZ/seeds/$t"
    logdir=$FUZZ/logs/$t
    rm -f "$logdir"/fuzz-*.log
    marker=$(mktemp)
    start=$(date +%s)
    # With -jobs libFuzzer writes the job's output to fuzz-0.log in the working
    # directory, hence the cd. The first corpus directory receives new inputs; the
    # seeds are read only.
    (
        cd "$logdir" &&
            cargo fuzz run --fuzz-dir "$FUZZ" -s "$SANITIZER" "$t" "$FUZZ/corpus/$t" "$FUZZ/seeds/$t" -- \
                -max_total_time="$SECS" -jobs=1 -workers=1 -timeout="$TIMEOUT" -print_final_stats=1
    ) >"$logdir/cargo-fuzz.out" 2>&1
    rc=$?
    wall=$(( $(date +%s) - start ))
    log=$logdir/fuzz-0.log
    [[ -f $log ]] || log=$logdir/cargo-fuzz.out

    execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -n1 | grep -o '[0-9]*$')
    secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n1)
    rate=$(grep -o 'stat::average_exec_per_sec: [0-9]*' "$log" | tail -n1 | grep -o '[0-9]*$')
    ncorpus=$(find "$FUZZ/corpus/$t" -type f | wc -l)
    artifacts=$(find "$FUZZ/artifacts/$t" -type f -newer "$marker" 2>/dev/null)
    rm -f "$marker"

    if [[ $rc -eq 0 && -z $artifacts ]]; then
        echo "$t: ok, no crashes; ${execs:-?} executions in ${secs:-$wall} s (${rate:-?}/s), corpus $ncorpus files"
    else
        status=1
        why=$(grep -m1 -E "panicked at|ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer)|SUMMARY:" "$log")
        saved=""
        if [[ -n $artifacts ]]; then
            mkdir -p "$FUZZ/crashes/$t"
            for a in $artifacts; do
                cp "$a" "$FUZZ/crashes/$t/"
                saved+=" crashes/$t/$(basename "$a")"
            done
        fi
        echo "$t: FAILED (exit $rc) after ${execs:-?} executions, ${wall} s: ${why:-see $log};${saved:+ input saved to$saved;} log $log"
    fi
done
exit $status
