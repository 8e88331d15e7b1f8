"""JupyterLab as ``course lab`` opens it: no news or update pop-up (the
offline overrides are in force), nothing fetched off 127.0.0.1; and the
checks of the notebook tests catch what they must (errors, undrawn widgets)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from browser.checks import assert_clean_screen, news_toasts, wait_widgets_drawn
from browser.lab_page import LOAD_MS, UI_MS, LabPage

pytestmark = pytest.mark.browser

NOTIFICATION = "@jupyterlab/apputils-extension:notification"
# JupyterLab asks about news soon after it is restored; wait that long for it.
NEWS_GRACE_S = 4


def open_lab(lab_page: LabPage) -> None:
    lab_page.page.goto(lab_page.lab.url("/lab?reset"), timeout=LOAD_MS)
    lab_page.page.wait_for_function(
        "() => window.jupyterapp && window.jupyterapp.shell", timeout=LOAD_MS
    )
    lab_page.page.evaluate("() => window.jupyterapp.restored")
    time.sleep(NEWS_GRACE_S)


def test_no_news_or_update_notification(lab_page: LabPage) -> None:
    open_lab(lab_page)
    settings = lab_page.page.evaluate(
        "async (id) => (await window.jupyterapp.serviceManager.settings.fetch(id)).settings",
        NOTIFICATION,
    )
    assert settings == {} or (
        settings.get("fetchNews", "false") == "false" and not settings.get("checkForUpdates")
    ), settings
    schema = lab_page.lab.get_json(f"/lab/api/settings/{NOTIFICATION}")["schema"]["properties"]
    assert schema["fetchNews"]["default"] == "false"
    assert schema["checkForUpdates"]["default"] is False
    assert_clean_screen(lab_page)
    assert not lab_page.toasts(), f"unexpected notifications: {lab_page.toasts()}"


def test_news_check_would_see_the_pop_up(lab_page: LabPage) -> None:
    """Control: with the overrides undone (in this tab only, by rewriting the
    settings the page receives), JupyterLab asks about news, and the check sees it."""

    def undo_overrides(route) -> None:  # noqa: ANN001 - playwright Route
        response = route.fetch()
        body = response.json()
        for plugin in body.get("settings", []):
            if plugin.get("id") == NOTIFICATION and "schema" in plugin:
                plugin["schema"]["properties"]["fetchNews"]["default"] = "none"
        route.fulfill(response=response, body=json.dumps(body))

    lab_page.page.route("**/lab/api/settings?*", undo_overrides)
    open_lab(lab_page)
    toast = lab_page.page.locator(".Toastify__toast")
    expect(toast.first).to_be_visible(timeout=UI_MS)
    news = news_toasts(lab_page.toasts())
    assert news, lab_page.toasts()
    with pytest.raises(AssertionError, match="news/update notification shown"):
        assert_clean_screen(lab_page)


CONTROL_CELLS = [
    "import ipywidgets as widgets\nwidgets.IntSlider(value=3)",
    # a widget output whose model does not exist: the kernel sent it, nobody can draw it
    "from IPython.display import display\n"
    "display({'application/vnd.jupyter.widget-view+json': "
    "{'model_id': '0' * 32, 'version_major': 2, 'version_minor': 0}, "
    "'text/plain': 'IntSlider(value=3)'}, raw=True)",
    "1 / 0",
    "print('never run: Run All stops at the error')",
]


def test_checks_catch_errors_and_undrawn_widgets(scratch: Path, lab_page: LabPage) -> None:
    """Control for the notebook tests: a traceback and an undrawable widget are seen."""
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": f"c{i}",
                "metadata": {},
                "outputs": [],
                "source": src,
            }
            for i, src in enumerate(CONTROL_CELLS)
        ],
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (scratch / "controls.ipynb").write_text(json.dumps(nb))
    lab_page.open(f"{scratch.name}/controls.ipynb")
    lab_page.wait_kernel_idle()
    lab_page.run_all_from_menu()
    lab_page.wait_all_executed()
    errors = lab_page.error_outputs()
    assert any(e.startswith("cell 2: ZeroDivisionError") for e in errors), errors
    assert lab_page.unexecuted() == [3]
    assert any(e.startswith("on screen:") and "ZeroDivisionError" in e for e in errors), errors
    report = wait_widgets_drawn(lab_page, timeout_s=3)
    assert report["model"] == 2 and report["rendered"] == 1, report
    assert "widget-slider" in report["kinds"], report
    assert report["problems"], report
