#!/usr/bin/env bash
# Throughput of the whole `extract` pipeline on one core, beside spaCy's small English
# model's NER on the same text, in the same run (the machines are shared and noisy, so
# the ratio is the figure to quote).
#
#   bench/extract_vs_spacy.sh [MB]     # MB of input for claimgraph (default 20)
#
# claimgraph: the demo corpus (text and HTML) repeated to MB megabytes, every stage plus
# JSON output, one thread (`claimgraph bench`). spaCy: en_core_web_sm (tok2vec + ner) on
# the text claimgraph extracted from the same articles, repeated to about 1 MB (spaCy
# runs at tens of KB/s, so 20 MB would take the better part of an hour). Not part of CI:
# bench/setup_spacy.sh installs spaCy into scratch/spacy-venv.
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-20}
cargo build --release --quiet
bin=target/release/claimgraph
pin="taskset -c 0"
command -v taskset >/dev/null || pin=""
text_dir=scratch/bench/text
rm -rf "$text_dir"
$bin bench --mb 0 --dump-text "$text_dir" >/dev/null
echo "== claimgraph (one core, ${mb} MB)"
cg=$($pin $bin bench --mb "$mb" --json)
echo "$cg"
python_bin=$(bash bench/setup_spacy.sh | tail -n 1)
text_bytes=$(cat "$text_dir"/*.txt | wc -c)
repeat=$(( (1000000 + text_bytes - 1) / text_bytes ))
echo "== spaCy en_core_web_sm NER (one core, ${repeat}x the extracted text)"
sp=$($pin "$python_bin" bench/spacy_ner.py --repeat "$repeat" "$text_dir")
echo "$sp"
python3 - "$cg" "$sp" <<'PY'
import json, sys
cg, sp = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"claimgraph: {cg['input_mb_per_s']:.2f} MB/s of input ({cg['text_mb_per_s']:.2f} MB/s of extracted text), {cg['docs_per_s']:.0f} documents/s")
print(f"spaCy:      {sp['mb_per_s']:.4f} MB/s of text")
print(f"ratio (text MB/s): claimgraph is {cg['text_mb_per_s'] / sp['mb_per_s']:.0f}x spaCy's small model")
PY
