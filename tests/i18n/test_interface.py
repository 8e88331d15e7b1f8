"""JupyterLab's own interface in the cohort's language: the pinned language
pack is installed, and ``course lab`` and the classroom hub select it."""

from __future__ import annotations

import json
from importlib.metadata import entry_points, version
from pathlib import Path

import pytest
from conftest import REPO

from course.i18n.lab import TRANSLATION_PLUGIN, lab_environment, lab_locale, write_locale_config

PACK = "jupyterlab-language-pack-ru-RU"


def test_the_russian_language_pack_is_the_pinned_one() -> None:
    pins = dict(
        line.split("==")
        for line in (REPO / "requirements" / "constraints.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    )
    assert version(PACK) == pins[PACK]
    assert "ru_RU" in {ep.name for ep in entry_points(group="jupyterlab.languagepack")}


def test_jupyterlab_knows_the_pack_and_its_menus() -> None:
    from jupyterlab_server.translation_utils import get_language_pack

    data, _ = get_language_pack("ru_RU")
    strings = json.dumps(data, ensure_ascii=False)
    assert "Перезапустить ядро и выполнить все ячейки…" in strings


def _overrides(monkeypatch: pytest.MonkeyPatch, config_dir: Path, tmp_path: Path) -> dict:
    """The setting overrides JupyterLab's server computes with this config folder."""
    from jupyterlab_server.settings_utils import _get_overrides

    monkeypatch.setenv("JUPYTER_CONFIG_PATH", str(config_dir))
    overrides, error = _get_overrides(str(tmp_path / "no-app-settings"))
    assert not error
    return overrides


def test_course_lab_selects_the_language_the_course_was_built_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "course"
    (root / "keys").mkdir(parents=True)
    (root / "keys" / "answer_key.json").write_text(json.dumps({"seed": 1, "lang": "ru"}))
    env = lab_environment(root, {"PATH": "/usr/bin"})
    assert env["COURSE_LANG"] == "ru"
    config_dir = Path(env["JUPYTER_CONFIG_PATH"].split(":")[0])
    assert _overrides(monkeypatch, config_dir, tmp_path)[TRANSLATION_PLUGIN] == {"locale": "ru_RU"}
    # COURSE_LANG wins over the build (an English interface on a Russian course)
    env = lab_environment(root, {"COURSE_LANG": "en"})
    config_dir = Path(env["JUPYTER_CONFIG_PATH"].split(":")[0])
    assert _overrides(monkeypatch, config_dir, tmp_path)[TRANSLATION_PLUGIN] == {"locale": "en"}


def test_a_language_without_a_pack_keeps_the_english_interface() -> None:
    assert lab_locale("ru") == "ru_RU"
    assert lab_locale("xx") == "en"


def test_classroom_role_folders_select_the_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from course.hub.roles import write_role_configs

    folders = write_role_configs(tmp_path / "config", "course-id", tmp_path / "exchange")
    for folder in folders.values():
        write_locale_config(folder, "ru")
        assert (folder / "labconfig" / "page_config.json").is_file()  # the role's own settings
        assert _overrides(monkeypatch, folder, tmp_path)[TRANSLATION_PLUGIN]["locale"] == "ru_RU"
