#!/usr/bin/env bash
# Load on `parallax serve` over about 100,000 generated articles: wrk with 64 connections for 30 s against the story
# list, one story's page and a search. Needs a release build and wrk (apt-get install -y wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/parallax
work=${WORK:-/tmp/parallax-load}
mkdir -p "$work"
if [ ! -f "$work/load.db" ]; then
    $bin bench generate-jsonl --size 330MB --out "$work/a.jsonl"
    $bin bench generate-jsonl --size 5MB --seed 7 --out "$work/b.jsonl"
    /usr/bin/time -v $bin ingest "$work/a.jsonl" "$work/b.jsonl" --db "$work/load.db" 2>&1 | grep -E "stored|assigned|extracted|Elapsed|Maximum"
fi
$bin serve --db "$work/load.db" --addr 127.0.0.1:7880 & server=$!
trap 'kill $server' EXIT
sleep 2
story=$(curl -s 'http://127.0.0.1:7880/api/stories?sort=largest&limit=1' | sed -E 's/.*"id":"(s[0-9]+)".*/\1/')
curl -s -o /dev/null "http://127.0.0.1:7880/stories/$story"   # the first view compares; later ones are kept
for path in "/api/stories" "/api/stories?sort=largest&limit=50" "/stories/$story" "/api/search?q=minister" "/search?q=talks+government"; do
    echo "== $path"
    wrk -t2 -c64 -d30s --latency "http://127.0.0.1:7880$path" | grep -E "Latency|99%|Requests/sec|Non-2xx|Socket errors|requests in"
done
