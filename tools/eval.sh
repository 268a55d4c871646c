#!/usr/bin/env bash
# Every scorer of ../shared/eval in one run, printed as one table of figures.
#
#   tools/eval.sh [--errors]          # builds the release binary, then scores it
#   CLAIMGRAPH_BIN=/path/to/old/claimgraph tools/eval.sh   # score another binary
#
# Rows: realnews (English), realnews-ru (Russian and Ukrainian), PolNeAR, WikiEvents,
# ECB+. Each scorer's full output is kept in $EVAL_OUT/<scorer>.log (default scratch/eval);
# --errors also prints the realnews scorers' per-item misses after the table.
set -euo pipefail
cd "$(dirname "$0")/.."
eval_dir=${EVAL_DIR:-../shared/eval}
out=${EVAL_OUT:-scratch/eval}
errors=0
[ "${1:-}" = "--errors" ] && errors=1
if [ -z "${CLAIMGRAPH_BIN:-}" ]; then
  cargo build --release --quiet
  CLAIMGRAPH_BIN=$PWD/target/release/claimgraph
fi
export CLAIMGRAPH_BIN EVAL_DIR=$eval_dir EVAL_OUT=$out
mkdir -p "$out"

# The last line of each scorer is `key=value key=value …`.
row() {
  local name=$1 log=$2
  local last
  last=$(grep -E '^[a-z_0-9]+=' "$log" | tail -n1 || true)
  printf '%-12s %s\n' "$name" "${last:-(no figures: see $log)}"
}

python3 "$eval_dir/score_realnews.py" "$eval_dir/realnews/dev" "$CLAIMGRAPH_BIN" >"$out/realnews.log" 2>&1 || true
python3 "$eval_dir/score_realnews.py" "$eval_dir/realnews-ru/dev" "$CLAIMGRAPH_BIN" >"$out/realnews-ru.log" 2>&1 || true
tools/eval_polnear.sh >"$out/polnear.log" 2>&1 || true
tools/eval_wikievents.sh >"$out/wikievents.log" 2>&1 || true
tools/eval_ecbplus.sh >"$out/ecbplus.log" 2>&1 || true

echo "binary: $CLAIMGRAPH_BIN"
row realnews "$out/realnews.log"
row realnews-ru "$out/realnews-ru.log"
row polnear "$out/polnear.log"
row wikievents "$out/wikievents.log"
row ecbplus "$out/ecbplus.log"

if ((errors)); then
  python3 "$eval_dir/score_realnews.py" "$eval_dir/realnews/dev" "$CLAIMGRAPH_BIN" --errors || true
  python3 "$eval_dir/score_realnews.py" "$eval_dir/realnews-ru/dev" "$CLAIMGRAPH_BIN" --errors || true
fi
