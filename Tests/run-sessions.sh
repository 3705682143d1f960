#!/usr/bin/env bash
# Runs every curated session headless with a release `mapl`, as a user would (`mapl run FILE`), and prints
# one line per session and a closing "N passed, N failed". Sessions end with asserts on what they teach, so a
# session that stops teaching fails here. MNIST sessions need the data (MAPL_DATA or the loader's search).
set -u
mapl="${1:-.build/release/mapl}"
passed=0; failed=0; failures=""
nl=$'\n'
for f in sessions/*.mapl; do
  start=$(date +%s%N)
  if out=$("$mapl" run --ascii "$f" 2>&1 >/dev/null); then
    passed=$((passed + 1)); status=ok
  else
    failed=$((failed + 1)); status=FAIL; failures="$failures$nl--- $f$nl$out"
  fi
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  printf '%-4s %-32s %4d.%01d s\n' "$status" "$f" $((ms / 1000)) $(((ms % 1000) / 100))
done
# The failure text is data, never a format: a message may hold '%' or '\'.
[ -n "$failures" ] && printf '%s\n' "$failures"
echo "sessions: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
