#!/usr/bin/env bash
# Resolving incident mentions across documents at 100k, 300k and 1M generated mentions
# (tools/generate_corpus.py --mentions), one core, side by side: time, time per mention
# relative to the smallest run, comparisons per mention (what blocking leaves), and
# B-cubed against the generator's truth. Not part of CI.
#
#   bench/resolve.sh [SIZES...]     # default 100000 300000 1000000
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 300000 1000000)
cargo build --release --quiet
bin=target/release/claimgraph
dir=scratch/bench-resolve
mkdir -p "$dir"
for n in "${sizes[@]}"; do
  f="$dir/mentions-$n.jsonl"
  [ -f "$f" ] || python3 tools/generate_corpus.py --mentions "$n" --seed 7 --out "$f" >/dev/null
  $bin bench --resolve "$f" --json > "$dir/result-$n.json"
done
python3 - "$dir" "${sizes[@]}" <<'PY'
import json, sys
d, sizes = sys.argv[1], sys.argv[2:]
rows = [json.load(open(f"{d}/result-{n}.json")) for n in sizes]
base = rows[0]["us_per_mention"]
print(f"{'mentions':>10} {'incidents':>10} {'seconds':>8} {'µs/mention':>11} {'vs first':>9} {'comparisons/mention':>20} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6}")
for r in rows:
    print(f"{r['mentions']:>10,} {r['incidents']:>10,} {r['seconds']:>8.2f} {r['us_per_mention']:>11.1f} {r['us_per_mention'] / base:>8.2f}x "
          f"{r['comparisons_per_mention']:>20.1f} {r['bcubed_precision']:>6.3f} {r['bcubed_recall']:>6.3f} {r['bcubed_f1']:>6.3f}")
PY
