"""Who runs the notebooks: the sandbox in this process, or a root broker.

- :class:`LocalExecutor` runs each notebook with :class:`~course.sandbox.bwrap.Sandbox`
  from this process (root with the sandbox; or, only when the instructor
  asks for it, unsandboxed as this user).
- :func:`grade_as_owner`: when root grades a course folder that belongs to
  another account (the classroom's grader), everything that touches the
  course folder runs in a child process as that account; root keeps only
  the sandbox. The child sends root plain bytes over pipes (the data files
  and the notebook to run, JSON-framed, never pickled) and gets back the
  sandbox's result bytes. Root never opens a path the grader account can
  change and never executes the course folder's configuration.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import tempfile
import threading
from multiprocessing.connection import Connection, Pipe
from pathlib import Path

from course.autograde.runner import Executor
from course.sandbox.bwrap import Outcome, Sandbox

#: the largest message between the grading process and root
MAX_MESSAGE = 512 * 2**20


class LocalExecutor(Executor):
    """Run notebooks with a :class:`Sandbox` from this process."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.sandboxed = sandbox.sandboxed
        self.base = Path(tempfile.mkdtemp(prefix="nps-data-"))
        os.chmod(self.base, 0o755)
        self.staged: dict[str, Path] = {}

    def stage(self, assignment: str, files: dict[str, bytes]) -> None:
        """Write an assignment's data where every sandbox can read it (read-only)."""
        target = self.base / Path(assignment).name
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(mode=0o755)
        os.chmod(target, 0o755)  # the grading umask (077) cuts mkdir's mode
        for rel, data in files.items():
            parts = Path(rel).parts
            if not parts or any(p in ("..", "") or p.startswith("/") for p in parts):
                continue
            path = target.joinpath(*parts)
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o755)
            for depth in range(1, len(parts)):  # every folder on the way (data/tor/archive/...)
                os.chmod(target.joinpath(*parts[:depth]), 0o755)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.chmod(path, 0o644)
        self.staged[assignment] = target

    def run(self, notebook: bytes, assignment: str, slot: int) -> Outcome:
        return self.sandbox.run(notebook, self.staged.get(assignment), assignment, slot)

    def close(self) -> None:
        shutil.rmtree(self.base, ignore_errors=True)


def _send(conn: Connection, message: dict) -> None:
    conn.send_bytes(json.dumps(message).encode("utf-8"))


def _receive(conn: Connection) -> dict:
    message = json.loads(conn.recv_bytes(MAX_MESSAGE).decode("utf-8"))
    if not isinstance(message, dict):
        raise ValueError("not a message")
    return message


class BrokerClient(Executor):
    """The grading process's side: each slot asks root over its own pipe."""

    sandboxed = True

    def __init__(self, connections: list[Connection]) -> None:
        self.connections = connections
        self.lock = threading.Lock()

    def stage(self, assignment: str, files: dict[str, bytes]) -> None:
        encoded = {k: base64.b64encode(v).decode() for k, v in files.items()}
        with self.lock:
            _send(self.connections[0], {"op": "stage", "assignment": assignment, "files": encoded})
            _receive(self.connections[0])

    def run(self, notebook: bytes, assignment: str, slot: int) -> Outcome:
        conn = self.connections[slot - 1]
        _send(conn, {"op": "run", "assignment": assignment, "slot": slot,
                     "notebook": notebook.decode("utf-8")})  # fmt: skip
        reply = _receive(conn)
        result = reply.get("result")
        return Outcome(
            result=base64.b64decode(result) if isinstance(result, str) else None,
            events=[e for e in reply.get("events", []) if isinstance(e, str)],
            error=str(reply.get("error", "")),
            log=str(reply.get("log", "")),
            seconds=float(reply.get("seconds", 0.0)),
        )


def _serve(conn: Connection, local: LocalExecutor, stage_lock: threading.Lock) -> None:
    """Root's side of one slot: answer requests until the grading process closes the pipe."""
    while True:
        try:
            message = _receive(conn)
        except (EOFError, OSError, ValueError):
            return
        op = message.get("op")
        try:
            if op == "stage":
                files = message.get("files", {})
                with stage_lock:
                    local.stage(
                        str(message.get("assignment", "assignment")),
                        {str(k): base64.b64decode(v) for k, v in files.items()},
                    )
                _send(conn, {"ok": True})
            elif op == "run":
                slot = int(message.get("slot", 1))
                if not 1 <= slot <= 64:
                    raise ValueError("bad slot")
                outcome = local.run(
                    str(message.get("notebook", "")).encode("utf-8"),
                    str(message.get("assignment", "assignment")),
                    slot,
                )
                _send(conn, {
                    "result": base64.b64encode(outcome.result).decode() if outcome.result else None,
                    "events": outcome.events, "error": outcome.error,
                    "log": outcome.log, "seconds": outcome.seconds,
                })  # fmt: skip
            else:
                _send(conn, {"error": "unknown request"})
        except (OSError, ValueError, TypeError) as exc:
            try:
                _send(conn, {"error": f"{type(exc).__name__}: {exc}"[:300]})
            except OSError:
                return


def run_as_owner(root: Path, work) -> dict:
    """``work() -> dict`` as the owner of the course folder ``root`` (in a child
    process when root runs it on another account's folder); its dict back."""
    owner = os.stat(root)
    if os.geteuid() != 0 or owner.st_uid == 0:
        return work()
    return grade_as_owner(owner.st_uid, owner.st_gid, 0, None, lambda _executor: work())


def grade_as_owner(uid: int, gid: int, jobs: int, sandbox: Sandbox, work) -> dict:
    """Run ``work(executor) -> dict`` in a child process as ``uid``/``gid``, with
    root serving the sandbox; return the dict the child sent back (JSON)."""
    from course.errors import CourseError

    pairs = [Pipe(duplex=True) for _ in range(jobs)]
    result_read, result_write = Pipe(duplex=False)
    pid = os.fork()
    if pid == 0:  # the grading process, as the course folder's owner
        code = 1
        try:
            for root_end, _ in pairs:
                root_end.close()
            result_read.close()
            os.setgroups([])
            os.setgid(gid)
            os.setuid(uid)
            report = work(BrokerClient([child_end for _, child_end in pairs]))
            result_write.send_bytes(json.dumps(report).encode("utf-8"))
            code = 0
        except BaseException as exc:  # told to the parent as a one-line error
            try:
                result_write.send_bytes(json.dumps({"error": str(exc)[:500]}).encode("utf-8"))
            except OSError:
                pass
        finally:
            os._exit(code)
    for _, child_end in pairs:
        child_end.close()
    result_write.close()
    local = LocalExecutor(sandbox) if sandbox is not None else None
    stage_lock = threading.Lock()
    threads = [
        threading.Thread(target=_serve, args=(root_end, local, stage_lock), daemon=True)
        for root_end, _ in pairs
    ]
    for thread in threads:
        thread.start()
    try:
        try:
            reply = json.loads(result_read.recv_bytes(MAX_MESSAGE).decode("utf-8"))
        except (EOFError, OSError, ValueError):
            reply = {"error": "the grading process ended without a report"}
        os.waitpid(pid, 0)
    finally:
        for root_end, _ in pairs:
            root_end.close()
        if local is not None:
            local.close()
    if not isinstance(reply, dict):
        reply = {"error": "no report"}
    if "error" in reply and set(reply) == {"error"}:
        raise CourseError(str(reply["error"]))
    return reply
