"""The Jupyter notebooks shipped in sessions/, made from their .mapl sessions so the two never drift: each
block of lines between blank lines becomes a code cell, as written. `python Tests/Kernel/notebooks.py` writes
them; the kernel tests check the shipped ones are what this makes, then run them with nbclient.
"""
import os
import sys

import nbformat

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SESSIONS = ["03-worked-example", "05-mnist-mlp"]


def notebook(name):
    """The notebook of sessions/NAME.mapl."""
    with open(os.path.join(ROOT, "sessions", name + ".mapl"), encoding="utf-8") as f:
        blocks = [b.strip("\n") for b in f.read().split("\n\n") if b.strip()]
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "mapl", "display_name": "mapl", "language": "mapl"}
    nb.metadata["language_info"] = {"name": "mapl", "file_extension": ".mapl", "mimetype": "text/x-mapl"}
    nb.cells = [nbformat.v4.new_code_cell(b) for b in blocks]
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{name}-{i + 1}"  # stable ids: the same session gives the same file
    return nb


def path(name):
    return os.path.join(ROOT, "sessions", name + ".ipynb")


def text(nb):
    return nbformat.writes(nb) + "\n"


if __name__ == "__main__":
    for name in SESSIONS:
        with open(path(name), "w", encoding="utf-8") as f:
            f.write(text(notebook(name)))
        print("wrote", path(name))
    sys.exit(0)
