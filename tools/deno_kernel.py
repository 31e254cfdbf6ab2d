"""The course's Jupyter kernel: ``deno jupyter --kernel`` behind a small relay.

The kernelspec that ``deno task setup`` registers (``.venv/share/jupyter/kernels/deno``) starts::

    .venv/bin/python tools/deno_kernel.py --deno /path/to/deno --conn {connection_file}

This process binds the ports Jupyter gave it, starts Deno's kernel on ports of its own and passes
every message through unchanged, adding what Jupyter front ends expect from a kernel and Deno's
kernel leaves out (measured on Deno 2.7.14 and 2.9.6):

* **Stop on error.** Run All sends every cell at once with ``stop_on_error``; a kernel is expected
  to abort the queued cells when one fails (IPython does). Deno runs them all, so one failing cell
  is followed by a cascade of ReferenceErrors. Here execute requests go to Deno one at a time, and
  when one fails, the queued ones are answered ``aborted`` without running, so Run All stops at the
  failing cell, as with Python.
* **No orphans.** Deno is killed when this process dies (``PR_SET_PDEATHSIG`` on Linux), and this
  process exits when its parent (JupyterLab, nbclient) disappears without shutting it down.
* **Quiet.** ``--quiet`` keeps Deno's "deno jupyter is unstable" warning out of every output, and
  a diagnostic line that repeats a cell's error ("CDP response has null result") is dropped.

Everything else (outputs, completions, comms, input, interrupts) passes through as Deno sends it.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import uuid
from collections import deque

import zmq
from jupyter_client.connect import write_connection_file
from jupyter_client.session import Session

DELIM = b"<IDS|MSG>"


def split(frames: list[bytes]) -> tuple[list[bytes], list[bytes]]:
    """Routing identities, then the message from the delimiter on."""
    i = frames.index(DELIM)
    return frames[:i], frames[i:]


def header_of(msg: list[bytes], field: int = 2) -> dict:
    """A JSON part of a message starting at the delimiter: 2 header, 3 parent, 5 content."""
    return json.loads(msg[field])


# Deno's own diagnostics that repeat what the cell already reports as its error.
NOISE = re.compile(rb"^CDP response has null result")


def forward_stderr(stream) -> None:
    """Passes Deno's stderr on, without the lines in NOISE."""
    for line in iter(stream.readline, b""):
        if not NOISE.match(line):
            sys.stderr.buffer.write(line)
            sys.stderr.buffer.flush()


def die_with_parent() -> None:
    """In the child, before exec: be killed when the parent dies (Linux only)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


class Relay:
    """Passes messages between the Jupyter client (outer sockets) and Deno (inner sockets)."""

    def __init__(self, outer: dict, inner: dict, session: Session):
        self.ctx = zmq.Context()
        self.session = session
        url = lambda info, port: f"{info['transport']}://{info['ip']}:{info[port]}"  # noqa: E731
        identity = uuid.uuid4().hex.encode()
        self.o_shell = self._socket(zmq.ROUTER, bind=url(outer, "shell_port"))
        self.o_control = self._socket(zmq.ROUTER, bind=url(outer, "control_port"))
        self.o_stdin = self._socket(zmq.ROUTER, bind=url(outer, "stdin_port"))
        self.o_iopub = self._socket(zmq.PUB, bind=url(outer, "iopub_port"))
        self.o_hb = self._socket(zmq.REP, bind=url(outer, "hb_port"))
        # Deno addresses input requests to the identity that sent the execute request.
        self.i_shell = self._socket(zmq.DEALER, connect=url(inner, "shell_port"), identity=identity)
        self.i_stdin = self._socket(zmq.DEALER, connect=url(inner, "stdin_port"), identity=identity)
        self.i_control = self._socket(zmq.DEALER, connect=url(inner, "control_port"))
        self.i_iopub = self._socket(zmq.SUB, connect=url(inner, "iopub_port"))
        self.i_iopub.setsockopt(zmq.SUBSCRIBE, b"")
        self.routes: dict[str, list[bytes]] = {}  # request msg_id -> client identities
        self.queue: deque[tuple[list[bytes], list[bytes]]] = deque()  # held execute requests
        self.running: dict | None = None  # the execute request Deno is running
        self.poller = zmq.Poller()
        for sock in (self.o_shell, self.o_control, self.o_stdin, self.o_hb, self.i_shell,
                     self.i_control, self.i_stdin, self.i_iopub):
            self.poller.register(sock, zmq.POLLIN)

    def _socket(self, kind, bind=None, connect=None, identity=None):
        sock = self.ctx.socket(kind)
        sock.linger = 0
        if identity is not None:
            sock.identity = identity
        if bind:
            sock.bind(bind)
        if connect:
            sock.connect(connect)
        return sock

    # -- shell -------------------------------------------------------------------------------

    def from_client_shell(self, frames: list[bytes]) -> None:
        idents, msg = split(frames)
        header = header_of(msg)
        self.routes[header["msg_id"]] = idents
        if header["msg_type"] != "execute_request":
            self.i_shell.send_multipart(msg)
        elif self.running is None:
            self._start(idents, msg)
        else:
            self.queue.append((idents, msg))

    def _start(self, idents: list[bytes], msg: list[bytes]) -> None:
        content = header_of(msg, 5)
        self.running = {
            "msg_id": header_of(msg)["msg_id"],
            "idents": idents,
            "stop_on_error": content.get("stop_on_error", True) and not content.get("silent"),
        }
        self.i_shell.send_multipart(msg)

    def from_kernel_shell(self, msg: list[bytes]) -> None:
        parent = header_of(msg, 3)
        idents = self.routes.pop(parent.get("msg_id"), [])
        self.o_shell.send_multipart([*idents, *msg])
        if self.running is None or parent.get("msg_id") != self.running["msg_id"]:
            return
        failed = header_of(msg, 5).get("status") == "error" and self.running["stop_on_error"]
        self.running = None
        if failed:
            while self.queue:
                self._abort(*self.queue.popleft())
        if self.queue:
            self._start(*self.queue.popleft())

    def _abort(self, idents: list[bytes], msg: list[bytes]) -> None:
        """Answers a queued execute request as IPython does after an error: not run."""
        parent = header_of(msg)
        self.routes.pop(parent["msg_id"], None)
        status = lambda state: self.session.send(  # noqa: E731
            self.o_iopub, "status", {"execution_state": state}, parent=parent, ident=b"kernel.status"
        )
        status("busy")
        self.session.send(self.o_shell, "execute_reply", {"status": "aborted"}, parent=parent,
                          ident=idents)
        status("idle")

    # -- the other channels ------------------------------------------------------------------

    def from_client_control(self, frames: list[bytes]) -> None:
        idents, msg = split(frames)
        self.routes[header_of(msg)["msg_id"]] = idents
        self.i_control.send_multipart(msg)

    def from_kernel_control(self, msg: list[bytes]) -> None:
        idents = self.routes.pop(header_of(msg, 3).get("msg_id"), [])
        self.o_control.send_multipart([*idents, *msg])

    def from_kernel_stdin(self, msg: list[bytes]) -> None:
        idents = self.running["idents"] if self.running else []
        self.o_stdin.send_multipart([*idents, *msg])

    def step(self, timeout_ms: int) -> None:
        for sock, _ in self.poller.poll(timeout_ms):
            frames = sock.recv_multipart()
            if sock is self.o_shell:
                self.from_client_shell(frames)
            elif sock is self.i_shell:
                self.from_kernel_shell(frames)
            elif sock is self.o_control:
                self.from_client_control(frames)
            elif sock is self.i_control:
                self.from_kernel_control(frames)
            elif sock is self.o_stdin:
                self.i_stdin.send_multipart(split(frames)[1])
            elif sock is self.i_stdin:
                self.from_kernel_stdin(frames)
            elif sock is self.i_iopub:
                self.o_iopub.send_multipart(frames)
            elif sock is self.o_hb:
                sock.send_multipart(frames)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deno", required=True, help="the Deno binary that runs the cells")
    parser.add_argument("--conn", required=True, help="the connection file from Jupyter")
    args = parser.parse_args(argv)

    with open(args.conn, encoding="utf-8") as f:
        outer = json.load(f)
    key = outer.get("key", "").encode()
    scheme = outer.get("signature_scheme", "hmac-sha256")
    workdir = tempfile.mkdtemp(prefix="deno-kernel-")
    inner_file, inner = write_connection_file(
        os.path.join(workdir, "inner.json"), ip="127.0.0.1", key=key, transport="tcp",
        signature_scheme=scheme,
    )
    relay = Relay(outer, inner, Session(key=key, signature_scheme=scheme))
    # Interrupts reach Deno directly: jupyter_client signals the kernel's whole process group.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    deno = subprocess.Popen(
        [args.deno, "jupyter", "--kernel", "--quiet", "--conn", inner_file],
        preexec_fn=die_with_parent if sys.platform.startswith("linux") else None,
        stderr=subprocess.PIPE,
    )
    threading.Thread(target=forward_stderr, args=(deno.stderr,), daemon=True).start()
    signal.signal(signal.SIGTERM, lambda *_: deno.terminate())
    parent = os.getppid()
    try:
        while deno.poll() is None:
            relay.step(500)
            if os.getppid() != parent:  # our client died without shutting us down
                deno.kill()
                deno.wait()
        # Deliver what Deno sent just before exiting (its shutdown reply, last outputs).
        relay.step(50)
    finally:
        if deno.poll() is None:
            deno.kill()
        for name in os.listdir(workdir):
            os.remove(os.path.join(workdir, name))
        os.rmdir(workdir)
    return deno.returncode if deno.returncode >= 0 else 128 - deno.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
