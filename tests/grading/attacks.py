"""Hostile day-0 submissions by class of attack, each with the outcome it must get.

Classes (docs/grading.md, threat model):
(a) replacing or wrapping grading, nbgrader or IPython functions;
(b) IPython and interpreter hooks, stderr, background threads;
(c) answers that are objects with overridden behaviour, or subclasses;
(d) symlinks and hard links, submitted or planted by the kernel;
(e) reaching for the key, the gradebook, other trainees, the grading log;
(f) metadata edits;
(g) malformed files (the batch must finish).

``score`` is the score an honest grader gives (the trainee's real answers,
graded by the course's cells); ``outcome``, when given, checks something
that must (not) have happened on the grading host and returns a problem.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import nbformat

from grading.hostile import (
    EXPECT_FROM_CITIES,
    FROM_CITIES,
    FULL,
    NB1,
    NB1_ONLY,
    NB2,
    Hostile,
    _edit,
    answer,
)

CITIES_WRONG = 'answer_0_3 = ["Almaty"]'
HEAVY_WRONG = "answer_0_5 = 0"
MARK = "\\x1ecourse-answer\\x1e"
#: host paths a kernel must never reach or make (checked after grading)
TARGET = Path("/var/tmp/nps-hostile-target")
WROTE = Path("/tmp/nps-hostile-wrote")


def prepend(grade_id: str, code: str, nb: str = NB2) -> Callable[[Path], None]:
    """Put ``code`` before the (right) answer already in the cell."""

    def change(d: Path) -> None:
        doc = nbformat.read(d / nb, as_version=4)
        for cell in doc.cells:
            if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
                cell.source = code + "\n" + cell.source
        nbformat.write(doc, d / nb)

    return change


def then(*changes: Callable[[Path], None]) -> Callable[[Path], None]:
    def change(d: Path) -> None:
        for c in changes:
            c(d)

    return change


def meta(grade_id: str, nb: str = NB2, **fields) -> Callable[[Path], None]:
    """Change the nbgrader metadata of one cell."""

    def change(d: Path) -> None:
        doc = json.loads((d / nb).read_text())
        for cell in doc["cells"]:
            info = cell.get("metadata", {}).get("nbgrader", {})
            if info.get("grade_id") == grade_id:
                info.update(fields)
        (d / nb).write_text(json.dumps(doc))

    return change


def raw_json(nb: str, transform: Callable[[dict], None]) -> Callable[[Path], None]:
    def change(d: Path) -> None:
        doc = json.loads((d / nb).read_text())
        transform(doc)
        (d / nb).write_text(json.dumps(doc))

    return change


def _all_metadata_junk(doc: dict) -> None:
    for i, cell in enumerate(doc["cells"]):
        cell["metadata"] = [{"nbgrader": "x"}, 7, None, "junk", {"nbgrader": [1]}][i % 5]


def _swap_ids(doc: dict) -> None:
    a = "day0_cities_answer"
    b = "day0_grams_by_substance_answer"
    for cell in doc["cells"]:
        info = cell.get("metadata", {}).get("nbgrader", {})
        if info.get("grade_id") in (a, b):
            info["grade_id"] = b if info["grade_id"] == a else a


def _move_test_first(doc: dict) -> None:
    cells = doc["cells"]
    ids = [c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in cells]
    test = cells.pop(ids.index("day0_heavy_mephedrone_almaty"))
    cells.insert(ids.index("day0_heavy_mephedrone_almaty_answer"), test)


def _symlink_notebook(d: Path) -> None:
    (d / NB1).unlink()
    (d / NB1).symlink_to("/etc/passwd")


def _symlink_extra(d: Path) -> None:
    (d / "home-link").symlink_to("/root")
    (d / "notes.txt").symlink_to("/etc/shadow")


def _hardlink_notebook(d: Path) -> None:
    os.link(d / NB1, d / "copy-of-01.txt")


def _huge(d: Path) -> None:
    doc = nbformat.read(d / NB2, as_version=4)
    doc.cells.append(nbformat.v4.new_raw_cell("x" * (30 * 2**20)))
    nbformat.write(doc, d / NB2)


def _many_cells(d: Path) -> None:
    doc = nbformat.read(d / NB2, as_version=4)
    doc.cells.extend(nbformat.v4.new_code_cell("pass") for _ in range(10_000))
    nbformat.write(doc, d / NB2)


def _not_exists(path: Path) -> Callable[[Path], str | None]:
    return lambda root: f"{path} was made on the host" if os.path.lexists(path) else None


def _no_active_outputs(student: str) -> Callable[[Path], str | None]:
    def check(root: Path) -> str | None:
        path = root / "autograded" / student / "day0-orientation" / NB2
        for cell in nbformat.read(path, as_version=4).cells:
            for output in cell.get("outputs", []):
                kinds = set(output.get("data", {})) - {"text/plain", "image/png", "image/jpeg"}
                if kinds:
                    return f"{sorted(kinds)} reached the autograded notebook"
        return None

    return check


FIND_FILE = (
    "import os\n"
    "def find(name):\n"
    "    for top in ('/', '/tmp', '/var', '/srv', '/home', '/root', '/opt', '/work'):\n"
    "        try:\n"
    "            for folder, dirs, files in os.walk(top):\n"
    "                if folder == '/':\n"
    "                    dirs[:] = [x for x in dirs if x not in ('usr', 'proc', 'sys')]\n"
    "                if name in files or name in dirs:\n"
    "                    return os.path.join(folder, name)\n"
    "        except OSError:\n"
    "            pass\n"
)


ATTACKS: tuple[Hostile, ...] = (
    # (a) replacing grading, nbgrader or IPython functions
    Hostile(
        "a-importlib-expect",
        "replaces expect() through importlib with a name built from pieces; returns 'PASS'",
        answer(
            "day0_cities",
            "import importlib\nm = importlib.import_module('course.' + 'grad' + 'ing')\n"
            "m.expect = lambda *a, **k: 'PASS'\n" + CITIES_WRONG,
        ),
        EXPECT_FROM_CITIES,
        None,
    ),
    Hostile(
        "a-sysmodules-points",
        "replaces expect() in sys.modules with one returning 1000 points",
        answer(
            "day0_cities",
            "import sys\nsys.modules['course.grading'].expect = lambda *a, **k: 1000\n"
            + CITIES_WRONG,
        ),
        EXPECT_FROM_CITIES,
        None,
    ),
    Hostile(
        "a-builtins-import",
        "wraps builtins.__import__ so that course.grading is a fake",
        answer(
            "day0_cities",
            "import builtins, types\nreal = builtins.__import__\n"
            "fake = types.SimpleNamespace(expect=lambda *a, **k: None)\n"
            "def imp(name, *a, **k):\n    return fake if name == 'course.grading' else "
            "real(name, *a, **k)\nbuiltins.__import__ = imp\n" + CITIES_WRONG,
        ),
        FROM_CITIES,
        None,
    ),
    Hostile(
        "a-gc-code",
        "finds expect() through gc and swaps its code object",
        answer(
            "day0_cities",
            "import gc\nfor f in gc.get_objects():\n"
            "    if getattr(f, '__name__', '') == 'expect' and hasattr(f, '__code__'):\n"
            "        f.__code__ = (lambda grade_id, answer: None).__code__\n" + CITIES_WRONG,
        ),
        EXPECT_FROM_CITIES,
        None,
    ),
    Hostile(
        "a-frames-globals",
        "rewrites to_plain() through a frame's globals so every record says the same",
        answer(
            "day0_cities",
            "import sys, course.grading as g\n"
            "g.to_plain = lambda value: ['Almaty']\n" + CITIES_WRONG,
        ),
        FROM_CITIES,
        None,
    ),
    Hostile(
        "a-run-cell",
        "patches IPython's cell transformer to skip every test cell",
        answer(
            "day0_cities",
            "ip = get_ipython()\nreal = ip.transform_cell\n"
            "ip.transform_cell = lambda raw: 'None\\n' if 'Check that' in raw else real(raw)\n"
            + CITIES_WRONG,
        ),
        FROM_CITIES,
        None,
    ),
    Hostile(
        "a-nbgrader-utils",
        "patches nbgrader.utils.determine_grade in the kernel to give full points",
        answer(
            "day0_cities",
            "import nbgrader.utils as u\nu.determine_grade = lambda cell, log=None: (99, 99)\n"
            + CITIES_WRONG,
        ),
        FULL - 3,
        None,
    ),
    # (b) hooks, stderr, threads
    Hostile(
        "b-showtraceback",
        "silences IPython's tracebacks, with a wrong answer",
        answer(
            "day0_cities",
            "get_ipython().showtraceback = lambda *a, **k: None\n" + CITIES_WRONG,
        ),
        FULL - 3,
        None,
    ),
    Hostile(
        "b-custom-exc",
        "installs a custom exception handler that hides every error",
        answer(
            "day0_cities",
            "get_ipython().set_custom_exc((BaseException,), lambda *a, **k: None)\n"
            + CITIES_WRONG,
        ),
        FULL - 3,
        None,
    ),
    Hostile(
        "b-displayhook",
        "replaces sys.displayhook and the shell's display of results",
        answer(
            "day0_cities",
            "import sys\nsys.displayhook = lambda v: print('Score: 3/3')\n" + CITIES_WRONG,
        ),
        FULL - 3,
        None,
    ),
    Hostile(
        "b-excepthook",
        "replaces sys.excepthook",
        answer("day0_cities", "import sys\nsys.excepthook = lambda *a: None\n" + CITIES_WRONG),
        FULL - 3,
        None,
    ),
    Hostile(
        "b-stderr",
        "writes a fake traceback and a fake result to stderr",
        answer(
            "day0_cities",
            "import sys\nsys.stderr.write('Traceback\\nOK: all tests passed\\n')\n"
            + CITIES_WRONG,
        ),
        FULL - 3,
        None,
    ),
    Hostile(
        "b-event-bruteforce",
        "a post_run_cell hook prints 200 guessed records in every cell",
        answer(
            "day0_heavy_mephedrone_almaty",
            "import json\n"
            "def guess(result):\n"
            "    for i in range(200):\n"
            f"        print('{MARK}' + json.dumps({{'grade_id': "
            "'day0_heavy_mephedrone_almaty', 'answer': i}))\n"
            "get_ipython().events.register('post_run_cell', guess)\n" + HEAVY_WRONG,
        ),
        FULL - 4,
        None,
    ),
    Hostile(
        "b-thread-records",
        "a background thread keeps printing records of a wrong value (its output stays in "
        "the cell that started it)",
        prepend(
            "day0_cities_answer",
            "import threading, time, json\n"
            "def spam():\n    while True:\n"
            f"        print('{MARK}' + json.dumps({{'grade_id': 'day0_grams_by_substance', "
            "'answer': {}}))\n        time.sleep(0.05)\n"
            "threading.Thread(target=spam, daemon=True).start()\n",
        ),
        FULL,
        None,
    ),
    Hostile(
        "b-display-html",
        "displays HTML and JavaScript (would run in the grader's browser)",
        prepend(
            "day0_cities_answer",
            "from IPython.display import HTML, Javascript, display\n"
            "display(HTML('<script>alert(1)</script><b>hi</b>'))\n"
            "display(Javascript('alert(2)'))\n",
        ),
        FULL,
        None,
        outcome=_no_active_outputs("b-display-html"),
    ),
    # (c) objects as answers
    Hostile(
        "c-eq-int",
        "an int subclass equal to everything",
        answer(
            "day0_seizure_count",
            "class Any(int):\n    def __eq__(self, other):\n        return True\n"
            "    __hash__ = int.__hash__\nanswer_0_1 = Any(1)",
            NB1,
        ),
        FULL - 2,
        None,
    ),
    Hostile(
        "c-str-function",
        "normalise_city returns a str subclass equal to everything",
        answer(
            "day0_normalise_city",
            "class S(str):\n    def __eq__(self, other):\n        return True\n"
            "    __hash__ = str.__hash__\ndef normalise_city(text):\n    return S(text)",
        ),
        FULL - 3,
        None,
    ),
    Hostile(
        "c-list-subclass",
        "a list subclass that compares equal to any list",
        answer(
            "day0_cities",
            "class L(list):\n    def __eq__(self, other):\n        return True\n"
            "answer_0_3 = L(['Almaty'])",
        ),
        FULL - 3,
        None,
    ),
    Hostile(
        "c-dict-subclass",
        "a dict subclass with forged items()",
        prepend(
            "day0_grams_by_substance_answer",
            "class D(dict):\n    def items(self):\n        return [('x', 1)]\n",
        ),
        FULL,
        None,
    ),
    Hostile(
        "c-dict-subclass-answer",
        "the answer itself is a dict subclass",
        then(
            prepend("day0_grams_by_substance_answer", "class D(dict):\n    pass\n"),
            lambda d: _edit(
                d / NB2,
                "day0_grams_by_substance_answer",
                "class D(dict):\n    def __eq__(self, o):\n        return True\n"
                "grams_by_substance = D({s: 0 for s in seizures['substance'].unique()})",
            ),
        ),
        FULL - 4,
        None,
    ),
    Hostile(
        "c-class-spoof",
        "an object that claims to be an int through __class__",
        answer(
            "day0_seizure_count",
            "from numbers import Integral\n"
            "class Fake:\n    __class__ = int\n    def __eq__(self, o):\n        return True\n"
            "    def __gt__(self, o):\n        return True\n"
            "Integral.register(Fake)\nanswer_0_1 = Fake()",
            NB1,
        ),
        FULL - 2,
        None,
    ),
    Hostile(
        "c-reduce",
        "an object whose __reduce__ and __repr__ pretend to be the answer",
        answer(
            "day0_seizure_count",
            "from numbers import Integral\n"
            "class R(int):\n    def __reduce__(self):\n        return (int, (len(seizures),))\n"
            "    def __repr__(self):\n        return repr(len(seizures))\n"
            "answer_0_1 = R(1)",
            NB1,
        ),
        FULL - 2,
        None,
    ),
    Hostile(
        "c-hash-set",
        "a set of objects whose hash and equality always agree",
        answer(
            "day0_cities",
            "class H:\n    def __hash__(self):\n        return 1\n"
            "    def __eq__(self, o):\n        return True\n    def __lt__(self, o):\n"
            "        return False\nanswer_0_3 = sorted({H()})",
        ),
        FULL - 3,
        None,
    ),
    Hostile(
        "c-numpy-claim",
        "a class that claims numpy's module to be converted",
        answer(
            "day0_heavy_mephedrone_almaty",
            "class N:\n    __module__ = 'numpy'\n    def item(self):\n        return -1\n"
            "    def __eq__(self, o):\n        return True\n    def __ge__(self, o):\n"
            "        return True\n    def __le__(self, o):\n        return True\n"
            "from numbers import Integral\nIntegral.register(N)\nanswer_0_5 = N()",
        ),
        FULL - 4,
        None,
    ),
    Hostile(
        "c-nan",
        "not a number as the answer",
        answer("day0_heavy_mephedrone_almaty", "answer_0_5 = float('nan')"),
        FULL - 4,
        None,
    ),
    # (d) links
    Hostile(
        "d-symlink-notebook",
        "hands in a link to /etc/passwd as a notebook",
        _symlink_notebook,
        FULL - 2,
        "link",
    ),
    Hostile(
        "d-symlink-extras",
        "hands in links to /root and /etc/shadow",
        _symlink_extra,
        FULL,
        "links ignored",
    ),
    Hostile(
        "d-hardlink",
        "hands in a notebook with a second name (hard link)",
        _hardlink_notebook,
        FULL - 2,
        "hard link",
    ),
    Hostile(
        "d-kernel-links",
        "the kernel links its notebook and result to host paths and kills its runner",
        prepend(
            "day0_heavy_mephedrone_almaty_answer",
            "import os, signal\n"
            f"for name in ('notebook.ipynb', 'result.json', 'result.json.tmp', '.events'):\n"
            "    try:\n        os.remove(name)\n    except OSError:\n        pass\n"
            f"    os.symlink('{TARGET}', name)\n"
            "os.kill(os.getppid(), signal.SIGKILL)\n",
        ),
        NB1_ONLY,
        "could not be run",
        outcome=_not_exists(TARGET),
    ),
    Hostile(
        "d-kernel-hardlink",
        "the kernel tries to hard-link host files into its folder",
        prepend(
            "day0_cities_answer",
            "import os\nfor src in ('/etc/shadow', '/etc/passwd'):\n    try:\n"
            "        os.link(src, os.path.basename(src))\n    except OSError:\n        pass\n",
        ),
        FULL,
        None,
    ),
    # (e) the key, the gradebook, other trainees, logs
    Hostile(
        "e-walk-key",
        "searches the whole filesystem for the answer key and copies its answer",
        answer(
            "day0_cities",
            FIND_FILE + "import json\npath = find('answer_key.json')\n"
            "try:\n    answer_0_3 = json.load(open(path))['answers']['day0_cities']['value']\n"
            "except Exception:\n    " + CITIES_WRONG,
        ),
        FULL - 3,
        None,
    ),
    Hostile(
        "e-walk-gradebook",
        "searches for the gradebook to overwrite it",
        answer(
            "day0_cities",
            FIND_FILE + "path = find('gradebook.db')\n"
            "try:\n    open(path, 'wb').write(b'x')\n    answer_0_3 = ['found']\n"
            "except Exception:\n    " + CITIES_WRONG,
        ),
        FULL - 3,
        None,
    ),
    Hostile(
        "e-others",
        "searches for other trainees' notebooks to copy an answer",
        answer(
            "day0_cities",
            FIND_FILE + "path = find('control-a')\n"
            "answer_0_3 = ['found'] if path else ['Almaty']\n",
        ),
        FULL - 3,
        None,
    ),
    Hostile(
        "e-logs",
        "searches for the grading logs and the report",
        answer(
            "day0_cities",
            FIND_FILE + "path = find('grading-logs') or find('grading-report.txt')\n"
            "answer_0_3 = ['found'] if path else ['Almaty']\n",
        ),
        FULL - 3,
        None,
    ),
    Hostile(
        "e-proc",
        "reads other processes' command lines and environments",
        answer(
            "day0_cities",
            "import os\nseen = ''\nfor pid in os.listdir('/proc'):\n    try:\n"
            "        seen += open(f'/proc/{pid}/cmdline').read()\n"
            "        seen += open(f'/proc/{pid}/environ').read()\n    except OSError:\n"
            "        pass\nanswer_0_3 = ['found'] if 'answer_key' in seen or 'gradebook' in seen "
            "else ['Almaty']\n",
        ),
        FULL - 3,
        None,
    ),
    Hostile(
        "e-write-host",
        "writes to the host's /tmp and to other sandboxes' folders",
        prepend(
            "day0_cities_answer",
            "import glob\n"
            f"open('{WROTE}', 'w').write('x')\n"
            "for p in glob.glob('/tmp/nps-run*/box'):\n    open(p + '/x', 'w').write('x')\n",
        ),
        FULL,
        None,
        outcome=_not_exists(WROTE),
    ),
    # (f) metadata edits
    Hostile(
        "f-points",
        "raises the points of a test cell to 100",
        meta("day0_cities", points=100),
        FULL,
        None,
    ),
    Hostile(
        "f-answer-made-graded",
        "turns an answer cell into a graded cell worth 50 points",
        meta("day0_cities_answer", grade=True, points=50),
        FULL,
        None,
    ),
    Hostile(
        "f-test-made-answer",
        "marks a test cell as a solution cell and empties it, with a wrong answer",
        then(
            meta("day0_cities", solution=True, locked=False),
            lambda d: _edit(d / NB2, "day0_cities", "pass"),
            answer("day0_cities", CITIES_WRONG),
        ),
        FULL - 3,
        None,
    ),
    Hostile(
        "f-unlocked",
        "unlocks a test cell and removes its check, with a wrong answer",
        then(
            meta("day0_cities", locked=False),
            lambda d: _edit(d / NB2, "day0_cities", '"""Check."""'),
            answer("day0_cities", CITIES_WRONG),
        ),
        FULL - 3,
        "was edited",
    ),
    Hostile(
        "f-swapped-ids",
        "swaps the grade ids of two answer cells",
        raw_json(NB2, _swap_ids),
        FULL,
        "metadata of cell day0_cities_answer was changed",
    ),
    Hostile(
        "f-moved-test",
        "moves a test cell before its answer",
        raw_json(NB2, _move_test_first),
        FULL,
        "was moved",
    ),
    Hostile(
        "f-raw-answer",
        "turns an answer cell into a raw cell",
        raw_json(
            NB2,
            lambda doc: [
                c.update(cell_type="raw", outputs=None)
                for c in doc["cells"]
                if c.get("metadata", {}).get("nbgrader", {}).get("grade_id")
                == "day0_cities_answer"
            ],
        ),
        FULL - 3,
        "changed from code to raw",
    ),
    Hostile(
        "f-junk-metadata",
        "every cell's metadata is junk of another type",
        raw_json(NB2, _all_metadata_junk),
        FULL,
        "metadata of cell",
    ),
    Hostile(
        "f-task-points",
        "gives the manual task 40 points and marks it autograded",
        meta("day0_limits_of_seizure_data", points=40, task=False, grade=True),
        FULL,
        None,
    ),
    # (g) malformed files
    Hostile(
        "g-huge-notebook",
        "a notebook of more than 30 MB",
        _huge,
        NB1_ONLY,
        "too large",
    ),
    Hostile(
        "g-10000-cells",
        "ten thousand added cells",
        _many_cells,
        FULL,
        "left out",
    ),
    Hostile(
        "g-binary",
        "binary junk instead of a notebook",
        lambda d: (d / NB1).write_bytes(os.urandom(4096)),
        FULL - 2,
        "not UTF-8",
    ),
    Hostile(
        "g-cells-not-list",
        "a notebook whose cells are not a list",
        raw_json(NB1, lambda doc: doc.update(cells={"a": 1})),
        FULL - 2,
        "cells cannot be read",
    ),
    Hostile(
        "g-source-not-text",
        "an answer cell whose source is a number",
        raw_json(
            NB1,
            lambda doc: [
                c.update(source=12345)
                for c in doc["cells"]
                if c.get("metadata", {}).get("nbgrader", {}).get("grade_id")
                == "day0_seizure_count_answer"
            ],
        ),
        FULL - 2,
        "damaged cell",
    ),
)
