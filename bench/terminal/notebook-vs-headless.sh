#!/usr/bin/env bash
# The notebook against headless `mapl run`, same run, release build, real MNIST (MAPL_DATA):
#   1. throughput: three epochs of the chapter's MLP trained in the notebook (a real terminal: tmux at 120×36,
#      live loss pane, progress line, weight snapshots every 50 batches) and headless, ROUNDS times each,
#      interleaved; each epoch's seconds come from the run's event stream (the `epoch` events). The first epoch
#      of a run (warming the heap and the caches) is left out; the medians of the others are compared. On a
#      shared machine single epochs vary by ±20 %: take 8 rounds or more.
#   2. Ctrl-C to prompt: mid-epoch, Ctrl-C is sent to the notebook and the time until the screen shows the
#      interrupted cell and the prompt is measured (polling capture-pane every 5 ms).
# Usage: bench/terminal/notebook-vs-headless.sh [ROUNDS]   (needs tmux; builds nothing: run `make release` first)
set -u
rounds=${1:-5}
mapl=$(cd "$(dirname "$0")/../.." && pwd)/.build/release/mapl
[ -x "$mapl" ] || { echo "build the release mapl first (swift build -c release --static-swift-stdlib --product mapl)"; exit 1; }
[ -n "${MAPL_DATA:-}" ] || { echo "set MAPL_DATA to the folder holding mnist/"; exit 1; }
work=$(mktemp -d); sock=nbbench-$$-0
trap 'tmux -L "$sock" kill-server 2>/dev/null; rm -rf "$work"' EXIT
program='seed(1)
train = mnist("train")
m = flatten >> dense(784, 128) >> relu >> dense(128, 10)
h = fit(m, train, opt=adam(m), epochs=3)'
printf '%s\n' "$program" > "$work/mlp.mapl"
now() { date +%s%N; }
# The seconds of every epoch but the first.
epoch_seconds() { grep -o '"event":"epoch".*"seconds":[0-9.e-]*' "$1" | tail -n +2 | sed 's/.*"seconds":\([0-9.e-]*\).*/\1/'; }

start_notebook() {
  rm -f "$work/j.jsonl"
  tmux -L "$sock" kill-server 2>/dev/null
  sock=nbbench-$$-$RANDOM
  tmux -L "$sock" -f /dev/null new-session -d -x 120 -y 36 -c "$work" \
    "env LANG=C.UTF-8 TERM=xterm-256color HOME=$work MAPL_DATA=$MAPL_DATA MAPL_JOURNAL=$work/j.jsonl MAPL_HISTORY=$work/h $mapl"
  until tmux -L "$sock" capture-pane -p 2>/dev/null | grep -q '\[1\]>'; do sleep 0.05; done
}

notebook=(); headless=(); ratios=(); ui=()
for r in $(seq 1 "$rounds"); do
  "$mapl" run --json "$work/mlp.mapl" > "$work/h.jsonl"
  hs=$(epoch_seconds "$work/h.jsonl"); headless+=($hs)
  start_notebook
  tmux -L "$sock" send-keys -l ":load mlp.mapl"; tmux -L "$sock" send-keys Enter
  until grep -q '"event":"fitEnded"' "$work/j.jsonl" 2>/dev/null; do sleep 0.05; done
  ns=$(epoch_seconds "$work/j.jsonl"); notebook+=($ns)
  # The UI thread's CPU time (the notebook's main thread: /proc/PID/stat fields 14 and 15, in ticks).
  pid=$(tmux -L "$sock" list-panes -F '#{pane_pid}' | head -1)   # env execs mapl: the pane's process is mapl
  ui+=("$(awk '{print $14 + $15}' "/proc/$pid/task/$pid/stat" 2>/dev/null || echo 0)")
  ratios+=("$(awk -v h="$(printf '%s+' $hs)0" -v n="$(printf '%s+' $ns)0" 'BEGIN { split(h, a, "+"); split(n, b, "+"); sh = 0; sn = 0; for (i in a) sh += a[i]; for (i in b) sn += b[i]; printf "%.4f", sh / sn }')")
  echo "round $r: headless" $(printf '%.3f ' $hs) "s, notebook" $(printf '%.3f ' $ns) "s: ${ratios[-1]}; UI thread $((${ui[-1]} * 10)) ms of CPU in the run"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mh=$(median "${headless[@]}"); mn=$(median "${notebook[@]}")
awk -v h="$mh" -v n="$mn" 'BEGIN { printf "median epoch: headless %.3f s, notebook %.3f s: the notebook trains at %.1f %% of headless throughput\n", h, n, 100 * h / n }'
# Rounds pair a headless run with a notebook run a few seconds later, so the machine's drift cancels in each ratio.
awk -v r="$(median "${ratios[@]}")" 'BEGIN { printf "median of the rounds'"'"' ratios: the notebook trains at %.1f %% of headless throughput\n", 100 * r }'

latencies=()
for r in $(seq 1 "$rounds"); do
  start_notebook
  tmux -L "$sock" send-keys -l ":load mlp.mapl"; tmux -L "$sock" send-keys Enter
  until grep -q '"event":"batch".*"epoch":1,.*"batch":300,' "$work/j.jsonl" 2>/dev/null; do sleep 0.01; done
  t0=$(now)
  tmux -L "$sock" send-keys C-c
  until tmux -L "$sock" capture-pane -p | grep -q 'interrupted'; do sleep 0.005; done
  t1=$(now)
  latencies+=("$(( (t1 - t0) / 1000000 ))")
  printf 'Ctrl-C to prompt, round %d: %d ms\n' "$r" "${latencies[-1]}"
done
printf 'Ctrl-C to prompt: median %s ms, max %s ms\n' "$(median "${latencies[@]}")" "$(printf '%s\n' "${latencies[@]}" | sort -n | tail -1)"
