#!/usr/bin/env bash
# The chapter's MLP epoch through the kernel against headless (bench/kernel/fit-throughput.py), release build,
# MNIST from $MAPL_DATA; the Python is $MAPL_PYTHON, else .venv-ci's.
#
#   swift build -c release --static-swift-stdlib --product mapl && MAPL_DATA=… bash bench/kernel/fit-throughput.sh [ROUNDS]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
mapl="$root/.build/release/mapl"
python="${MAPL_PYTHON:-$root/.venv-ci/bin/python3}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$mapl" kernel --install --prefix "$work" > /dev/null
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
JUPYTER_PATH="$work/share/jupyter" MAPL_JOURNAL="$work/journal.jsonl" MAPL_BINARY="$mapl" "$python" "$root/bench/kernel/fit-throughput.py" "${1:-3}"
