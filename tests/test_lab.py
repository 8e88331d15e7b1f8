"""`course lab` really serves the course: JupyterLab on 127.0.0.1, with the
release notebooks readable through the contents API."""

from __future__ import annotations

import json
import socket
import sys
from pathlib import Path

import pytest
from browser.lab_server import LabServer, running_lab
from conftest import offline_env


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


def test_offline_settings_disable_news_and_update_checks() -> None:
    overrides = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    settings = json.loads(overrides.read_text())["@jupyterlab/apputils-extension:notification"]
    assert settings == {"checkForUpdates": False, "fetchNews": "false"}
