#!/usr/bin/env bash
# Ingest throughput beside extract-only throughput (same reader and workers, nothing
# stored) in one run, database bytes per document, and search latency, on generated
# articles (tools/generate_corpus.py). Not part of CI.
#
#   bench/ingest.sh [ARTICLES]     # default 100000
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
cargo build --release --quiet
bin=target/release/claimgraph
dir=scratch/bench-ingest
mkdir -p "$dir"
corpus="$dir/articles-$n.jsonl"
[ -f "$corpus" ] || python3 tools/generate_corpus.py --articles "$n" --seed 7 --out "$corpus"
rm -f "$dir/bench.db" "$dir/bench.db-wal" "$dir/bench.db-shm"
echo "== extract only (all cores, nothing stored)"
$bin ingest --dry-run --json "$corpus" | tee "$dir/dry.json"
echo "== ingest (all cores, into SQLite)"
$bin ingest --json --db "$dir/bench.db" "$corpus" | tee "$dir/ingest.json"
db_bytes=$(stat -c %s "$dir/bench.db")
echo "== search"
$bin bench --search "$dir/bench.db" --queries 1000 --json | tee "$dir/search.json"
python3 - "$dir" "$db_bytes" <<'PY'
import json, sys
d, db_bytes = sys.argv[1], int(sys.argv[2])
dry = json.load(open(f"{d}/dry.json")); ing = json.load(open(f"{d}/ingest.json")); s = json.load(open(f"{d}/search.json"))
dps = lambda r: r["ingested"] / r["seconds"]
mbs = lambda r: r["bytes"] / 1e6 / r["seconds"]
print(f"extract only: {dps(dry):.0f} docs/s, {mbs(dry):.1f} MB/s")
print(f"ingest:       {dps(ing):.0f} docs/s, {mbs(ing):.1f} MB/s  = {100 * dps(ing) / dps(dry):.0f}% of extract-only")
print(f"database:     {db_bytes / 1e6:.0f} MB, {db_bytes / max(1, ing['ingested']):.0f} bytes per document")
print(f"search:       p50 {s['p50_ms']:.1f} ms, p99 {s['p99_ms']:.1f} ms over {s['documents']} documents")
PY
