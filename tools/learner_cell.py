"""The learner-cell test: does a Deno kernel deliver every output of a cell a learner would write?

Some Deno releases publish a cell's result or ``console.log`` output after telling Jupyter the cell
is idle, and clients that stop listening at idle (nbclient, JupyterLab) drop it. This runs the cell
below ``--runs`` times through nbclient and counts what arrived::

    console.log("one");            // three logs
    console.log("two");
    console.log("three");
    Deno.jupyter.display(...);     // a display
    6 * 7                          // a bare last expression

Every run must show the three lines, the display and ``42``: 5 outputs. ``deno task setup`` runs it
on the learner's own Deno before registering it as the kernel (tools/kernel.ts); the tests run it
on the registered kernel, and through JupyterLab in Chromium (tests/charts_test.ts).

    .venv/bin/python tools/learner_cell.py [--deno PATH | --kernel NAME] [--runs 20] [--fresh]
    .venv/bin/python tools/learner_cell.py --write-notebook PATH [--runs 20]

``--deno PATH`` tests that Deno wrapped exactly as the project registers it (tools/deno_kernel.py)
through a temporary kernelspec; without it the registered ``deno`` kernel is tested. ``--fresh``
starts a new kernel for every run (slower); by default one kernel runs the cell ``--runs`` times.
``--write-notebook PATH`` writes a notebook holding the cell ``--runs`` times instead, for Run All
in JupyterLab.
Prints one JSON line: ``{"runs", "expected", "lost", "lost_by_kind", "seconds"}``. Exit status 0
when nothing was lost, 1 when something was, 2 when the kernel could not run the cell.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent

# The cell, as a learner writes it: no `await show()`, just the usual ways of printing.
LEARNER_CELL = """\
console.log("one");
console.log("two");
console.log("three");
Deno.jupyter.display({ "text/markdown": "**four**" }, { raw: true });
6 * 7"""

KINDS = ("one", "two", "three", "display", "result")

_data = os.path.join(sys.prefix, "share", "jupyter")
os.environ["JUPYTER_PATH"] = os.pathsep.join(
    p for p in [_data, os.environ.get("JUPYTER_PATH", "")] if p
)
os.environ["NO_COLOR"] = "1"


def kernel_spec(deno: str) -> dict:
    """The kernelspec the project registers (tools/setup.ts kernelSpec) for a given Deno."""
    return {
        "argv": [sys.executable, str(HERE / "deno_kernel.py"), "--deno", deno, "--conn",
                 "{connection_file}"],
        "display_name": "Deno",
        "language": "typescript",
        "env": {"NO_COLOR": "1"},
    }


def found(cell) -> set[str]:
    """Which of the expected outputs a cell holds."""
    seen: set[str] = set()
    for out in cell.outputs:
        if out.output_type == "stream":
            seen.update(line for line in out.text.split("\n") if line in KINDS[:3])
        elif out.output_type == "display_data" and "**four**" in out.data.get("text/markdown", ""):
            seen.add("display")
        elif out.output_type == "execute_result" and out.data.get("text/plain") == "42":
            seen.add("result")
        elif out.output_type == "error":
            raise RuntimeError(f"{out.ename}: {out.evalue}")
    return seen


def measure(kernel: str, runs: int, fresh: bool) -> dict:
    lost = {kind: 0 for kind in KINDS}
    started = time.monotonic()

    def count(cell):
        seen = found(cell)
        for kind in KINDS:
            lost[kind] += kind not in seen

    if fresh:
        for _ in range(runs):
            nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(LEARNER_CELL)])
            NotebookClient(nb, kernel_name=kernel, timeout=60, startup_timeout=60).execute()
            count(nb.cells[0])
    else:
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(LEARNER_CELL)])
        client = NotebookClient(nb, kernel_name=kernel, timeout=60, startup_timeout=60)
        with client.setup_kernel():
            for _ in range(runs):
                cell = nbformat.v4.new_code_cell(LEARNER_CELL)
                client.execute_cell(cell, 0)
                count(cell)
    return {
        "runs": runs,
        "expected": runs * len(KINDS),
        "lost": sum(lost.values()),
        "lost_by_kind": {k: v for k, v in lost.items() if v},
        "seconds": round(time.monotonic() - started, 2),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--deno", help="test this Deno binary, wrapped as the project registers it")
    group.add_argument("--kernel", default="deno", help="test this registered kernel (deno)")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--fresh", action="store_true", help="a new kernel for every run")
    parser.add_argument("--write-notebook", metavar="PATH",
                        help="only write a notebook holding the cell --runs times (for JupyterLab)")
    args = parser.parse_args(argv)
    if args.write_notebook:
        cells = [nbformat.v4.new_code_cell(LEARNER_CELL) for _ in range(args.runs)]
        nb = nbformat.v4.new_notebook(cells=cells, metadata={
            "kernelspec": {"display_name": "Deno", "language": "typescript", "name": "deno"},
        })
        nbformat.write(nb, args.write_notebook)
        return 0
    temp = None
    kernel = args.kernel
    try:
        if args.deno:
            temp = tempfile.mkdtemp(prefix="learner-cell-")
            spec_dir = Path(temp, "kernels", "deno-probe")
            spec_dir.mkdir(parents=True)
            (spec_dir / "kernel.json").write_text(json.dumps(kernel_spec(args.deno)))
            os.environ["JUPYTER_PATH"] = os.pathsep.join([temp, os.environ["JUPYTER_PATH"]])
            kernel = "deno-probe"
        result = measure(kernel, args.runs, args.fresh)
    except KeyboardInterrupt:
        print("Interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # the kernel did not start or the cell failed: say so in one line
        message = str(error).strip().splitlines()
        print(json.dumps({"error": f"{type(error).__name__}: {message[-1] if message else ''}"}))
        return 2
    finally:
        if temp:
            shutil.rmtree(temp, ignore_errors=True)
    print(json.dumps(result))
    return 0 if result["lost"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
