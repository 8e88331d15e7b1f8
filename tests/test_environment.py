"""The pinned dependency set and environment.yml agree, and what is
installed is what is pinned."""

from __future__ import annotations

import re
from importlib.metadata import version

import yaml
from conftest import REPO


def norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def constraints() -> dict[str, str]:
    pins = {}
    for line in (REPO / "requirements" / "constraints.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, pinned = line.split("==")
            pins[norm(name)] = pinned
    return pins


def direct_requirements() -> dict[str, str]:
    found = {}
    for line in (REPO / "requirements" / "requirements.in").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, pinned = re.split(r"(==)", line) if "==" in line else (line, "", "")
            found[norm(name.strip())] = pinned.strip()
    return found


def environment_pins() -> dict[str, str]:
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    pins = {}
    for item in pip_section:
        if item.startswith("-"):
            continue
        name, pinned = item.split("==")
        pins[norm(name)] = pinned
    return pins


def test_every_constraint_is_an_exact_pin() -> None:
    assert len(constraints()) > 50


def test_environment_yml_pins_what_the_constraints_pin() -> None:
    pins = constraints()
    env = environment_pins()
    assert set(direct_requirements()) == set(env), (
        "environment.yml and requirements.in list different packages"
    )
    for name, pinned in env.items():
        assert pins.get(name) == pinned, (
            f"{name}: environment.yml {pinned}, constraints {pins.get(name)}"
        )


def test_direct_pins_agree_with_constraints() -> None:
    pins = constraints()
    for name, pinned in direct_requirements().items():
        assert name in pins, f"{name} is not locked in constraints.txt"
        if pinned:
            assert pins[name] == pinned, name


def test_environment_yml_python_matches_the_project() -> None:
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    assert "python=3.11" in env["dependencies"]


def test_installed_versions_are_the_pinned_ones() -> None:
    pins = constraints()
    for name in direct_requirements():
        assert version(name) == pins[name], f"{name} installed {version(name)}, pinned {pins[name]}"
