"""numpy peer for bench/report.ts's matrix products: float32 matmul at the shapes the course's
models use, timed in Python.

Each shape is {"m", "n", "k", "transA", "transB"}: C (m, n) = op(A) · op(B) with A stored (m, k),
or (k, m) and used transposed, and likewise B. The transposed operands are numpy views (``a.T``),
which numpy hands to BLAS as transposed without copying; C is preallocated and written through
``out=``, as lib's gemm() writes into the caller's array. Each shape runs `warmup` untimed calls
and `repeats` timed ones (time.perf_counter inside this process: interpreter start-up and the numpy
import are not counted).

The number of BLAS threads is the caller's choice, through OPENBLAS_NUM_THREADS in this process's
environment (set before numpy loads OpenBLAS). bench/report.ts runs this script twice, with 1 and
with 2 threads, and removes OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, which some machines set to
work around old OpenBLAS bugs and which slow a current numpy.

Prints one JSON line: {"seconds": [[...] per shape], "threads": ..., "blas": "...",
"numpy": "..."}.

Usage: python bench/numpy_gemm_peer.py SHAPES_JSON REPEATS
"""

import ctypes
import json
import os
import sys
import time

import numpy as np


def openblas_core():
    """The OpenBLAS kernel numpy runs (e.g. "SkylakeX"), read from the loaded library."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "openblas" in line.lower()}
    for path in sorted(paths):
        try:
            library = ctypes.CDLL(path)
        except OSError:
            continue
        for name in ("scipy_openblas_get_corename64_", "scipy_openblas_get_corename",
                     "openblas_get_corename64_", "openblas_get_corename"):
            function = getattr(library, name, None)
            if function is not None:
                function.restype = ctypes.c_char_p
                return f"OpenBLAS {function().decode()}"
    return "unknown"


def main():
    shapes, repeats = json.loads(sys.argv[1]), int(sys.argv[2])
    rng = np.random.default_rng(7)
    result = {"seconds": [], "threads": os.environ.get("OPENBLAS_NUM_THREADS", "default"),
              "numpy": np.__version__}
    for shape in shapes:
        m, n, k = shape["m"], shape["n"], shape["k"]
        a = rng.uniform(-1, 1, (k, m) if shape["transA"] else (m, k)).astype(np.float32)
        b = rng.uniform(-1, 1, (n, k) if shape["transB"] else (k, n)).astype(np.float32)
        op_a = a.T if shape["transA"] else a
        op_b = b.T if shape["transB"] else b
        out = np.empty((m, n), dtype=np.float32)
        for _ in range(3):
            np.matmul(op_a, op_b, out=out)
        seconds = []
        for _ in range(repeats):
            start = time.perf_counter()
            np.matmul(op_a, op_b, out=out)
            seconds.append(time.perf_counter() - start)
        result["seconds"].append(seconds)
    result["blas"] = openblas_core()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
