"""Execute a notebook headless with the project's Deno kernel and check what it produced.

Run with the project's venv (``deno task nb`` and the tests do this for you)::

    .venv/bin/python tools/run_notebook.py notebooks/01-conditional-probability.ipynb \
        [--as PATH] [--out PATH] [--repeat N] [--late-wait SECONDS] [--json]

Each run starts a fresh ``deno`` kernel (the kernelspec in ``.venv/share/jupyter``, put first on
JUPYTER_PATH) with the notebook's directory as working directory, executes every code cell in order
through nbclient, and fails with one line naming the notebook, the cell number (1-based position
among all cells of the file, markdown included) and the error message when:

* a cell raises (``throw``, a failing ``assert``),
* an output contains ANSI colour codes,
* the number of plotly figures differs from ``metadata.course.expected_figures`` (when declared),
* with ``--repeat N``: any run's outputs differ in kind or number from the first run's.

``--as PATH`` runs the given file as if it were the notebook at PATH (its name in messages, its folder
as working directory): ``deno task nb`` passes a copy with ``--param`` values injected by
tools/notebook.ts (``withParameters``), the one implementation of parameter injection; this runner
only recognises the injected cell by its tag to name it in messages. ``--out PATH`` writes the
executed copy. ``--late-wait S`` listens S seconds after each cell for output the kernel publishes
after reporting the cell idle (such output is lost by Jupyter clients); it is counted as "late",
kept in the cell, and fails the run.

Exit status: 0 on success, 1 on a notebook failure, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbclient.util import ensure_async

PLOTLY_MIME = "application/vnd.plotly.v1+json"
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
OUTPUT_TYPES = {"stream", "display_data", "execute_result", "error", "update_display_data"}

# The project's kernelspec lives in the venv's data dir; put it first so a user-wide `deno`
# kernelspec (for example from `deno jupyter --install`) cannot shadow it.
_data = os.path.join(sys.prefix, "share", "jupyter")
os.environ["JUPYTER_PATH"] = os.pathsep.join(
    p for p in [_data, os.environ.get("JUPYTER_PATH", "")] if p
)
os.environ["NO_COLOR"] = "1"


class NotebookFailure(Exception):
    """A failure to report as one line, without a Python traceback."""


class DenoNotebookClient(NotebookClient):
    """nbclient with two fixes for the Deno kernel.

    * Deno 2.7 sends ``"transient": null`` in execute_result. nbclient 0.11 copes, but older and
      other clients call ``content.get("transient", {}).get(...)`` and crash, so it is normalised
      to ``{}`` before nbclient sees it.
    * Optional listening for late output after each cell (see ``late_wait``).
    """

    def __init__(self, nb, late_wait: float = 0.0, **kwargs):
        super().__init__(nb, **kwargs)
        self.late_wait = late_wait
        self.late: list[tuple[int, str]] = []
        self.failed_index: int | None = None
        self.cell_seconds: list[tuple[int, float]] = []  # (cell index, seconds) per code cell

    def process_message(self, msg, cell, cell_index):
        content = msg.get("content")
        if isinstance(content, dict) and content.get("transient", {}) is None:
            content["transient"] = {}
        return super().process_message(msg, cell, cell_index)

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        self.failed_index = cell_index
        started = time.monotonic()
        result = await super().async_execute_cell(
            cell, cell_index, execution_count=execution_count, store_history=store_history
        )
        if cell.cell_type == "code":
            self.cell_seconds.append((cell_index, time.monotonic() - started))
        self.failed_index = None
        if self.late_wait > 0 and cell.cell_type == "code":
            await self._collect_late(cell, cell_index)
        return result

    async def _collect_late(self, cell, cell_index):
        deadline = time.monotonic() + self.late_wait
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=remaining))
            except queue.Empty:
                return
            if msg["msg_type"] in OUTPUT_TYPES:
                self.late.append((cell_index, msg["msg_type"]))
                content = msg["content"]
                if content.get("transient", {}) is None:
                    content["transient"] = {}
                self.output(cell.outputs, msg, None, cell_index)


def first_line(source: str) -> str:
    line = next((l.strip() for l in source.splitlines() if l.strip()), "")
    return line if len(line) <= 60 else line[:57] + "..."


INJECTED_TAG = "injected-parameters"  # tools/notebook.ts INJECTED_TAG


def injected_index(nb) -> int | None:
    """Index of the cell tools/notebook.ts injected (tagged INJECTED_TAG), if any."""
    tagged = [i for i, c in enumerate(nb.cells) if INJECTED_TAG in c.get("metadata", {}).get("tags", [])]
    return tagged[0] if tagged else None


def describe_cell(nb, index: int, injected: int | None) -> str:
    if injected is not None and index == injected:
        return f"the injected parameters cell (after cell {index})"
    number = index + 1 if injected is None or index < injected else index
    return f'cell {number} ("{first_line(nb.cells[index].source)}")'


def signature(nb) -> list[list]:
    """Kind of every output, per cell: what must be identical in every run."""
    sig = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        kinds: list[str] = []
        for out in cell.outputs:
            if out.output_type == "stream":
                kind = f"stream:{out.name}"
                if kinds and kinds[-1] == kind:
                    continue  # a console.log split into several messages is still one output
            elif out.output_type in ("display_data", "execute_result"):
                kind = f"{out.output_type}:{'+'.join(sorted(out.data))}"
            else:
                kind = out.output_type
            kinds.append(kind)
        sig.append([index, kinds])
    return sig


def run_once(path: Path, name: str, workdir: Path, timeout: int, late_wait: float):
    nb = nbformat.read(path, as_version=4)
    injected = injected_index(nb)
    client = DenoNotebookClient(
        nb,
        late_wait=late_wait,
        kernel_name="deno",
        timeout=timeout,
        startup_timeout=60,
        resources={"metadata": {"path": str(workdir)}},
    )
    started = time.monotonic()
    try:
        client.execute()
    except CellExecutionError as error:
        where = describe_cell(nb, client.failed_index or 0, injected)
        message = ANSI.sub("", f"{error.ename}: {error.evalue}").rstrip()
        raise NotebookFailure(f"{name}, {where}: {message}") from None
    except CellTimeoutError:
        where = describe_cell(nb, client.failed_index or 0, injected)
        raise NotebookFailure(f"{name}, {where}: timed out after {timeout} s") from None
    except DeadKernelError as error:
        raise NotebookFailure(f"{name}: the Deno kernel died ({error})") from None
    except RuntimeError as error:  # e.g. kernel failed to start
        raise NotebookFailure(f"{name}: could not run the Deno kernel: {error}") from None
    seconds = time.monotonic() - started

    figures = 0
    outputs = 0
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for out in cell.outputs:
            outputs += 1
            if PLOTLY_MIME in out.get("data", {}):
                figures += 1
            if ANSI.search(json.dumps(out)):
                where = describe_cell(nb, index, injected)
                raise NotebookFailure(f"{name}, {where}: output contains ANSI colour codes")
    if client.late:
        index, kind = client.late[0]
        where = describe_cell(nb, index, injected)
        raise NotebookFailure(
            f"{name}, {where}: {len(client.late)} output(s) ({kind}) arrived after the kernel "
            "reported the cell idle; Jupyter clients lose such output"
        )
    expected = nb.metadata.get("course", {}).get("expected_figures")
    if expected is not None and figures != expected:
        raise NotebookFailure(
            f"{name}: expected {expected} plotly figure(s) (metadata.course.expected_figures), "
            f"found {figures}"
        )
    return nb, {
        "seconds": round(seconds, 3),
        "outputs": outputs,
        "figures": figures,
        "late": len(client.late),
        # Wall time of each code cell (request to idle, late-wait excluded); "seconds" above also
        # counts kernel start-up. "cell" is numbered as in failure messages.
        "cells": [
            {"cell": describe_cell(nb, i, injected), "seconds": round(s, 3)}
            for i, s in client.cell_seconds
        ],
        "signature": signature(nb),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebook", type=Path)
    parser.add_argument("--as", dest="as_path", type=Path, help="run as if the file were this notebook")
    parser.add_argument("--out", type=Path, help="write the executed notebook here")
    parser.add_argument("--repeat", type=int, default=1, help="execute N times, each in a fresh kernel")
    parser.add_argument("--timeout", type=int, default=120, help="seconds per cell")
    parser.add_argument("--late-wait", type=float, default=0.0, help="seconds to listen after each cell")
    parser.add_argument("--json", action="store_true", help="print a JSON summary on stdout")
    args = parser.parse_args(argv)

    path: Path = args.notebook.resolve()
    original: Path = (args.as_path or args.notebook).resolve()
    name = os.path.relpath(original)
    if not path.is_file():
        print(f"{name}: no such notebook", file=sys.stderr)
        return 2
    runs = []
    try:
        for run in range(args.repeat):
            nb, summary = run_once(path, name, original.parent, args.timeout, args.late_wait)
            if runs and summary["signature"] != runs[0]["signature"]:
                raise NotebookFailure(
                    f"{name}: run {run + 1} produced {summary['outputs']} outputs, run 1 produced "
                    f"{runs[0]['outputs']}; outputs differ between runs (lost output?)"
                )
            runs.append(summary)
            if run == 0 and args.out:
                args.out.parent.mkdir(parents=True, exist_ok=True)
                nbformat.write(nb, args.out)
    except NotebookFailure as failure:
        print(str(failure), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130

    if args.json:
        print(json.dumps({
            "notebook": name,
            "expected_figures": nb.metadata.get("course", {}).get("expected_figures"),
            "expected_outputs": runs[0]["outputs"],
            "runs": [{k: v for k, v in r.items() if k != "signature"} for r in runs],
        }))
    else:
        total = sum(r["seconds"] for r in runs)
        print(
            f"{name}: ok, {runs[0]['outputs']} outputs, {runs[0]['figures']} figures, "
            f"{len(runs)} run(s) in {total:.1f} s" + (f", written to {args.out}" if args.out else ""),
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
