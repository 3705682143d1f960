#!/usr/bin/env bash
# Reading journals back, release build: `mapl journal` and `mapl replay --rerun-check` on the journal a hundred
# `heatmap(randn(256, 256))` write (71.5 MB: past what a reader holding the file whole allowed), with their
# wall time and peak memory; then `mapl journal` on one table cell of 80 k and of 1 M characters, whose times
# per character should match (linear).
#
#   swift build -c release --static-swift-stdlib --product mapl && bash bench/journal/read-journal.sh
set -euo pipefail
mapl="$(cd "$(dirname "$0")/../.." && pwd)/${1:-.build/release/mapl}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

measure() {  # label, command…: wall seconds and peak resident memory (GNU time)
  local label=$1; shift
  /usr/bin/time -f "$label: %e s, peak %M KB" "$@" > /dev/null 2> time.txt || true
  tail -1 time.txt
}

printf 'seed(1)\nfor i in 1..100 {\n  heatmap(randn(256, 256))\n}\n' > heat.mapl
"$mapl" run --json heat.mapl > heat.jsonl
echo "heatmap journal: $(stat -c %s heat.jsonl) bytes"
measure "mapl journal --kinds" "$mapl" journal --kinds heat.jsonl
measure "mapl journal (ASCII pictures)" "$mapl" journal heat.jsonl
measure "mapl replay --rerun-check" "$mapl" replay heat.jsonl --rerun-check

for n in 80000 1000000; do
  python3 -c "
import json, sys
n = int(sys.argv[1])
print(json.dumps({'mapl': 'events', 'version': 1, 'created': 'x', 'source': 'table'}))
print(json.dumps({'event': 'table', 'header': ['a', 'b'], 'rows': [[('ab é ' * n)[:n], 'y']], 'alignments': ['left', 'right'], 'notes': []}))
" "$n" > "cell-$n.jsonl"
  measure "mapl journal, one table cell of $n characters" "$mapl" journal "cell-$n.jsonl"
done
