"""The JupyterLab interface in the cohort's language.

JupyterLab shows its menus in the locale of its setting
``@jupyterlab/translation-extension:plugin`` → ``locale``, given the
language pack of that locale is installed (``jupyterlab-language-pack-ru-RU``
is pinned in ``requirements/``). The course sets it as a *default* in a
``labconfig/default_setting_overrides.json`` of a Jupyter configuration
folder put first on ``JUPYTER_CONFIG_PATH``: ``course lab`` writes one per
language under ``build/lab/``, the classroom hub writes it into each role's
configuration folder. A trainee may still switch the language in
*Settings → Language*.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from course.i18n import SOURCE_LANG, built_language

TRANSLATION_PLUGIN = "@jupyterlab/translation-extension:plugin"

#: JupyterLab locale of each course language that has a pinned language pack.
#: A language without one keeps the English interface (its notebooks, messages
#: and feedback are still in that language).
LAB_LOCALES: dict[str, str] = {"en": "en", "ru": "ru_RU"}


def lab_locale(lang: str) -> str:
    """The JupyterLab locale for course language ``lang``."""
    return LAB_LOCALES.get(lang, LAB_LOCALES[SOURCE_LANG])


def write_locale_config(config_dir: Path, lang: str) -> Path:
    """Make ``config_dir`` (a Jupyter configuration folder) select the
    interface language of ``lang``; other default overrides there are kept."""
    target = config_dir / "labconfig" / "default_setting_overrides.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        current = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        current = {}
    current[TRANSLATION_PLUGIN] = {
        **current.get(TRANSLATION_PLUGIN, {}),
        "locale": lab_locale(lang),
    }
    text = json.dumps(current, indent=2, sort_keys=True) + "\n"
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    return target


def lab_environment(root: Path, env: dict[str, str]) -> dict[str, str]:
    """``env`` for a JupyterLab on the course at ``root``: ``COURSE_LANG``
    (kept if set, else the language the course was built in) for the
    kernels, and the interface language on ``JUPYTER_CONFIG_PATH``."""
    env = dict(env)
    lang = env.get("COURSE_LANG", "").strip() or built_language(root)
    env["COURSE_LANG"] = lang
    config_dir = root / "build" / "lab" / lang
    write_locale_config(config_dir, lang)
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
        p for p in (str(config_dir), env.get("JUPYTER_CONFIG_PATH", "")) if p
    )
    return env
