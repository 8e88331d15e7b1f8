"""The Kubernetes files agree with each other and with docs/deployment.md.

deploy/z2jh/values.yaml defines every service it names (and the docs name no
other), mounts the exchange where the image configures it, runs the hub
configuration it carries (one distinct uid per person, never the image's
1000; trainee tools for trainees, the Formgrader on the course volume for
instructors), and the image's entry point gives an unknown uid the trainee's
hub login as its OS name, which is what nbgrader takes as the student id.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from importlib.metadata import version
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from traitlets.config import Config

from course.hub.roles import ROLES

REPO = Path(__file__).resolve().parents[2]
VALUES = REPO / "deploy" / "z2jh" / "values.yaml"
DOCKERFILE = REPO / "deploy" / "Dockerfile"
ENTRYPOINT = REPO / "deploy" / "singleuser-entrypoint.sh"
DOCS = REPO / "docs" / "deployment.md"
NSS_WRAPPER = sorted(Path("/usr/lib").glob("*/libnss_wrapper.so"))


def values() -> dict:
    return yaml.safe_load(VALUES.read_text())


def strings(node: object) -> list[str]:
    """Every string in a YAML tree, keys included."""
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in [str(k), *strings(v)]]
    if isinstance(node, list):
        return [s for item in node for s in strings(item)]
    return [node] if isinstance(node, str) else []


def named_services(text: str) -> set[str]:
    found = set(re.findall(r"service=([\w-]+)", text))
    found |= set(re.findall(r"/services/([\w-]+)", text))
    return found


def run_hub_config() -> tuple[Config, dict]:
    """Execute the values' hub configuration as JupyterHub would (``c`` is its config)."""
    c = Config()
    namespace: dict = {"c": c, "get_config": lambda: c}
    for name, code in values()["hub"]["extraConfig"].items():
        exec(compile(code, f"values.yaml:hub.extraConfig.{name}", "exec"), namespace)
    return c, namespace


def spawner(user_id: int, name: str) -> SimpleNamespace:
    return SimpleNamespace(
        user=SimpleNamespace(id=user_id, name=name),
        environment={},
        volumes=[],
        volume_mounts=[],
        notebook_dir=None,
        default_url=None,
    )


def test_every_service_named_is_defined() -> None:
    data = values()
    defined = data["hub"].get("services") or {}
    named = set()
    for text in strings(data):
        named |= named_services(text)
    named |= named_services(DOCS.read_text().split("## Capacity")[0])
    assert named <= set(defined), f"named but not defined: {sorted(named - set(defined))}"
    for name, service in defined.items():
        assert service.get("command"), f"service {name} has nothing that runs it"


def test_the_exchange_is_mounted_where_the_image_configures_it() -> None:
    mounts = {
        m["name"]: m["mountPath"] for m in values()["singleuser"]["storage"]["extraVolumeMounts"]
    }
    configured = re.search(
        r"write_role_configs\(.*?Path\('([^']+)'\)\)", DOCKERFILE.read_text(), re.S
    )
    assert configured, "the Dockerfile writes no role configuration"
    assert mounts["exchange"] == configured.group(1)
    assert f"mounted at `{configured.group(1)}`" in DOCS.read_text()


def test_each_person_gets_a_distinct_uid_that_is_not_the_images() -> None:
    c, _ = run_hub_config()
    uid = c.KubeSpawner.uid
    uids = [uid(spawner(i, f"user{i}")) for i in range(1, 200)]
    assert len(set(uids)) == len(uids)
    image_uid = int(re.search(r"useradd .*--uid (\d+) jovyan", DOCKERFILE.read_text()).group(1))
    assert image_uid not in uids and min(uids) > 65535
    assert c.KubeSpawner.fs_gid == c.KubeSpawner.gid


def test_trainees_get_trainee_tools_and_instructors_the_formgrader() -> None:
    c, namespace = run_hub_config()
    hook = c.KubeSpawner.pre_spawn_hook
    trainee, instructor = spawner(7, "aigerim"), spawner(1, sorted(namespace["INSTRUCTORS"])[0])
    hook(trainee)
    hook(instructor)
    assert trainee.environment["JUPYTER_CONFIG_PATH"] == "/etc/jupyter/course/trainee"
    assert trainee.volumes == [] and trainee.default_url is None
    assert instructor.environment["JUPYTER_CONFIG_PATH"] == "/etc/jupyter/course/grader"
    assert instructor.default_url == "/formgrader"
    claims = [v["persistentVolumeClaim"]["claimName"] for v in instructor.volumes]
    assert claims == ["nbgrader-course"]
    assert instructor.volume_mounts[0]["mountPath"] == instructor.notebook_dir
    server_extensions, _ = ROLES["grader"]
    assert server_extensions["formgrader"] and not ROLES["trainee"][0]["formgrader"]
    assert set(namespace["INSTRUCTORS"]) <= set(
        values()["hub"]["config"]["Authenticator"]["admin_users"]
    )


def test_the_image_runs_the_entry_point() -> None:
    text = DOCKERFILE.read_text()
    assert "COPY deploy/singleuser-entrypoint.sh /usr/local/bin/course-entrypoint" in text
    assert 'ENTRYPOINT ["/usr/local/bin/course-entrypoint"]' in text
    assert "libnss-wrapper" in text


@pytest.mark.skipif(os.geteuid() != 0, reason="switching to another uid needs root (as CI runs)")
def test_the_entry_point_names_an_unknown_uid_after_the_hub_login(tmp_path: Path) -> None:
    assert NSS_WRAPPER, "Debian's libnss-wrapper is missing: run make system-deps"
    uid = 123457
    probe = "import os, pwd; print(pwd.getpwuid(os.getuid()).pw_name, os.getuid())"
    run = subprocess.run(
        [shutil.which("setpriv"), "--reuid", str(uid), "--regid", "100", "--clear-groups"]
        + ["env", "HOME=/tmp", "JUPYTERHUB_USER=aigerim", str(ENTRYPOINT)]
        + ["/usr/bin/python3", "-c", probe],
        capture_output=True,
        text=True,
        cwd="/",
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["aigerim", str(uid)]
    # without the hub's user name it refuses to start rather than guess
    bare = subprocess.run(
        [shutil.which("setpriv"), "--reuid", str(uid), "--regid", "100", "--clear-groups"]
        + ["env", "-u", "JUPYTERHUB_USER", str(ENTRYPOINT), "/bin/true"],
        capture_output=True,
        text=True,
        cwd="/",
    )
    assert bare.returncode != 0 and "JUPYTERHUB_USER" in bare.stderr


def test_the_docs_say_why_not_ngshare_with_the_versions_pinned_now() -> None:
    text = DOCS.read_text()
    assert "ngshare" not in "\n".join(strings(values())).lower()
    assert f"nbgrader {version('nbgrader')}" in text
    assert f"jupyter-core {version('jupyter_core')}" in text
    assert f"jupyter-server {version('jupyter_server')}" in text
    assert f"JupyterHub {version('jupyterhub')}" in text
    assert "jupyter-core<4.11.2" in text
    assert "(chosen)" in text and "one uid per pod (chosen)" in text
