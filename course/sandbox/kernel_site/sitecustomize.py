"""Loaded first in every grading kernel: an audit hook that reports attempts
to reach grading internals (the answer key, the gradebook, other trainees'
files, the network, other programs) to the grader, through a file opened
before any trainee code runs. Audit hooks cannot be removed from Python code.
The report is a flag for the instructor, never a score: the sandbox itself
(course.sandbox.bwrap) is what keeps such things out of reach."""

import os
import sys


def _open_events():
    path = os.environ.pop("COURSE_EVENTS_PATH", "")
    if not path:
        return -1
    try:
        return os.open(path, os.O_WRONLY | os.O_APPEND | os.O_NOFOLLOW)
    except OSError:
        return -1


_FD = _open_events()
_WATCHED_PATHS = ("answer_key", "ground_truth", "gradebook", "/submitted/", "/source/", ".ipynb")
_reported = set()


def _report(kind, detail):
    key = (kind, detail)
    if _FD < 0 or key in _reported or len(_reported) > 200:
        return
    _reported.add(key)
    line = f"{kind}\t{detail}"[:500].replace("\n", " ") + "\n"
    try:
        os.write(_FD, line.encode("utf-8", "replace"))
    except OSError:
        pass


def _hook(event, args):
    if event == "open" and args and isinstance(args[0], (str, bytes)):
        path = os.fsdecode(args[0])
        if any(w in path for w in _WATCHED_PATHS) and "site-packages" not in path:
            _report("open", path)
    elif event == "socket.connect":
        _report("network", repr(args[1])[:200])
    elif event in ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "pty.spawn"):
        _report("process", repr(args)[:200])
    elif event in ("os.fork", "os.forkpty"):
        _report("fork", event)
    elif event == "ctypes.dlopen":
        _report("ctypes", repr(args)[:200])
    elif event == "os.kill":
        _report("kill", repr(args)[:100])


sys.addaudithook(_hook)
