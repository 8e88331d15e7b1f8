"""The classroom as a trainee sees it: log in to the classroom JupyterHub in
the browser with the password ``course hub setup`` made, open nbgrader's
Assignment List and fetch day 0 (released by the grader account).

Uses the hub tests' classroom (``tests/hub/classroom_fixture.py``): real OS
accounts, so it needs root, ``useradd`` and ``runuser``, like them."""

from __future__ import annotations

import csv
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from browser.checks import news_toasts
from browser.lab_page import LOAD_MS, RUN_MS, SCREENSHOTS, UI_MS, VIEWPORT

pytestmark = [
    pytest.mark.browser,
    pytest.mark.hub,
    pytest.mark.skipif(
        not hasattr(os, "geteuid")
        or os.geteuid() != 0
        or not shutil.which("useradd")
        or not shutil.which("runuser"),
        reason="the classroom creates OS accounts: it needs root, useradd and runuser",
    ),
]

ASSIGNMENT = "day0-orientation"
SUFFIX = f"{os.getpid() % 100000}"
INSTRUCTOR, TRAINEE, GRADER = f"bi{SUFFIX}", f"bt{SUFFIX}", f"bg{SUFFIX}"
SPAWN_MS = 120_000


@pytest.fixture(scope="module")
def classroom_hub() -> Iterator[object]:
    from hub.classroom_fixture import as_os_user, remove_classroom, start_classroom

    hub = start_classroom(
        [(INSTRUCTOR, "Ivan Instructor", "instructor"), (TRAINEE, "Aigerim Trainee", "trainee")],
        grader=GRADER,
    )
    try:
        run = as_os_user(GRADER, "nbgrader", "release_assignment", ASSIGNMENT, cwd=hub.room.course)
        assert run.returncode == 0, run.stderr
        yield hub
    finally:
        remove_classroom(hub)


def password_of(base: Path, user: str) -> str:
    with open(base / "passwords.csv", newline="") as f:
        return next(row["password"] for row in csv.DictReader(f) if row["username"] == user)


def test_trainee_logs_in_and_fetches_day0(classroom_hub, browser) -> None:
    hub = classroom_hub
    external: list[str] = []

    def offline(route) -> None:  # noqa: ANN001 - playwright Route
        if route.request.url.startswith(hub.url + "/"):
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()

    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.set_default_timeout(UI_MS)
        page.route("**/*", offline)
        page.goto(f"{hub.url}/hub/login", timeout=LOAD_MS)
        page.fill("#username_input", TRAINEE)
        page.fill("#password_input", password_of(hub.room.base, TRAINEE))
        page.click("#login_submit")
        page.wait_for_url(re.compile(rf"/user/{TRAINEE}/lab"), timeout=SPAWN_MS)
        expect(page.locator(".jp-LabShell")).to_be_visible(timeout=LOAD_MS)

        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Nbgrader$")).click()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Assignment List$")).click()
        released = page.locator("#released_assignments_list .list_item", has_text=ASSIGNMENT)
        expect(released).to_have_count(1, timeout=LOAD_MS)
        released.get_by_role("button", name="Fetch").click()

        fetched = page.locator("#fetched_assignments_list .list_item", has_text=ASSIGNMENT)
        expect(fetched).to_have_count(1, timeout=RUN_MS)
        expect(released).to_have_count(0)
        fetched.locator(".assignment-notebooks-link").click()
        release = hub.room.course / "release" / ASSIGNMENT
        expected = sorted(p.name for p in release.glob("*.ipynb"))
        for name in expected:
            expect(fetched).to_contain_text(name.removesuffix(".ipynb"))
        home = Path(f"/home/{TRAINEE}") / ASSIGNMENT
        assert sorted(p.name for p in home.glob("*.ipynb")) == expected

        toasts = page.locator(".Toastify__toast").all_inner_texts()
        assert not news_toasts(toasts), toasts
        assert not page.locator(".jp-Dialog").count(), page.locator(".jp-Dialog").all_inner_texts()
        assert not external, f"the page tried to leave 127.0.0.1: {external}"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"hub-{ASSIGNMENT}-assignment-list.png"))
    finally:
        context.close()
