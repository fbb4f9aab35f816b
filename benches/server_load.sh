#!/usr/bin/env bash
# Load on `parallax serve` over about 100,000 generated articles: wrk with 64 connections for 30 s against the story
# list, one story's page and searches. Needs a release build and wrk (apt-get install -y wrk). Also prints how long
# the server takes from start to its first answer. WORK=DIR keeps the store elsewhere; PORT=N listens elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/parallax
work=${WORK:-/tmp/parallax-load}
port=${PORT:-7880}
mkdir -p "$work"
if [ ! -f "$work/load.db" ]; then
    $bin bench generate-jsonl --size 330MB --out "$work/a.jsonl"
    $bin bench generate-jsonl --size 5MB --seed 7 --out "$work/b.jsonl"
    /usr/bin/time -v $bin ingest "$work/a.jsonl" "$work/b.jsonl" --db "$work/load.db" 2>&1 | grep -E "stored|assigned|extracted|Elapsed|Maximum"
fi
started=$(date +%s.%N)
$bin serve --db "$work/load.db" --addr 127.0.0.1:$port & server=$!
trap 'kill $server' EXIT
until curl -sf -o /dev/null http://127.0.0.1:$port/api/health; do sleep 0.02; done
echo "first /api/health answered $(echo "$(date +%s.%N) - $started" | bc) s after start"
story=$(curl -s "http://127.0.0.1:$port/api/stories?sort=largest&limit=1" | sed -E 's/.*"id":"(s[0-9]+)".*/\1/')
# The first view compares the story (seconds for a large one); later views are kept until the story changes.
curl -s -o /dev/null -w "first view of /stories/$story: %{time_total} s, %{size_download} bytes\n" "http://127.0.0.1:$port/stories/$story"
for path in "/api/stories" "/api/stories?sort=largest&limit=50" "/stories/$story" "/api/search?q=minister" \
    "/api/search?q=talks+government" "/search?q=talks+government"; do
    echo "== $path"
    wrk -t2 -c64 -d30s --latency "http://127.0.0.1:$port$path" | grep -E "Latency|90%|99%|Requests/sec|Non-2xx|Socket errors|requests in"
done
