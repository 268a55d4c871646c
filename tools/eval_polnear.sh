#!/usr/bin/env bash
# Reported speech on the PolNeAR dev split (../shared/eval), scored by the shared scorer.
# Usage: tools/eval_polnear.sh  (builds the release binary first)
set -euo pipefail
cd "$(dirname "$0")/.."
eval_dir=${EVAL_DIR:-../shared/eval}
split="$eval_dir/polnear/dev"
out=${EVAL_OUT:-scratch}/polnear
# CLAIMGRAPH_BIN runs another binary (a baseline, say) instead of building this tree.
if [ -n "${CLAIMGRAPH_BIN:-}" ]; then bin=$CLAIMGRAPH_BIN; else cargo build --release --quiet; bin=target/release/claimgraph; fi
rm -rf "$out" && mkdir -p "$out/pred"
# publication_date is column 6 of metadata.tsv, keyed by the file name (column 2).
for f in "$split"/text/*.txt; do
  stem=$(basename "$f" .txt)
  published=$(awk -F'\t' -v s="$stem" '$2 == s {print $6; exit}' "$eval_dir/polnear/metadata.tsv")
  if [ -n "$published" ] && [ "$published" != "None" ]; then
    "$bin" extract --plain --published "$published" "$f" > "$out/pred/$stem.json"
  else
    "$bin" extract --plain "$f" > "$out/pred/$stem.json"
  fi
done
python3 "$eval_dir/score_polnear.py" "$split" "$out/pred"
