#!/usr/bin/env bash
# Runs every curated session headless with a release `mapl`, as a user would, and prints one line per session
# and a closing "N passed, N failed". Sessions end with asserts on what they teach, so a session that stops
# teaching fails here. Each runs as `mapl run --json`: its event stream must read back whole (`mapl journal`),
# hold the typed events listed below for it, and pass `mapl replay --rerun-check` (run again, every output —
# every number the journal holds, read back bit for bit — the same). MNIST sessions need the data (MAPL_DATA
# or the loader's search).
set -u
mapl="${1:-.build/release/mapl}"
# Event kinds each session must produce (as `mapl journal --kinds` names them).
declare -A expect=(
  [02-regression]="plot"
  [03-worked-example]="graph trace"
  [11-backprop-lecture]="trace paused histogram table fitEnded"
  [05-mnist-mlp]="fitStarted batch epoch fitEnded image_28×28 plot"
  [08-cnn]="fitStarted batch epoch fitEnded"
  [demo]="table fitStarted batch epoch fitEnded plot"
)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0; failed=0; failures=""
nl=$'\n'
for f in sessions/*.mapl; do
  name=$(basename "$f" .mapl)
  start=$(date +%s%N)
  problem=""
  if ! "$mapl" run --json --ascii "$f" > "$work/$name.jsonl" 2> "$work/$name.err"; then
    problem=$(cat "$work/$name.err")
  elif ! "$mapl" journal --kinds "$work/$name.jsonl" > "$work/$name.kinds" 2> "$work/$name.err"; then
    problem="the event stream does not read back: $(cat "$work/$name.err")"
  elif ! "$mapl" replay "$work/$name.jsonl" --rerun-check > "$work/$name.check" 2>&1; then
    problem="the rerun check of its journal fails: $(cat "$work/$name.check")"
  else
    for kind in ${expect[$name]:-}; do
      grep -qx "${kind//_/ } [0-9]*" "$work/$name.kinds" || problem="$problem no '${kind//_/ }' event;"
    done
  fi
  if [ -z "$problem" ]; then
    passed=$((passed + 1)); status=ok
  else
    failed=$((failed + 1)); status=FAIL; failures="$failures$nl--- $f$nl$problem"
  fi
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  printf '%-4s %-32s %4d.%01d s\n' "$status" "$f" $((ms / 1000)) $(((ms % 1000) / 100))
done
# The failure text is data, never a format: a message may hold '%' or '\'.
[ -n "$failures" ] && printf '%s\n' "$failures"
echo "sessions: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
