"""`course lab` really serves the course: JupyterLab on 127.0.0.1, with the
release notebooks readable through the contents API and the offline settings
in force; it runs as root only when asked, and refuses a bad port in one line.

Every test stands alone: nothing here relies on another test (or another test
file) having run first; ``pytest tests/test_lab.py`` alone, first or last in
a run gives the same result.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from browser.lab_server import LabServer, free_port, running_lab
from conftest import offline_env

from course.lab import LAB_OVERRIDES, lab_command

NOTIFICATION = "@jupyterlab/apputils-extension:notification"


def course_lab(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "course.cli", "lab", "--no-browser", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env=offline_env(),
    )


@pytest.fixture(scope="module")
def lab(built_course: Path, tmp_path_factory: pytest.TempPathFactory):
    log = tmp_path_factory.mktemp("lab") / "lab.log"
    with running_lab(built_course, log=log, env=offline_env()) as server:
        yield server


def test_lab_page_is_served(lab: LabServer) -> None:
    status, page = lab.get("/lab")
    assert status == 200
    assert "JupyterLab" in page


def test_release_notebooks_through_the_contents_api(lab: LabServer, built_course: Path) -> None:
    _, listing = lab.get("/api/contents/release/day0-orientation")
    names = {item["name"] for item in json.loads(listing)["content"]}
    expected = {p.name for p in (built_course / "release" / "day0-orientation").glob("*.ipynb")}
    assert expected and expected <= names
    _, body = lab.get(f"/api/contents/release/day0-orientation/{sorted(expected)[0]}")
    model = json.loads(body)
    assert model["type"] == "notebook"
    assert model["content"]["cells"][0]["source"].startswith("# Course:")


def test_lab_listens_on_loopback_only(lab: LabServer) -> None:
    import psutil

    port = lab.port
    listening = [
        c.laddr.ip
        for c in psutil.net_connections(kind="inet")
        if c.status == psutil.CONN_LISTEN and c.laddr.port == port
    ]
    assert listening, f"nothing listens on port {port}"
    assert set(listening) == {"127.0.0.1"}, f"lab listens on {listening}"
    addresses = {a for a in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)}
    outside = {a[4][0] for a in addresses} - {"127.0.0.1", "127.0.1.1"}
    for address in outside:
        with socket.socket() as s:
            s.settimeout(2)
            assert s.connect_ex((address, port)) != 0, f"lab answers on {address}"


def test_offline_settings_disable_news_and_update_checks(lab: LabServer) -> None:
    """The running lab serves news and update checks off (JupyterLab applies
    the overrides as the defaults of the settings schema; its own defaults are
    ``checkForUpdates: true`` and ``fetchNews: "none"``, which asks)."""
    _, body = lab.get(f"/lab/api/settings/{NOTIFICATION}")
    properties = json.loads(body)["schema"]["properties"]
    assert properties["checkForUpdates"]["default"] is False
    assert properties["fetchNews"]["default"] == "false"
    assert LAB_OVERRIDES[NOTIFICATION] == {"checkForUpdates": False, "fetchNews": "false"}


def test_allow_root_only_when_asked() -> None:
    assert "--allow-root" not in lab_command(Path("/c"), 8899, False, [])
    assert "--allow-root" in lab_command(Path("/c"), 8899, False, [], allow_root=True)


@pytest.mark.skipif(os.geteuid() != 0, reason="what root sees (CI runs as root)")
def test_root_without_allow_root_is_refused(built_course: Path) -> None:
    port = free_port()
    proc = course_lab("--port", str(port), cwd=built_course)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("course: error: "), proc.stderr
    assert "--allow-root" in lines[0]
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0, "a refused lab must not listen"


@pytest.mark.parametrize("port", ["80", "0", "65536", "-1", "eighty"])
def test_a_bad_port_is_a_one_line_error(port: str, tmp_path: Path) -> None:
    proc = course_lab("--port", port, cwd=tmp_path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("course: error: "), proc.stderr
    assert "--port" in lines[0] and "1024 to 65535" in lines[0]
