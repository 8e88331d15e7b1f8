"""The trainee's notebooks (release/) open cleanly in JupyterLab with nbgrader's
Validate button in the notebook toolbar, and Validate works in the browser."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from browser.checks import DAYS, NOTEBOOKS, assert_clean_screen
from browser.lab_page import RUN_MS, UI_MS, LabPage

pytestmark = pytest.mark.browser

# nbgrader 0.9.6 labextension: a ToolbarButton with className "validate-button"
# (drawn as <jp-button class="validate-button ...">), label "Validate", tooltip
# "Validate Assignment", inserted before the toolbar spacer of every notebook.
VALIDATE = ".jp-NotebookPanel-toolbar .validate-button"


@pytest.mark.parametrize("day", DAYS)
def test_release_notebooks_open_with_the_validate_button(
    lab_page: LabPage, built_course: Path, day: str
) -> None:
    folder = f"release/{day}"
    names = sorted(p.name for p in (built_course / folder).glob("*.ipynb"))
    assert names == sorted(n for d, n in NOTEBOOKS if d == day), "release differs from source"
    lab_page.open(f"{folder}/{names[0]}")
    for name in names:
        if name != names[0]:
            lab_page.open_from_file_browser(folder, name)
        button = lab_page.panel().locator(VALIDATE)
        expect(button).to_be_visible(timeout=UI_MS)
        expect(button).to_have_text("Validate")
        expect(button).to_have_attribute("title", "Validate Assignment")
        expect(button).to_have_attribute("aria-disabled", "false")
        first = lab_page.notebook_json()["cells"][0]
        assert "".join(first["source"]).startswith("# Course:"), f"{name}: no course header"
        assert_clean_screen(lab_page)
    assert not lab_page.page_errors, f"uncaught errors in the page: {lab_page.page_errors}"


def test_validate_button_reports_the_failing_tests_of_a_blank_release(
    scratch: Path, lab_page: LabPage, built_course: Path
) -> None:
    """Pressing Validate on an untouched release notebook (in a scratch copy, as
    the button saves the notebook) shows nbgrader's results: tests fail."""
    day = DAYS[0]
    shutil.copytree(built_course / "release" / day, scratch / day)
    name = sorted(p.name for p in (scratch / day).glob("*.ipynb"))[0]
    lab_page.open(f"{scratch.name}/{day}/{name}")
    lab_page.panel().locator(VALIDATE).click()
    dialog = lab_page.page.locator(".jp-Dialog")
    expect(dialog).to_be_visible(timeout=RUN_MS)
    expect(dialog.locator(".jp-Dialog-header")).to_have_text("Validation Results")
    expect(dialog.locator("#validation-message")).to_have_class(
        re.compile(r"\bvalidation-failed\b")
    )
    expect(dialog).to_contain_text("The following cell failed")
    dialog.locator(".jp-Dialog-button.jp-mod-accept").click()
    expect(dialog).to_have_count(0)
    assert_clean_screen(lab_page)
