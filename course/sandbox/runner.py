"""Run one notebook inside the grading sandbox (as the unprivileged sandbox account).

Usage (started by :mod:`course.sandbox.bwrap`, already inside the sandbox)::

    python -m course.sandbox.runner NOTEBOOK RESULT --cell-timeout S

Every code cell is executed in order by nbclient in a fresh kernel; the
result file lists, for each cell index, its execution count and outputs (cut
to a readable size). It is written again every few seconds, so a notebook
stopped by the wall-clock limit is still graded as far as it ran. Nothing in
the result is trusted by the grader: it is data, parsed outside the sandbox,
and only the answers the hidden tests recorded count (compared with the key
outside).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

#: per cell: at most this many outputs, stream lines and characters are kept
MAX_OUTPUTS = 30
MAX_LINES = 200
MAX_CHARS = 40_000
#: at most this many code cells run (a notebook of 10,000 cells is cut)
MAX_CODE_CELLS = 400
KERNEL_SITE = Path(__file__).resolve().parent / "kernel_site"


def _cut_text(text: str) -> str:
    lines = text.split("\n")
    if len(lines) > MAX_LINES:
        head = lines[: MAX_LINES // 2]
        tail = lines[-MAX_LINES // 2 :]
        lines = [*head, f"... {len(lines) - MAX_LINES} lines cut ...", *tail]
    text = "\n".join(lines)
    if len(text) > MAX_CHARS:
        text = text[: MAX_CHARS // 2] + "\n... cut ...\n" + text[-MAX_CHARS // 2 :]
    return text


def cut_outputs(outputs: list) -> list:
    """Outputs of one cell, cut to what feedback can show."""
    merged: list[dict] = []
    for output in outputs:  # consecutive text of one stream becomes one output
        output = dict(output)
        if "text" in output:
            output["text"] = "".join(output["text"])
        last = merged[-1] if merged else None
        if (
            last is not None
            and output.get("output_type") == "stream" == last.get("output_type")
            and output.get("name") == last.get("name")
        ):
            last["text"] += output["text"]
        else:
            merged.append(output)
    outputs = merged
    kept = []
    for output in outputs[:MAX_OUTPUTS]:
        if "text" in output:
            output["text"] = _cut_text("".join(output["text"]))
        if "traceback" in output:
            output["traceback"] = [_cut_text(t) for t in output["traceback"][-60:]]
        kept.append(output)
    if len(outputs) > MAX_OUTPUTS:
        kept.append({"output_type": "stream", "name": "stdout", "text": "... outputs cut ..."})
    return kept


def _write(path: Path, result: dict) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def kernel_environment(events: str | None) -> None:
    """The environment the kernel inherits: record mode, the audit hook, no display."""
    # the audit hook first; then the folder holding this very ``course`` package
    # (inside the sandbox only the package itself is there)
    parent = str(Path(__file__).resolve().parents[2])
    os.environ["PYTHONPATH"] = os.pathsep.join([str(KERNEL_SITE), parent])
    os.environ["COURSE_GRADING_MODE"] = "record"
    os.environ["MPLBACKEND"] = "Agg"
    os.environ.setdefault("HOME", "/tmp")
    os.environ["IPYTHONDIR"] = os.path.join(os.environ["HOME"], ".ipython")
    os.environ["JUPYTER_RUNTIME_DIR"] = os.path.join(os.environ["HOME"], ".runtime")
    os.environ.pop("COURSE_ANSWER_KEY", None)
    if events:
        os.environ["COURSE_EVENTS_PATH"] = events


async def _ready(client, timeout: float) -> None:
    """Wait until the kernel answers on its shell and IOPub channels.

    jupyter_client's own ``wait_for_ready`` then listens to IOPub for a further
    0.2 s of silence on every start; nbclient reads only the replies to its own
    requests, so that wait buys nothing here and is left out.
    """
    from queue import Empty

    from nbclient.util import ensure_async

    kc = client.kc
    end = time.monotonic() + timeout
    while True:
        kc.kernel_info()
        try:
            msg = await ensure_async(kc.shell_channel.get_msg(timeout=1))
        except Empty:
            msg = None
        if msg is not None and msg["msg_type"] == "kernel_info_reply":
            try:  # IOPub is connected once the reply's status message arrives
                await ensure_async(kc.iopub_channel.get_msg(timeout=0.2))
            except Empty:
                pass
            else:
                kc._handle_kernel_info_reply(msg)
                return
        if not await ensure_async(kc.is_alive()):
            raise RuntimeError("the kernel died before replying to kernel_info")
        if time.monotonic() > end:
            raise RuntimeError(f"the kernel did not reply in {timeout:.0f} s")


def start_kernel(client) -> None:
    """Start ``client``'s kernel and connect to it (no stdin: ``input()`` fails)."""
    from nbclient.util import ensure_async, run_sync

    async def start() -> None:
        client.km = client.create_kernel_manager()
        await client.async_start_new_kernel()
        client.kc = client.km.client()
        await ensure_async(client.kc.start_channels())
        await _ready(client, client.startup_timeout)
        client.kc.allow_stdin = False

    run_sync(start)()


def kill_kernel(client) -> None:
    """SIGKILL the kernel's process group at once: the notebook is over and
    nothing of the kernel's state is kept (no graceful shutdown to wait for)."""
    from nbclient.util import run_sync

    km = getattr(client, "km", None)
    provisioner = getattr(km, "provisioner", None)
    if provisioner is not None and getattr(provisioner, "process", None) is not None:
        try:
            run_sync(provisioner.kill)()
        except Exception:  # already gone
            pass


def run(notebook: Path, result_path: Path, cell_timeout: int, events: str | None) -> dict:
    """Execute ``notebook`` cell by cell in a fresh kernel; write and return the result."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    kernel_environment(events)
    nb = nbformat.read(notebook, as_version=4)
    result: dict = {"cells": {}, "status": "running"}
    client = NotebookClient(
        nb,
        timeout=cell_timeout,
        interrupt_on_timeout=True,
        allow_errors=True,
        kernel_name="python3",
        resources={"metadata": {"path": str(notebook.parent)}},
        record_timing=False,
        shutdown_kernel="immediate",
    )
    last = started = time.monotonic()
    ran = 0
    result["timings"] = {"kernel_start": 0.0, "cells": 0.0}
    try:
        start_kernel(client)
        result["timings"]["kernel_start"] = time.monotonic() - started
        started = time.monotonic()
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or not cell.source.strip():
                continue
            if ran >= MAX_CODE_CELLS:
                result["status"] = f"cut after {MAX_CODE_CELLS} code cells"
                break
            ran += 1
            try:
                client.execute_cell(cell, index)
            except DeadKernelError:
                result["status"] = "the kernel died"
                break
            except Exception as exc:  # nbclient's own failures stop this notebook only
                result["status"] = f"stopped: {type(exc).__name__}"
                break
            finally:
                result["cells"][str(index)] = {
                    "execution_count": cell.get("execution_count"),
                    "outputs": cut_outputs(cell.get("outputs", [])),
                }
            if time.monotonic() - last > 2:
                _write(result_path, result)
                last = time.monotonic()
        else:
            result["status"] = "done"
        result["timings"]["cells"] = time.monotonic() - started
    except Exception as exc:  # the kernel could not start, or died while starting
        result["status"] = f"the kernel could not run: {type(exc).__name__}"
    finally:
        kill_kernel(client)
    _write(result_path, result)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", type=Path)
    parser.add_argument("result", type=Path)
    parser.add_argument("--cell-timeout", type=int, default=120)
    parser.add_argument("--events", default=None)
    parser.add_argument("--limits", action="store_true", help="apply the sandbox's rlimits")
    args = parser.parse_args(argv)
    if args.limits:
        from course.sandbox.limits import Limits

        Limits().apply()
    os.umask(0o077)
    run(args.notebook, args.result, args.cell_timeout, args.events)
    # the result is written and the kernel killed: leave without waiting for
    # the client's channels and threads to wind down
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
