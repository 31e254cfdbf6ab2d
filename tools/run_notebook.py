"""Execute a notebook headless with the project's Deno kernel and check what it produced.

Run with the project's venv (``deno task nb`` and the tests do this for you)::

    .venv/bin/python tools/run_notebook.py notebooks/01-conditional-probability.ipynb \
        [--as PATH] [--out PATH] [--repeat N] [--timeout S] [--late-wait SECONDS] [--json]

Each run starts a fresh ``deno`` kernel (the kernelspec in ``.venv/share/jupyter``, put first on
JUPYTER_PATH) with the notebook's directory as working directory, executes every code cell in order
through nbclient, and fails with one line naming the notebook, the cell number (1-based position
among all cells of the file, markdown included) and the error message when:

* a cell raises (``throw``, a failing ``assert``),
* a cell starts a timer or a promise that throws after the cell finished (an error thrown in a
  ``setTimeout`` callback, an unhandled rejection): the error fails the cell that started it,
  reported as soon as it is seen (before the next cell runs, or at the end),
* a cell does not finish within ``--timeout`` seconds (default 120), or awaits a promise that can
  never settle (Deno gives up on it after about 30 s): "cell N timed out after S s",
* the kernel dies while running a cell,
* an output contains ANSI colour codes,
* the number of plotly figures differs from ``metadata.course.expected_figures`` (when declared),
* with ``--repeat N``: any run's outputs differ in kind or number from the first run's.

A file that is not a notebook (not JSON, no cells) gets one line naming it. Ctrl+C prints one line
and stops the kernel. If the process that started the runner dies (even by SIGKILL), the runner
stops its kernel and exits within a second (tools/deno_kernel.py does the same for the kernel).

How late errors are caught: before the first cell the runner installs, silently, a small prelude in
the kernel that wraps ``setTimeout``/``setInterval`` to remember which cell scheduled each callback
and listens for ``error`` and ``unhandledrejection`` events (which also keeps Deno's kernel from
stalling the next cell for 30 s). Between cells it asks the kernel, silently, for what was caught.
None of this is in the notebook or its saved outputs.

``--as PATH`` runs the given file as if it were the notebook at PATH (its name in messages, its folder
as working directory): ``deno task nb`` passes a copy with ``--param`` values injected by
tools/notebook.ts (``withParameters``), the one implementation of parameter injection; this runner
only recognises the injected cell by its tag to name it in messages. ``--out PATH`` writes the
executed copy. ``--late-wait S`` listens S seconds after each cell for output the kernel publishes
after reporting the cell idle (such output is lost by Jupyter clients); it is counted as "late",
kept in the cell, and fails the run.

Exit status: 0 on success, 1 on a notebook failure, 2 on bad usage or a file that is not a
notebook, 130 when interrupted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import queue
import re
import signal
import sys
import threading
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbclient.util import ensure_async

PLOTLY_MIME = "application/vnd.plotly.v1+json"
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
OUTPUT_TYPES = {"stream", "display_data", "execute_result", "error", "update_display_data"}
# What Deno's kernel reports when a cell awaits a promise that the garbage collector dropped
# because nothing could ever settle it ("CDP ... Promise was collected").
COLLECTED = re.compile(r"expected struct EvaluateResponse|Promise was collected")

# The project's kernelspec lives in the venv's data dir; put it first so a user-wide `deno`
# kernelspec (for example from `deno jupyter --install`) cannot shadow it.
_data = os.path.join(sys.prefix, "share", "jupyter")
os.environ["JUPYTER_PATH"] = os.pathsep.join(
    p for p in [_data, os.environ.get("JUPYTER_PATH", "")] if p
)
os.environ["NO_COLOR"] = "1"

# Installed silently in the kernel before the first cell (see the module doc).
PRELUDE = """
(() => {
  const key = Symbol.for("course.runner");
  if (globalThis[key]) return;
  const state = { cell: -1, errors: [], pending: new Set() };
  const original = {
    setTimeout: globalThis.setTimeout.bind(globalThis),
    setInterval: globalThis.setInterval.bind(globalThis),
    clearTimeout: globalThis.clearTimeout.bind(globalThis),
  };
  const record = (cell, error, how) =>
    state.errors.push({ cell, how, name: error?.name ?? "Error", message: String(error?.message ?? error) });
  const guard = (callback, cell, id) => function (...args) {
    if (id) state.pending.delete(id.value);
    try {
      const result = callback.apply(this, args);
      if (result && typeof result.then === "function") {
        result.then(undefined, (error) => record(cell, error, "timer"));
      }
      return result;
    } catch (error) {
      record(cell, error, "timer");
    }
  };
  globalThis.setTimeout = function (callback, delay, ...args) {
    if (typeof callback !== "function") return original.setTimeout(callback, delay, ...args);
    const id = { value: undefined };
    id.value = original.setTimeout(guard(callback, state.cell, id), delay, ...args);
    state.pending.add(id.value);
    return id.value;
  };
  globalThis.setInterval = function (callback, delay, ...args) {
    if (typeof callback !== "function") return original.setInterval(callback, delay, ...args);
    return original.setInterval(guard(callback, state.cell), delay, ...args);
  };
  globalThis.clearTimeout = function (id) {
    state.pending.delete(id);
    return original.clearTimeout(id);
  };
  addEventListener("unhandledrejection", (event) => {
    event.preventDefault();
    record(state.cell, event.reason, "promise");
  });
  addEventListener("error", (event) => {
    event.preventDefault();
    record(state.cell, event.error ?? event.message, "error");
  });
  const tick = (ms) => new Promise((resolve) => original.setTimeout(resolve, ms));
  state.settle = async (next, waitMs) => {
    await tick(0);
    const until = Date.now() + waitMs;
    while (state.pending.size > 0 && Date.now() < until) await tick(10);
    const errors = state.errors.splice(0);
    state.cell = next;
    if (errors.length > 0) throw new Error(JSON.stringify(errors));
  };
  globalThis[key] = state;
})();
"""


def settle_code(next_cell: int, wait_ms: int) -> str:
    return f'await globalThis[Symbol.for("course.runner")].settle({next_cell}, {wait_ms});'


class NotebookFailure(Exception):
    """A failure to report as one line, without a Python traceback."""


class KernelStartFailure(NotebookFailure):
    """The Deno kernel did not start or answer (not the notebook's fault; retried once)."""


class NotANotebook(NotebookFailure):
    """The file is not a notebook this runner can run (exit status 2)."""


class LateError(Exception):
    """An error a cell's timer or promise threw after the cell finished."""

    def __init__(self, cell: int, how: str, name: str, message: str):
        super().__init__(f"{name}: {message}")
        self.cell, self.how, self.name, self.message = cell, how, name, message


# The kernel of the current run, stopped on Ctrl+C or when our parent dies.
CURRENT: dict = {}


def kill_kernel() -> None:
    km = CURRENT.get("km")
    provisioner = getattr(km, "provisioner", None)
    process = getattr(provisioner, "process", None)
    pgid = getattr(provisioner, "pgid", None)
    try:
        if pgid:
            os.killpg(pgid, signal.SIGKILL)
        elif process is not None:
            process.kill()
    except OSError:
        pass


class DenoNotebookClient(NotebookClient):
    """nbclient with the fixes and checks the Deno kernel needs.

    * Deno 2.7 sends ``"transient": null`` in execute_result. nbclient 0.11 copes, but older and
      other clients call ``content.get("transient", {}).get(...)`` and crash, so it is normalised
      to ``{}`` before nbclient sees it.
    * Late errors (see the module doc) and a kernel that gave up on a never-settling promise.
    * Optional listening for late output after each cell (see ``late_wait``).
    """

    def __init__(self, nb, late_wait: float = 0.0, **kwargs):
        super().__init__(nb, **kwargs)
        self.late_wait = late_wait
        self.late: list[tuple[int, str]] = []
        self.failed_index: int | None = None
        self.cell_seconds: list[tuple[int, float]] = []  # (cell index, seconds) per code cell
        self.cell_msg_id: str | None = None
        self.cell_started = time.monotonic()
        self.prelude_installed = False
        self.last_code_index = max(
            (i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.strip()),
            default=-1,
        )

    def process_message(self, msg, cell, cell_index):
        content = msg.get("content")
        if isinstance(content, dict) and content.get("transient", {}) is None:
            content["transient"] = {}
        if msg.get("msg_type") == "execute_input":
            self.cell_msg_id = msg["parent_header"].get("msg_id")
        return super().process_message(msg, cell, cell_index)

    async def _silent(self, code: str, timeout: float) -> dict:
        """Runs code in the kernel without a trace in the notebook; returns the reply content."""
        msg_id = await ensure_async(self.kc.execute(code, silent=True, store_history=False))
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise CellTimeoutError(f"no reply from the kernel within {timeout} s")
            try:
                msg = await ensure_async(self.kc.shell_channel.get_msg(timeout=min(1.0, remaining)))
            except queue.Empty:
                await self._async_check_alive()
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg["content"]

    async def _settle(self, next_cell: int, wait_ms: int) -> None:
        """Raises LateError for the first error a timer or promise threw since the last check."""
        reply = await self._silent(settle_code(next_cell, wait_ms), timeout=wait_ms / 1000 + 30)
        if reply.get("status") != "error":
            return
        try:
            errors = json.loads(reply.get("evalue", ""))
            first = errors[0]
            raise LateError(first["cell"], first["how"], first["name"], first["message"])
        except (ValueError, LookupError, TypeError):
            raise LateError(next_cell, "error", reply.get("ename", "Error"), reply.get("evalue", ""))

    async def async_start_new_kernel(self, **kwargs):
        # Our Ctrl+C handling replaces nbclient's (which starts a slow shutdown and leaves
        # tracebacks); installed before the kernel starts, so an early Ctrl+C is handled too.
        CURRENT["km"] = self.km
        for signum in (signal.SIGINT, signal.SIGTERM):
            try:
                asyncio.get_running_loop().add_signal_handler(signum, interrupted, self)
            except (RuntimeError, NotImplementedError):
                pass
        return await super().async_start_new_kernel(**kwargs)

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        runs = cell.cell_type == "code" and cell.source.strip()
        if runs:
            self.failed_index = cell_index
            if not self.prelude_installed:
                await self._silent(PRELUDE + settle_code(cell_index, 0), timeout=60)
                self.prelude_installed = True
            else:
                await self._settle(cell_index, 0)
        started = self.cell_started = time.monotonic()
        self.cell_msg_id = None
        result = await super().async_execute_cell(
            cell, cell_index, execution_count=execution_count, store_history=store_history
        )
        if not runs:
            return result
        self.cell_seconds.append((cell_index, time.monotonic() - started))
        if self.late_wait > 0:
            await self._collect_late(cell, cell_index)
        if cell_index == self.last_code_index:
            # The end: give timers the last cell started a moment to fire, then check once more.
            await self._settle(-1, 2000)
        self.failed_index = None
        return result

    async def _collect_late(self, cell, cell_index):
        deadline = time.monotonic() + self.late_wait
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=remaining))
            except queue.Empty:
                return
            if msg["parent_header"].get("msg_id") != self.cell_msg_id:
                continue
            if msg["msg_type"] in OUTPUT_TYPES:
                self.late.append((cell_index, msg["msg_type"]))
                content = msg["content"]
                if content.get("transient", {}) is None:
                    content["transient"] = {}
                self.output(cell.outputs, msg, None, cell_index)


def interrupted(client: DenoNotebookClient) -> None:
    """Ctrl+C or SIGTERM while a cell runs: one line, the kernel stopped, exit 130."""
    where = ""
    if client.failed_index is not None:
        where = f", {describe_cell(client.nb, client.failed_index, injected_index(client.nb))}"
    print(f"Interrupted: {CURRENT.get('name', 'the notebook')}{where}", file=sys.stderr, flush=True)
    kill_kernel()
    os._exit(130)


def watch_parent() -> None:
    """Exits (stopping the kernel) when the process that started us dies, even by SIGKILL."""
    parent = os.getppid()

    def loop():
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                kill_kernel()
                os._exit(129)

    threading.Thread(target=loop, daemon=True, name="watch-parent").start()


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


def read_notebook(path: Path, name: str):
    """The notebook, or NotebookFailure with one line saying why the file is not one."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise NotANotebook(f"{name}: cannot be read ({error.strerror or error})") from None
    try:
        data = json.loads(text)
    except ValueError as error:
        raise NotANotebook(f"{name}: not a notebook: not JSON ({error})") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise NotANotebook(f"{name}: not a notebook: no `cells` list") from None
    if not any(c.get("cell_type") == "code" for c in data["cells"] if isinstance(c, dict)):
        raise NotANotebook(f"{name}: has no code cells to run") from None
    try:
        return nbformat.reads(text, as_version=4)
    except Exception as error:  # nbformat's own validation: one line, no traceback
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise NotANotebook(f"{name}: not a valid notebook ({reason})") from None


def run_once(path: Path, name: str, workdir: Path, timeout: int, late_wait: float):
    nb = read_notebook(path, name)
    injected = injected_index(nb)
    client = DenoNotebookClient(
        nb,
        late_wait=late_wait,
        kernel_name="deno",
        timeout=timeout,
        startup_timeout=60,
        # The outputs are in by then: stop the kernel at once, even one stuck in a cell.
        shutdown_kernel="immediate",
        resources={"metadata": {"path": str(workdir)}},
    )
    started = time.monotonic()

    def where() -> str:
        return describe_cell(nb, client.failed_index or 0, injected)

    try:
        client.execute()
    except LateError as error:
        cell = describe_cell(nb, error.cell, injected) if error.cell >= 0 else "a cell"
        how = {
            "timer": "thrown by a timer the cell started, after the cell finished",
            "promise": "a promise rejection nothing handled",
        }.get(error.how, "thrown after the cell finished")
        raise NotebookFailure(f"{name}, {cell}: {error.name}: {error.message} ({how})") from None
    except CellExecutionError as error:
        # Deno puts the error's name and message in the error output; its reply may lack them.
        outputs = nb.cells[client.failed_index or 0].get("outputs", [])
        shown = [o for o in outputs if o.get("output_type") == "error"]
        if shown and (not error.ename or error.ename == "<Error>"):
            error.ename, error.evalue = shown[-1].get("ename", ""), shown[-1].get("evalue", "")
        if COLLECTED.search(f"{error.ename} {error.evalue}"):
            seconds = time.monotonic() - client.cell_started
            raise NotebookFailure(
                f"{name}, {where()}: timed out after {seconds:.0f} s: it awaits a promise that "
                "never settles (Deno gave up on it)"
            ) from None
        message = ANSI.sub("", f"{error.ename}: {error.evalue}").rstrip()
        raise NotebookFailure(f"{name}, {where()}: {message}") from None
    except CellTimeoutError:
        raise NotebookFailure(f"{name}, {where()}: timed out after {timeout} s") from None
    except DeadKernelError:
        raise NotebookFailure(
            f"{name}, {where()}: the Deno kernel died while running this cell"
        ) from None
    except RuntimeError as error:  # e.g. kernel failed to start
        raise KernelStartFailure(f"{name}: could not run the Deno kernel: {error}") from None
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
                raise NotebookFailure(
                    f"{name}, {describe_cell(nb, index, injected)}: output contains ANSI colour codes"
                )
    if client.late:
        index, kind = client.late[0]
        raise NotebookFailure(
            f"{name}, {describe_cell(nb, index, injected)}: {len(client.late)} output(s) ({kind}) "
            "arrived after the kernel reported the cell idle; Jupyter clients lose such output"
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
    if args.timeout <= 0:
        parser.error(f"--timeout must be > 0 seconds, got {args.timeout}")

    path: Path = args.notebook.resolve()
    original: Path = (args.as_path or args.notebook).resolve()
    name = os.path.relpath(original)
    CURRENT["name"] = name
    if not path.is_file():
        print(f"{name}: no such notebook", file=sys.stderr)
        return 2
    watch_parent()
    runs = []
    try:
        for run in range(args.repeat):
            try:
                nb, summary = run_once(path, name, original.parent, args.timeout, args.late_wait)
            except KernelStartFailure as failure:
                # Seen once in 300 starts: Deno 2.7.14 exiting with "Failed to acquire startup
                # data" before the first cell. A fresh kernel gets one more try; a notebook
                # failure is never retried.
                print(f"{failure}; starting a fresh kernel once more", file=sys.stderr)
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
        return 2 if isinstance(failure, NotANotebook) else 1
    except KeyboardInterrupt:
        print(f"Interrupted: {name}", file=sys.stderr)
        kill_kernel()
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
