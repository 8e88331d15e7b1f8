"""`course lab` really serves the course: JupyterLab on 127.0.0.1, with the
release notebooks readable through the contents API."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import offline_env

TOKEN = "course-test-token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read().decode("utf-8")


@pytest.fixture(scope="module")
def lab(built_course: Path):
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "course.cli",
            "lab",
            "--no-browser",
            "--port",
            str(port),
            "--",
            f"--ServerApp.token={TOKEN}",
        ],
        cwd=built_course,
        env=offline_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            get(f"{base}/api/status")
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise AssertionError("JupyterLab did not start:\n" + (proc.stdout.read() or ""))
            time.sleep(0.5)
    yield base, port
    proc.terminate()
    proc.wait(timeout=20)


def test_lab_page_is_served(lab) -> None:
    base, _ = lab
    status, page = get(f"{base}/lab")
    assert status == 200
    assert "JupyterLab" in page


def test_release_notebooks_through_the_contents_api(lab, built_course: Path) -> None:
    base, _ = lab
    _, listing = get(f"{base}/api/contents/release/day0-orientation")
    names = {item["name"] for item in json.loads(listing)["content"]}
    expected = {p.name for p in (built_course / "release" / "day0-orientation").glob("*.ipynb")}
    assert expected and expected <= names
    _, body = get(f"{base}/api/contents/release/day0-orientation/{sorted(expected)[0]}")
    model = json.loads(body)
    assert model["type"] == "notebook"
    assert model["content"]["cells"][0]["source"].startswith("# Course:")


def test_lab_listens_on_loopback_only(lab) -> None:
    _, port = lab
    addresses = {a for a in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)}
    outside = {a[4][0] for a in addresses} - {"127.0.0.1", "127.0.1.1"}
    for address in outside:
        with socket.socket() as s:
            s.settimeout(2)
            assert s.connect_ex((address, port)) != 0, f"lab answers on {address}"


def test_offline_settings_disable_news_and_update_checks() -> None:
    overrides = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    settings = json.loads(overrides.read_text())["@jupyterlab/apputils-extension:notification"]
    assert settings == {"checkForUpdates": False, "fetchNews": "false"}
