"""The MNIST file reader and argument helper the Python references in this folder share (numpy_mlp.py, torch_*.py)."""
import gzip
import numpy as np


def idx(path):
    """An IDX file (gzip-compressed, as the MNIST mirrors ship them) as a uint8 array of its shape."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def take_normalize(args):
    """Removes `--normalize MEAN STD` from the list `args` and returns (MEAN, STD); (0.0, 1.0) when absent."""
    if "--normalize" not in args:
        return 0.0, 1.0
    i = args.index("--normalize")
    mean, std = float(args[i + 1]), float(args[i + 2])
    del args[i:i + 3]
    return mean, std
