#!/usr/bin/env bash
# The kernel's execute round trip (bench/kernel/roundtrip.py) for a built mapl (default: the release build),
# its kernelspec in a temporary prefix; the Python is $MAPL_PYTHON, else .venv-ci's (bash .ci/deps makes it).
#
#   swift build -c release --static-swift-stdlib --product mapl && bash bench/kernel/roundtrip.sh [MAPL] [ROUNDS]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
mapl="$root/${1:-.build/release/mapl}"
python="${MAPL_PYTHON:-$root/.venv-ci/bin/python3}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$mapl" kernel --install --prefix "$work" > /dev/null
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
JUPYTER_PATH="$work/share/jupyter" MAPL_JOURNAL="$work/journal.jsonl" "$python" "$root/bench/kernel/roundtrip.py" "${2:-2000}"
