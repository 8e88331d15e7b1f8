"""Every source notebook, run in JupyterLab in a real browser: Run → Run All
Cells, no error on screen, every widget drawn, one widget driven per day,
and a screenshot of the result in ``artifacts/screenshots/``.

The days come from ``course.build.assignments_with_notebooks``, so a new day
is picked up as soon as it has a notebook."""

from __future__ import annotations

from pathlib import Path

import pytest

from browser.checks import DAYS, NOTEBOOKS, assert_clean_screen, wait_widgets_drawn
from browser.interactions import INTERACTIONS, interactions_for
from browser.lab_page import LabPage

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("day", "notebook"), NOTEBOOKS, ids=[f"{d}/{n.removesuffix('.ipynb')}" for d, n in NOTEBOOKS]
)
def test_source_notebook_runs_clean_in_the_lab(
    lab_page: LabPage, built_course: Path, day: str, notebook: str
) -> None:
    path = f"source/{day}/{notebook}"
    assert (built_course / path).is_file()
    lab_page.open(path)
    lab_page.wait_kernel_idle()
    lab_page.run_all_from_menu()
    lab_page.wait_all_executed()

    errors = lab_page.error_outputs()
    assert not errors, "cells show errors:\n" + "\n".join(errors)
    assert not lab_page.unexecuted(), f"cells not run: {lab_page.unexecuted()}"

    report = wait_widgets_drawn(lab_page)
    assert report["rendered"] == report["model"], f"widget views not all rendered: {report}"
    assert not report["problems"], f"widget rendering problems: {report}"

    for check in interactions_for(day, notebook):
        check.check(lab_page, built_course / "source" / day)

    assert_clean_screen(lab_page)
    assert not lab_page.page_errors, f"uncaught errors in the page: {lab_page.page_errors}"
    widgets = lab_page.panel().locator(".jp-OutputArea-output .jupyter-widgets")
    if widgets.count():
        widgets.first.scroll_into_view_if_needed()
    lab_page.screenshot(f"{day}-{notebook.removesuffix('.ipynb')}")


@pytest.mark.parametrize("day", DAYS)
def test_every_day_has_a_widget_interaction(day: str) -> None:
    """A day with notebooks registers at least one widget interaction
    (tests/browser/interactions.py), on one of its notebooks."""
    registered = INTERACTIONS.get(day, [])
    assert registered, (
        f"{day} has notebooks but no widget interaction: add one to "
        "tests/browser/interactions.py (see its docstring)"
    )
    names = {n for d, n in NOTEBOOKS if d == day}
    for entry in registered:
        assert entry.notebook in names, f"{entry.what}: no notebook {day}/{entry.notebook}"


def test_interactions_name_existing_days() -> None:
    assert set(INTERACTIONS) <= set(DAYS), f"stale days: {set(INTERACTIONS) - set(DAYS)}"
