#!/usr/bin/env bash
# Runs every claimgraph fuzz target, one after the other, for a fixed time each.
#
#   fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]
#
# SECONDS_PER_TARGET defaults to 60; the targets default to all nine (html, dates,
# numbers, document; feeds, jsonl, csv_import, query, config). Each target runs alone as one libFuzzer job with one worker
# (-jobs=1 -workers=1, -max_total_time), starting from fuzz/seeds/<target>/ plus the
# corpus it grew on earlier runs (fuzz/corpus/<target>/, not committed). Stable Rust is
# enough: RUSTC_BOOTSTRAP=1 lets cargo-fuzz use the nightly-only sanitizer flags.
#
# libFuzzer stops at the first crash; this script then restarts the target for the rest
# of its time (leaving out any seed or corpus file that is itself a known crash), so a
# target always gets its full time and every distinct crash is collected. The first
# input of each distinct crash (by panic location or sanitizer report) is copied to
# fuzz/crashes/<target>/ with a .txt note holding the panic message and backtrace.
# FUZZ_STOP_ON_CRASH=1 stops a target at its first crash instead.
#
# Prints one line per target; exits 1 when any target crashed. Full libFuzzer output:
# fuzz/logs/<target>/run-<n>.log.
#
# Environment: FUZZ_SOURCE_LABEL (names the fuzzed source in crash notes; default: the
# git commit), FUZZ_SANITIZER (default "address"; "none" runs about twice as fast),
# FUZZ_TIMEOUT (seconds one input may take before it counts as a hang, default 20),
# FUZZ_CARGO_FLAGS (extra cargo-fuzz build flags, e.g. "-O" to build without the
# debug assertions and overflow checks that cargo-fuzz turns on by default).
set -u

SECS=${1:-60}
shift $(( $# > 0 ? 1 : 0 ))
if ! [[ $SECS =~ ^[0-9]+$ ]] || (( SECS == 0 )); then
    echo "usage: $0 [SECONDS_PER_TARGET] [TARGET...]" >&2
    exit 2
fi
TARGETS=("$@")
(( ${#TARGETS[@]} > 0 )) || TARGETS=(html dates numbers document feeds jsonl csv_import query config)

FUZZ=$(cd "$(dirname "$0")" && pwd)
SANITIZER=${FUZZ_SANITIZER:-address}
TIMEOUT=${FUZZ_TIMEOUT:-20}
STOP_ON_CRASH=${FUZZ_STOP_ON_CRASH:-0}
read -r -a CARGO_FLAGS <<<"${FUZZ_CARGO_FLAGS:-}"
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "cargo-fuzz is missing: cargo install cargo-fuzz --locked" >&2
    exit 2
fi

echo "building fuzz targets (sanitizer: $SANITIZER)..."
mkdir -p "$FUZZ/logs"
if ! cargo fuzz build --fuzz-dir "$FUZZ" -s "$SANITIZER" "${CARGO_FLAGS[@]}" >"$FUZZ/logs/build.log" 2>&1; then
    tail -n 30 "$FUZZ/logs/build.log" >&2
    echo "build failed (full log: $FUZZ/logs/build.log)" >&2
    exit 2
fi

# The crash signature of a libFuzzer log: where it panicked, or the sanitizer's verdict.
signature() {
    local s
    # Paths from the start of crates/ or fuzz_targets/, so a crash has one signature
    # wherever the tree is checked out.
    s=$(grep -m1 -o "panicked at [^ ]*:[0-9]*:[0-9]*" "$1" | sed -E 's#at .*/(crates|fuzz_targets)/#at \1/#; s#:$##')
    [[ -n $s ]] || s=$(grep -m1 -oE "ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer): [a-z -]*" "$1")
    echo "${s:-unknown failure}"
}

# Which source was fuzzed: FUZZ_SOURCE_LABEL, or the git commit of the tree.
source_label() {
    if [[ -n ${FUZZ_SOURCE_LABEL:-} ]]; then
        echo "$FUZZ_SOURCE_LABEL"
    elif rev=$(git -C "$FUZZ/.." rev-parse --short HEAD 2>/dev/null); then
        git -C "$FUZZ/.." diff --quiet HEAD -- crates 2>/dev/null && echo "commit $rev" || echo "commit $rev plus uncommitted changes"
    else
        echo "$(cd "$FUZZ/.." && pwd) (not a git checkout)"
    fi
}

# A .txt note next to a saved crash: signature, panic message and the backtrace.
note() {
    local log=$1
    echo "target: $t"
    echo "signature: $(signature "$log")"
    echo "found: $(date -u +%Y-%m-%dT%H:%M:%SZ) in $(source_label), ${CARGO_FLAGS[*]:-default} build, sanitizer $SANITIZER"
    echo
    sed -n '/panicked at\|ERROR: /,/^SUMMARY/p' "$log" | grep -v '^NOTE: libFuzzer has rudimentary' | head -n 60
}

status=0
for t in "${TARGETS[@]}"; do
    if [[ ! -f $FUZZ/fuzz_targets/$t.rs ]]; then
        echo "$t: no such target" >&2
        status=2
        continue
    fi
    mkdir -p "$FUZZ/corpus/$t" "$FUZZ/artifacts/$t" "$FUZZ/logs/$t" "$FUZZ/seeds/$t" "$FUZZ/crashes/$t"
    logdir=$FUZZ/logs/$t
    rm -f "$logdir"/*.log "$logdir"/*.out
    seeds=$(mktemp -d)
    start=$(date +%s)
    deadline=$(( start + SECS ))
    runs=0 execs=0 ncrash=0
    declare -A seen=()
    # Crashes saved by earlier runs are not saved again.
    for n in "$FUZZ/crashes/$t"/*.txt; do
        [[ -f $n ]] || continue
        key=$(sed -n 's/^signature: //p' "$n")
        [[ -n $key ]] && seen[$key]=1
    done
    sigs=() saved=()
    while :; do
        left=$(( deadline - $(date +%s) ))
        (( left > 0 )) || break
        runs=$(( runs + 1 ))
        # Seeds, less any that is a known crash (libFuzzer names crashes by SHA-1).
        rm -f "$seeds"/*
        for f in "$FUZZ/seeds/$t"/*; do
            [[ -f $f ]] || continue
            sha=$(sha1sum "$f" | cut -c1-40)
            [[ -e $FUZZ/artifacts/$t/crash-$sha || -e $FUZZ/crashes/$t/crash-$sha ]] || cp "$f" "$seeds/"
        done
        marker=$(mktemp)
        # With -jobs libFuzzer writes the job's output to fuzz-0.log in the working
        # directory, hence the cd. The first corpus directory receives new inputs.
        (
            cd "$logdir" &&
                cargo fuzz run --fuzz-dir "$FUZZ" -s "$SANITIZER" "${CARGO_FLAGS[@]}" "$t" "$FUZZ/corpus/$t" "$seeds" -- \
                    -max_total_time="$left" -jobs=1 -workers=1 -timeout="$TIMEOUT" -print_final_stats=1
        ) >"$logdir/cargo-fuzz-$runs.out" 2>&1
        rc=$?
        log=$logdir/run-$runs.log
        if [[ -f $logdir/fuzz-0.log ]]; then
            mv "$logdir/fuzz-0.log" "$log"
        else
            cp "$logdir/cargo-fuzz-$runs.out" "$log"
        fi
        n=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -n1 | grep -o '[0-9]*$')
        execs=$(( execs + ${n:-0} ))
        artifacts=$(find "$FUZZ/artifacts/$t" -type f -newer "$marker")
        rm -f "$marker"
        if [[ $rc -eq 0 && -z $artifacts ]]; then
            break
        fi
        ncrash=$(( ncrash + 1 ))
        sig=$(signature "$log")
        for a in $artifacts; do
            # A crashing input must not come back from the corpus on the next run.
            rm -f "$FUZZ/corpus/$t/$(basename "$a" | sed 's/^[a-z-]*-//')"
            if [[ -z ${seen[$sig]:-} ]]; then
                seen[$sig]=1
                sigs+=("$sig")
                cp "$a" "$FUZZ/crashes/$t/"
                note "$log" >"$FUZZ/crashes/$t/$(basename "$a").txt"
                saved+=("crashes/$t/$(basename "$a")")
            fi
        done
        if [[ -z $artifacts ]]; then
            echo "$t: run $runs failed without a crash input (exit $rc), see $log" >&2
            break
        fi
        (( STOP_ON_CRASH == 0 && runs < 200 )) || break
    done
    rm -rf "$seeds"
    secs=$(( $(date +%s) - start ))
    ncorpus=$(find "$FUZZ/corpus/$t" -type f | wc -l)
    if (( ncrash == 0 )); then
        echo "$t: ok, no crashes; $execs executions in $secs s, corpus $ncorpus files"
    else
        status=1
        list=$(printf '%s; ' "${sigs[@]}")
        echo "$t: CRASHED $ncrash time(s), ${#sigs[@]} distinct (${list%; }); $execs executions in $secs s over $runs run(s); saved ${saved[*]}"
    fi
    unset seen
done
exit $status
