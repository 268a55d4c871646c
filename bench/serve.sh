#!/usr/bin/env bash
# Load on `claimgraph serve` over a store of generated articles (bench/ingest.sh builds
# it): the incident list page, incident pages, actor pages and searches in rotation,
# open-loop at each fixed rate in turn from a load generator on loopback, bounded in
# count and time, printed as one table (p50/p99, errors, 503s shed). Not part of CI.
#
#   bench/serve.sh [DB] [RATES] [SECONDS]   # default scratch/bench-ingest/bench.db 200,500,1000 20
#   SERVER=/path/to/claimgraph bench/serve.sh   # load another build of the server
set -euo pipefail
cd "$(dirname "$0")/.."
db=${1:-scratch/bench-ingest/bench.db}
rps=${2:-200,500,1000}
seconds=${3:-20}
cargo build --release --quiet
bin=target/release/claimgraph
[ -f "$db" ] || { echo "no store at $db: run bench/ingest.sh first" >&2; exit 1; }
port=18080
${SERVER:-$bin} serve --db "$db" --addr "127.0.0.1:$port" 2>/dev/null &
server=$!
trap 'kill $server 2>/dev/null' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/v1/incidents?limit=1" >/dev/null && break; sleep 0.2; done
$bin bench --load "http://127.0.0.1:$port" --rps 20 --seconds 3 >/dev/null   # warm the caches
$bin bench --load "http://127.0.0.1:$port" --rps "$rps" --seconds "$seconds"
