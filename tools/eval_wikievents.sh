#!/usr/bin/env bash
# Entities and incident detection on the WikiEvents dev split (../shared/eval), scored by
# the shared scorer. Usage: tools/eval_wikievents.sh  (builds the release binary first)
set -euo pipefail
cd "$(dirname "$0")/.."
eval_dir=${EVAL_DIR:-../shared/eval}
out=${EVAL_OUT:-scratch}/wikievents
# CLAIMGRAPH_BIN runs another binary (a baseline, say) instead of building this tree.
if [ -n "${CLAIMGRAPH_BIN:-}" ]; then bin=$CLAIMGRAPH_BIN; else cargo build --release --quiet; bin=target/release/claimgraph; fi
rm -rf "$out" && mkdir -p "$out/docs" "$out/pred"
python3 "$eval_dir/score_wikievents.py" prepare "$eval_dir/wikievents/dev.jsonl" "$out/docs" >/dev/null
for f in "$out"/docs/*.txt; do
  stem=$(basename "$f" .txt)
  "$bin" extract --plain "$f" > "$out/pred/$stem.json"
done
python3 "$eval_dir/score_wikievents.py" score "$out/docs" "$out/pred"
