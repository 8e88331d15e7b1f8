"""The whole classroom cycle on a real JupyterHub with real OS users.

The instructor releases day 0; two trainees, each as their own OS user,
fetch it and submit through their own servers (nbgrader's REST endpoints),
one right and one with a wrong answer; the grader account collects,
autogrades, generates and releases feedback; each trainee fetches their own
feedback. Then: attribution, scores, isolation, integrity, clean stop.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from nbgrader.api import Gradebook
from pipeline.submissions import (
    autograded_tests,
    grade_id,
    solution_sources,
    strip_solution_markers,
)
from pipeline.wrong_answers import WRONG_ANSWERS

from hub.classroom_fixture import Hub, as_os_user, processes_of, remove_classroom, start_classroom

pytestmark = [
    pytest.mark.hub,
    pytest.mark.skipif(
        os.geteuid() != 0 or not shutil.which("useradd") or not shutil.which("runuser"),
        reason="the classroom test creates OS accounts: it needs root, useradd and runuser",
    ),
]

ASSIGNMENT = "day0-orientation"
WRONG = "day0_cities"  # trainee B gets this exercise wrong
SUFFIX = f"{os.getpid() % 100000}"
INSTRUCTOR, TRAINEE_A, TRAINEE_B, GRADER = (
    f"ci{SUFFIX}",
    f"ta{SUFFIX}",
    f"tb{SUFFIX}",
    f"gr{SUFFIX}",
)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def answer_notebooks(hub: Hub, user: str, answers: dict[str, str]) -> None:
    """Edit the fetched notebooks through the user's own server, as JupyterLab saves them."""
    status, body = hub.as_user(user, "GET", f"/api/contents/{ASSIGNMENT}")
    assert status == 200, body
    for item in json.loads(body)["content"]:
        if item["type"] != "notebook":
            continue
        status, body = hub.as_user(user, "GET", f"/api/contents/{item['path']}?content=1")
        model = json.loads(body)
        for cell in model["content"]["cells"]:
            gid = grade_id(cell)
            if gid in answers:
                cell["source"] = strip_solution_markers(answers[gid])
        status, body = hub.as_user(
            user,
            "PUT",
            f"/api/contents/{item['path']}",
            {"type": "notebook", "format": "json", "content": model["content"]},
        )
        assert status == 200, body


@pytest.fixture(scope="module")
def cycle():
    hub = start_classroom(
        [
            (INSTRUCTOR, "Ivan Instructor", "instructor"),
            (TRAINEE_A, "Aigerim Trainee", "trainee"),
            (TRAINEE_B, "Bakyt Trainee", "trainee"),
        ],
        grader=GRADER,
    )
    facts: dict = {"hub": hub}
    try:
        course = hub.room.course
        run = as_os_user(GRADER, "nbgrader", "release_assignment", ASSIGNMENT, cwd=course)
        assert run.returncode == 0, run.stderr
        solutions = solution_sources(course / "source" / ASSIGNMENT)
        wrong = dict(solutions)
        wrong[WRONG + "_answer"] = WRONG_ANSWERS[WRONG][0]
        for user, answers in ((TRAINEE_A, solutions), (TRAINEE_B, wrong)):
            hub.start_server(user)
            status, body = hub.as_user(
                user,
                "POST",
                "/assignments/fetch",
                {"course_id": hub.settings["course_id"], "assignment_id": ASSIGNMENT},
                form=True,
            )
            assert status == 200 and json.loads(body)["success"], body
            answer_notebooks(hub, user, answers)
            home = Path(f"/home/{user}") / ASSIGNMENT
            facts[f"handed_in_{user}"] = {p.name: sha256(p) for p in home.glob("*.ipynb")}
            status, body = hub.as_user(
                user,
                "POST",
                "/assignments/submit",
                {"course_id": hub.settings["course_id"], "assignment_id": ASSIGNMENT},
                form=True,
            )
            assert status == 200 and json.loads(body)["success"], body
        inbound = hub.room.exchange / hub.settings["course_id"] / "inbound"
        facts["inbound"] = sorted(p for p in inbound.iterdir())
        for user, step in (
            (GRADER, ["nbgrader", "collect", ASSIGNMENT]),
            # root grades, so that trainee code runs in the sandbox; what it
            # writes is handed back to the grader account
            ("root", ["course", "grade", ASSIGNMENT]),
            (GRADER, ["nbgrader", "release_feedback", ASSIGNMENT]),
        ):
            run = as_os_user(user, *step, cwd=course)
            facts[" ".join(step)] = run
            assert run.returncode == 0, f"{step}: {run.stdout[-2000:]}{run.stderr[-2000:]}"
        for user in (TRAINEE_A, TRAINEE_B):
            status, body = hub.as_user(
                user,
                "POST",
                "/assignments/fetch_feedback",
                {"course_id": hub.settings["course_id"], "assignment_id": ASSIGNMENT},
                form=True,
            )
            assert status == 200 and json.loads(body)["success"], body
        yield facts
    finally:
        remove_classroom(hub)


def test_submissions_are_attributed_to_their_trainee(cycle) -> None:
    hub: Hub = cycle["hub"]
    submitted = hub.room.course / "submitted"
    assert sorted(p.name for p in submitted.iterdir()) == sorted([TRAINEE_A, TRAINEE_B])
    owners = {}
    for entry in cycle["inbound"]:
        owners[entry.name.split("+")[0]] = entry.stat().st_uid
    import pwd

    assert owners == {u: pwd.getpwnam(u).pw_uid for u in (TRAINEE_A, TRAINEE_B)}


def test_gradebook_scores_are_the_expected_ones(cycle) -> None:
    hub: Hub = cycle["hub"]
    points = autograded_tests(hub.room.course / "source" / ASSIGNMENT)
    full = float(sum(points.values()))
    with Gradebook(f"sqlite:///{hub.room.course / 'gradebook.db'}") as gb:
        scores = {s.student_id: s.score for s in gb.assignment_submissions(ASSIGNMENT)}
    assert scores == {TRAINEE_A: full, TRAINEE_B: full - points[WRONG]}
    summary = cycle[f"course grade {ASSIGNMENT}"].stdout
    assert TRAINEE_A in summary and TRAINEE_B in summary
    assert "Grading: sandboxed" in summary
    import pwd

    grader_uid = pwd.getpwnam(GRADER).pw_uid
    for path in [hub.room.course / "gradebook.db", *(hub.room.course / "autograded").rglob("*")]:
        assert path.stat().st_uid == grader_uid, f"{path} not handed back to the grader"


def test_each_trainee_fetched_their_own_feedback(cycle) -> None:
    for user in (TRAINEE_A, TRAINEE_B):
        pages = list((Path(f"/home/{user}") / ASSIGNMENT / "feedback").glob("*/*.html"))
        assert len(pages) == 2, pages
        text = "".join(p.read_text() for p in pages)
        if user == TRAINEE_B:
            assert "this is not what the data gives" in text
        other = TRAINEE_A if user == TRAINEE_B else TRAINEE_B
        assert other not in text


def test_nothing_submitted_is_lost_or_altered(cycle) -> None:
    hub: Hub = cycle["hub"]
    for user in (TRAINEE_A, TRAINEE_B):
        collected = hub.room.course / "submitted" / user / ASSIGNMENT
        assert {p.name: sha256(p) for p in collected.glob("*.ipynb")} == cycle[f"handed_in_{user}"]


def test_trainee_a_cannot_read_b_or_the_key(cycle) -> None:
    hub: Hub = cycle["hub"]
    course_id = hub.settings["course_id"]
    exchange = hub.room.exchange / course_id
    b_inbound = next(p for p in cycle["inbound"] if p.name.startswith(TRAINEE_B + "+"))
    guessed = exchange / "inbound" / "+".join(b_inbound.name.split("+")[:3])
    b_notebook = Path(f"/home/{TRAINEE_B}") / ASSIGNMENT / "01-working-in-the-classroom.ipynb"
    b_feedback = next((Path(f"/home/{TRAINEE_B}") / ASSIGNMENT / "feedback").glob("*/*.html"))
    attempts = {
        "list the inbound submissions": ["ls", str(exchange / "inbound")],
        "guess B's submission without its random part": ["ls", str(guessed)],
        "read B's working copy": ["cat", str(b_notebook)],
        "read B's returned feedback": ["cat", str(b_feedback)],
        "list the released feedback": ["ls", str(exchange / "feedback")],
        "read the answer key": ["cat", str(hub.room.course / "keys" / "answer_key.json")],
        "read the gradebook": ["cat", str(hub.room.course / "gradebook.db")],
        "list collected submissions": ["ls", str(hub.room.course / "submitted")],
    }
    for what, cmd in attempts.items():
        run = as_os_user(TRAINEE_A, *cmd)
        assert run.returncode != 0, f"trainee A could {what}"
        assert "Permission denied" in run.stderr or "No such file" in run.stderr, (what, run.stderr)
    # B's submission in the exchange is named with 72 random bits nobody else sees
    assert len(b_inbound.name.split("+")[-1]) >= 12


def test_roles_see_their_own_tools(cycle) -> None:
    hub: Hub = cycle["hub"]
    status, page = hub.as_user(TRAINEE_A, "GET", "/lab")
    assert status == 200
    disabled = page.split('"disabledExtensions": [', 1)[1].split("]", 1)[0]
    assert "@jupyter/nbgrader:create-assignment" in disabled
    assert "@jupyter/nbgrader:formgrader" in disabled
    assert "@jupyter/nbgrader:assignment-list" not in disabled
    status, _ = hub.as_user(TRAINEE_A, "GET", "/formgrader")
    assert status == 404, "trainees must not have the formgrader"
    status, _ = hub.request("GET", "/services/formgrader/formgrader", hub.token_for(TRAINEE_A))
    assert status == 403, "trainees must not reach the Formgrader service"
    status, _ = hub.request("GET", "/services/formgrader/formgrader", hub.token_for(INSTRUCTOR))
    assert status in (200, 302), "instructors open the Formgrader service in its own tab"


def test_hub_stops_cleanly(cycle) -> None:
    hub: Hub = cycle["hub"]
    hub.stop()
    assert hub.process.returncode == 0
    assert not processes_of([TRAINEE_A, TRAINEE_B, INSTRUCTOR, GRADER])
    assert not (hub.room.hub / "jupyterhub.pid").exists()
    import socket

    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", hub.settings["port"])) != 0, "the proxy still listens"
