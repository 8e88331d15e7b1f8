"""Fixtures of the browser tests: one JupyterLab on the built course for the
session, one Chromium for the session, one fresh tab per test.

Outside CI the tests skip (saying why) when Debian's Chromium is absent;
under CI (``CI`` set, as CI runs them) a missing Chromium is a failure, never
a skip. ``make test`` installs it (``system-deps``) and fails when it cannot.
Playwright cannot download a browser here, so it is always pointed at
``/usr/bin/chromium``.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import offline_env

from browser.lab_page import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, LabPage
from browser.lab_server import LabServer, running_lab

# User settings of the test lab only (the course's offline overrides still
# apply, from the environment's overrides.json): no autosave, so running a
# notebook in the browser never writes into the shared built course.
TEST_USER_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}


def require_chromium(path: Path = CHROMIUM) -> Path:
    """``path`` when it exists; else a skip, or under CI a failure."""
    if not path.is_file():
        why = f"{path} is absent: install chromium (make system-deps) for the browser tests"
        if under_ci():
            pytest.fail(f"{why}; under CI the browser tests may not be skipped", pytrace=False)
        pytest.skip(why)
    return path


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    return require_chromium()


def under_ci() -> bool:
    """Whether CI runs the tests (``CI`` set to anything but empty, 0 or false)."""
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


@contextmanager
def lab_server_for(course: Path, home: Path, drop: tuple[str, ...] = ()) -> Iterator[LabServer]:
    """``course lab`` on ``course``, offline, with the tests' user settings in
    ``home`` and the app exposed to the tests; ``drop`` names environment
    variables it must not inherit."""
    for name, value in TEST_USER_SETTINGS.items():
        target = home / "settings" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(value))
    env = offline_env(
        {
            "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
            "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        }
    )
    for name in drop:
        env.pop(name, None)
    with running_lab(
        course, log=home / "lab.log", env=env, extra=["--LabApp.expose_app_in_browser=True"]
    ) as server:
        yield server


@pytest.fixture(scope="session")
def lab(built_course: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    """``course lab`` on the built course, offline, app exposed to the tests."""
    with lab_server_for(built_course, tmp_path_factory.mktemp("lab-home")) as server:
        yield server


@pytest.fixture(scope="session")
def browser(chromium_path: Path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def lab_page(browser, lab: LabServer) -> Iterator[LabPage]:
    """A fresh browser tab (own context) on the test lab; its kernels shut down after."""
    context = browser.new_context(viewport=VIEWPORT)
    page = LabPage(context.new_page(), lab)
    yield page
    try:
        for session in lab.get_json("/api/sessions"):
            lab.request("DELETE", f"/api/sessions/{session['id']}")
    finally:
        context.close()


@pytest.fixture
def scratch(built_course: Path) -> Iterator[Path]:
    """A folder of the lab's course that the test may write to; removed after."""
    folder = built_course / "browser-scratch"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    yield folder
    shutil.rmtree(folder, ignore_errors=True)
