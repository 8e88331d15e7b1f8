"""What the browser tests share: the course's days and notebooks, and the
checks made on every screen (no dialog, no news pop-up, nothing off
127.0.0.1; every widget drawn)."""

from __future__ import annotations

import time

from conftest import REPO

from browser.lab_page import UI_MS, LabPage
from course.build import assignments_with_notebooks

#: Days with notebooks, as ``course build`` releases them (a new day joins by itself).
DAYS = assignments_with_notebooks(REPO)
#: ``(day, notebook file name)`` for every source notebook of those days.
NOTEBOOKS = [
    (day, notebook.name)
    for day in DAYS
    for notebook in sorted((REPO / "source" / day).glob("*.ipynb"))
]
#: Words of JupyterLab's news and update notifications.
NEWS = ("news", "update", "Would you like")


def news_toasts(toasts: list[str]) -> list[str]:
    return [t for t in toasts if any(w.lower() in t.lower() for w in NEWS)]


def wait_widgets_drawn(lab: LabPage, timeout_s: float = UI_MS / 1000) -> dict[str, object]:
    """Poll until every widget output of the model is drawn (or time runs out)."""
    deadline = time.monotonic() + timeout_s
    while True:
        report = lab.widget_report()
        drawn = report["rendered"] == report["model"]
        if (drawn and not report["problems"]) or time.monotonic() > deadline:
            return report
        time.sleep(0.25)


def assert_clean_screen(lab: LabPage) -> None:
    """No dialog, no news or update toast, no request off 127.0.0.1."""
    assert not lab.dialogs(), f"a dialog is open: {lab.dialogs()}"
    news = news_toasts(lab.toasts())
    assert not news, f"news/update notification shown: {news}"
    assert not lab.external, f"the page tried to leave 127.0.0.1: {lab.external}"
