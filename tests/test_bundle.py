"""The offline install: what `make bundle` writes installs with no network.

Inside a network namespace with no network (`unshare --net`, as root), a new
environment gets the pinned packages and the course from the bundle's wheels
only (`pip install --no-index --find-links`), as README "Offline install"
says, and imports them; the proxy from the bundle's node_modules runs; the
Debian packages the classroom server needs are in the bundle's apt
repository. The bundle is made once by `make bundle` (which needs the
registries) into $COURSE_BUNDLE (default /var/tmp/nps-course-bundle) and made
again when the pins change.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import REPO

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("unshare"),
    reason="a network namespace needs root and unshare",
)

BUNDLE = Path(os.environ.get("COURSE_BUNDLE", "/var/tmp/nps-course-bundle"))
PINS = [REPO / "requirements" / "constraints.txt", REPO / "requirements" / "requirements.in"]


def pins() -> str:
    return hashlib.sha256(b"".join(p.read_bytes() for p in PINS)).hexdigest()


@pytest.fixture(scope="module")
def bundle() -> Path:
    stamp = BUNDLE / ".pins"
    if not (stamp.is_file() and stamp.read_text() == pins()):
        t0 = time.monotonic()
        make = subprocess.run(
            ["make", "bundle", f"BUNDLE={BUNDLE}"], cwd=REPO, capture_output=True, text=True
        )
        assert make.returncode == 0, make.stdout[-3000:] + make.stderr[-3000:]
        stamp.write_text(pins())
        print(f"make bundle: {time.monotonic() - t0:.0f} s")
    return BUNDLE


def offline(script: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a shell script in a new network namespace: no interface but a down loopback."""
    return subprocess.run(
        ["unshare", "--net", "--", "sh", "-euc", script],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=1800,
    )


def test_the_namespace_has_no_network(tmp_path: Path) -> None:
    probe = f"{sys.executable} -c \"import socket; socket.create_connection(('pypi.org', 443), 5)\""
    run = offline(probe, tmp_path)
    assert run.returncode != 0
    assert "gaierror" in run.stderr or "unreachable" in run.stderr.lower(), run.stderr


def test_the_python_part_installs_with_no_network(bundle: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    req = REPO / "requirements"
    pip = f"{venv}/bin/pip install --quiet --no-index --find-links {bundle}/wheels"
    script = f"""
        {sys.base_prefix}/bin/python3 -m venv {venv}
        {pip} -c {req}/constraints.txt -r {req}/requirements.in
        {pip} --no-deps {REPO}
        {venv}/bin/python -c "import course.hub.classroom, nbgrader, jupyterhub, jupyterlab, pandas"
        {venv}/bin/pip freeze
    """
    t0 = time.monotonic()
    run = offline(script, tmp_path)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    print(f"offline install: {time.monotonic() - t0:.0f} s")
    frozen = {line.lower() for line in run.stdout.splitlines()}
    pinned = {
        line.strip().lower()
        for line in (req / "constraints.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    }
    installed = {line for line in frozen if "==" in line}
    names = {p.split("==")[0].replace("_", "-") for p in pinned}
    for line in installed:
        name = line.split("==")[0].replace("_", "-")
        if name in names:
            assert any(line.replace("_", "-") == p.replace("_", "-") for p in pinned), line
    assert any(line.startswith("nbgrader==0.9.6") for line in installed)
    assert any(line.startswith("jupyterhub==") for line in installed)


def test_the_proxy_runs_from_the_bundle(bundle: Path, tmp_path: Path) -> None:
    script = f"""
        tar xzf {bundle}/proxy-node_modules.tar.gz -C {tmp_path}
        node {tmp_path}/node_modules/.bin/configurable-http-proxy --version
    """
    run = offline(script, tmp_path)
    assert run.returncode == 0, run.stderr
    lock = (REPO / "classroom" / "package-lock.json").read_text()
    assert f'"version": "{run.stdout.strip()}"' in lock


def test_the_classroom_s_debian_packages_are_in_the_bundle(bundle: Path) -> None:
    """bubblewrap, nodejs and python3-venv, and every package they depend on
    (first choice of alternatives aside), are in the bundle's apt repository."""
    fields = [
        line.split(": ", 1) for line in (bundle / "debs" / "Packages").read_text().splitlines()
    ]
    fields = [f for f in fields if len(f) == 2]
    known = {v for k, v in fields if k == "Package"}
    known |= {p.split()[0] for k, v in fields if k == "Provides" for p in v.split(", ")}
    assert {"bubblewrap", "nodejs", "python3-venv"} <= known
    needed = {
        item.split()[0].split(":")[0]
        for k, v in fields
        if k in ("Depends", "Pre-Depends")
        for item in v.split(", ")
        if "|" not in item
    }
    assert not needed - known, f"dependencies not in the bundle: {sorted(needed - known)[:10]}"
    for name in ("bubblewrap", "nodejs", "python3-venv"):
        assert list((bundle / "debs").glob(f"{name}_*.deb")), name


def test_apt_installs_them_from_the_bundle_alone(bundle: Path, tmp_path: Path) -> None:
    """apt, with the bundle as its only source, on a system that has nothing
    installed (empty dpkg status) and no network, can install all four."""
    (tmp_path / "lists" / "partial").mkdir(parents=True)
    (tmp_path / "cache" / "archives" / "partial").mkdir(parents=True)
    (tmp_path / "sources.list").write_text(f"deb [trusted=yes] file:{bundle}/debs ./\n")
    options = (
        f"-o Dir::Etc::SourceList={tmp_path}/sources.list -o Dir::Etc::SourceParts={tmp_path}/none "
        f"-o Dir::State::Lists={tmp_path}/lists -o Dir::State::status=/dev/null "
        f"-o Dir::Cache={tmp_path}/cache"
    )
    run = offline(
        f"apt-get {options} update && apt-get {options} -s install bubblewrap nodejs "
        "python3-venv make",
        tmp_path,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    for name in ("bubblewrap", "nodejs", "python3-venv", "make"):
        assert f"\nInst {name} " in run.stdout, name


def test_the_classroom_runtime_builds_with_no_network(bundle: Path) -> None:
    """What `course hub setup` installs (the shared runtime and the proxy copy)
    comes from the bundle with PIP_NO_INDEX and PIP_FIND_LINKS, as the offline
    install page says."""
    tmp_path = Path(tempfile.mkdtemp(prefix="nps-runtime-", dir="/tmp"))  # others may enter
    os.chmod(tmp_path, 0o755)
    venv = tmp_path / "runtime" / "venv"
    code = (
        "from pathlib import Path; from course.hub import runtime as r; "
        f"r.ensure_runtime(Path('{REPO}'), Path('{venv}')); "
        f"print(r.ensure_proxy(Path('{REPO}'), Path('{venv}')))"
    )
    script = (
        f'PIP_NO_INDEX=1 PIP_FIND_LINKS={bundle}/wheels {sys.executable} -c "{code}"\n'
        f"{venv}/bin/python -c 'import course.hub.classroom, nbgrader, jupyterhub'\n"
    )
    try:
        run = offline(script, tmp_path)
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
        assert (venv / ".course-runtime").is_file()
        assert run.stdout.strip().endswith("configurable-http-proxy")
        assert Path(run.stdout.strip()).is_relative_to(tmp_path / "runtime")
    finally:
        shutil.rmtree(tmp_path)
