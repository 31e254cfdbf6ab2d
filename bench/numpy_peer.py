"""numpy peer for bench/report.ts: softmax with temperature and Generator.choice, timed in Python.

Reads the logits bench/report.ts wrote (raw little-endian float64, so both sides see the same
numbers) and times, with time.perf_counter inside this process (interpreter start-up and the numpy
import are not counted):

* softmax: z = (x - x.max()) / T; e = np.exp(z); e / e.sum(), on each logits file (new arrays
  each call, like lib's softmax());
* softmax_out: the same arithmetic into one preallocated array through ``out=`` (no allocation,
  like lib's softmaxInto()). Large temporary arrays make glibc's malloc hand pages back to the
  system and fault them in again, which can cost numpy more than the arithmetic (2.5 ms instead of
  0.4 ms for 200,019 logits on the reference machine), so this is numpy at its best;
* exp_out: np.exp(x, out=out) on each logits file (against lib's expInto());
* empty: np.empty(n) for each logits size, the allocation alone (against ``new Float64Array(n)``):
  numpy's allocator hands back the block it just freed, V8 takes fresh zeroed memory each time;
* choice: np.random.default_rng(7).choice(n, size=draws, p=p) on the fixed distribution
  (generator creation included; numpy's set-up is its cumulative sum).

Each case runs `warmup` untimed calls, then `repeats` timed ones. Prints one JSON line:
{"softmax": {"50257": [seconds, ...], ...}, "softmax_out": {...}, "exp_out": {...}, "empty": {...},
"choice": [seconds, ...],
"numpy": ..., "python": ...}.

Usage: python bench/numpy_peer.py DIR TEMPERATURE DRAWS SOFTMAX_REPEATS CHOICE_REPEATS
"""

import json
import os
import sys
import time

import numpy as np


def softmax(x, temperature):
    z = (x - x.max()) / temperature
    e = np.exp(z)
    return e / e.sum()


def softmax_out(x, temperature, out):
    np.subtract(x, x.max(), out=out)
    np.divide(out, temperature, out=out)
    np.exp(out, out=out)
    np.divide(out, out.sum(), out=out)
    return out


def timed(function, warmup, repeats):
    for _ in range(warmup):
        function()
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        seconds.append(time.perf_counter() - start)
    return seconds


def main():
    directory, temperature, draws = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    softmax_repeats, choice_repeats = int(sys.argv[4]), int(sys.argv[5])
    result = {"softmax": {}, "softmax_out": {}, "exp_out": {}, "empty": {}, "numpy": np.__version__,
              "python": sys.version.split()[0]}
    for name in sorted(os.listdir(directory)):
        if name.startswith("logits-"):
            x = np.fromfile(os.path.join(directory, name), dtype="<f8")
            out = np.empty_like(x)
            result["softmax"][str(len(x))] = timed(
                lambda: softmax(x, temperature), 10, softmax_repeats
            )
            result["softmax_out"][str(len(x))] = timed(
                lambda: softmax_out(x, temperature, out), 10, softmax_repeats
            )
            assert np.allclose(out, softmax(x, temperature), rtol=1e-12, atol=0)
            result["exp_out"][str(len(x))] = timed(
                lambda: np.exp(x, out=out), 10, softmax_repeats
            )
            result["empty"][str(len(x))] = timed(lambda: np.empty(len(x)), 10, softmax_repeats)
    p = np.fromfile(os.path.join(directory, "distribution.f64"), dtype="<f8")
    n = len(p)
    result["choice"] = timed(
        lambda: np.random.default_rng(7).choice(n, size=draws, p=p), 2, choice_repeats
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
