#!/usr/bin/env bash
# Merging reports of one incident across documents, on ECB+ (../shared/eval), scored by
# the shared scorer: B-cubed F1 over the violent topics, false-incident rate elsewhere.
# Usage: tools/eval_ecbplus.sh  (builds the release binary first)
set -euo pipefail
cd "$(dirname "$0")/.."
eval_dir=${EVAL_DIR:-../shared/eval}
out=${EVAL_OUT:-scratch}/ecbplus
# CLAIMGRAPH_BIN runs another binary (a baseline, say) instead of building this tree.
if [ -n "${CLAIMGRAPH_BIN:-}" ]; then bin=$CLAIMGRAPH_BIN; else cargo build --release --quiet; bin=target/release/claimgraph; fi
rm -rf "$out" && mkdir -p "$out"
python3 "$eval_dir/score_ecbplus.py" prepare "$eval_dir/ecbplus" "$out/docs"
"$bin" ingest --quiet --db "$out/ecb.db" "$out/docs" 2>&1 | tail -2
"$bin" incidents --db "$out/ecb.db" --json > "$out/incidents.json"
python3 "$eval_dir/score_ecbplus.py" score "$out/docs" "$out/incidents.json"
