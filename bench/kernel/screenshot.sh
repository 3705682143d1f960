#!/usr/bin/env bash
# What JupyterLab shows of mapl, for a person to look at: executes sessions/05-mnist-mlp.ipynb through the mapl
# kernel (nbconvert --execute, with the kernelspec `mapl kernel --install --prefix` writes), converts it to
# HTML and takes a headless Chromium screenshot of the page (docs/kernel-mnist.png unless given a path).
# Not part of `make test`: it needs Debian's `chromium`, nbconvert (pip), a release mapl and MNIST ($MAPL_DATA).
#   bash bench/kernel/screenshot.sh [OUT.png]
set -euo pipefail
cd "$(dirname "$0")/../.."
mapl=${MAPL_BINARY:-.build/release/mapl}
python=${PYTHON:-.venv-ci/bin/python3}
out=${1:-docs/kernel-mnist.png}
notebook=${NOTEBOOK:-sessions/05-mnist-mlp.ipynb}
command -v chromium >/dev/null || { echo "needs Debian's chromium: apt-get install chromium" >&2; exit 1; }
"$python" -c 'import nbconvert' 2>/dev/null || { echo "needs nbconvert: $python -m pip install nbconvert" >&2; exit 1; }
[ -x "$mapl" ] || { echo "needs a release mapl: swift build -c release --static-swift-stdlib --product mapl" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$mapl" kernel --install --prefix "$work/prefix" >/dev/null
export JUPYTER_PATH="$work/prefix/share/jupyter"
name=$(basename "$notebook" .ipynb)
"$python" -m nbconvert --to html --execute --ExecutePreprocessor.timeout=900 --ExecutePreprocessor.kernel_name=mapl \
  --output-dir "$work" "$notebook" >&2
# The page's height, so the screenshot holds every cell: Chromium's --screenshot takes the window as sized.
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1000,${HEIGHT:-1900} \
  --screenshot="$PWD/$out" "file://$work/$name.html" >&2 2>/dev/null
echo "$out"
