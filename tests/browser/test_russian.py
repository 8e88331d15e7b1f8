"""A Russian cohort's classroom in a real browser: ``course lab`` on a course
built with ``--lang ru`` shows JupyterLab in Russian (the pinned ru-RU
language pack, selected by the course), a Russian Day 1 notebook runs from
the Russian menu without an error, its widget speaks Russian and answers a
click, and a screenshot is saved in ``artifacts/screenshots/``."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from i18n.courses import built_course_in, source_dir
from playwright.sync_api import expect

from browser.checks import assert_clean_screen, wait_widgets_drawn
from browser.conftest import lab_server_for
from browser.interactions import interactions_for, widget_output
from browser.lab_page import UI_MS, VIEWPORT, LabPage
from browser.lab_server import LabServer
from course.messages import t

pytestmark = pytest.mark.browser

DAY, NOTEBOOK = "day1-darkweb-tor", "02-tor-circuits-and-consensus.ipynb"


@pytest.fixture(scope="module")
def course_ru(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_course_in("ru", tmp_path_factory)


@pytest.fixture(scope="module")
def lab_ru(course_ru: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    """``course lab`` on the Russian course; nothing says the language but the build."""
    home = tmp_path_factory.mktemp("lab-ru-home")
    with lab_server_for(course_ru, home, drop=("COURSE_LANG",)) as server:
        yield server


@pytest.fixture
def page_ru(browser, lab_ru: LabServer) -> Iterator[LabPage]:
    context = browser.new_context(viewport=VIEWPORT, locale="ru-RU")
    page = LabPage(context.new_page(), lab_ru)
    yield page
    try:
        for session in lab_ru.get_json("/api/sessions"):
            lab_ru.request("DELETE", f"/api/sessions/{session['id']}")
    finally:
        context.close()


def test_the_lab_serves_the_russian_interface(lab_ru: LabServer) -> None:
    settings = lab_ru.get_json("/lab/api/settings/@jupyterlab/translation-extension:plugin")
    # the course's default (labconfig), not a user setting: a trainee may still change it
    assert settings["schema"]["properties"]["locale"]["default"] == "ru_RU"
    assert "locale" not in settings["settings"]
    packs = lab_ru.get_json("/lab/api/translations")["data"]
    assert "ru_RU" in packs, packs
    strings = json.dumps(lab_ru.get_json("/lab/api/translations/ru_RU"), ensure_ascii=False)
    assert "Перезапустить ядро и выполнить все ячейки…" in strings


def test_russian_day1_notebook_runs_in_the_russian_lab(
    page_ru: LabPage, course_ru: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = (source_dir(course_ru, "ru", DAY) / NOTEBOOK).relative_to(course_ru).as_posix()
    page_ru.open(path)
    page_ru.wait_kernel_idle()
    menu = page_ru.page.locator(".lm-MenuBar-itemLabel")
    expect(menu.filter(has_text=re.compile(r"^Ядро$"))).to_be_visible(timeout=UI_MS)
    expect(page_ru.panel()).to_contain_text("День 1 · Часть 2", timeout=UI_MS)

    # Выполнить → Запустить все ячейки, as a Russian-reading trainee would
    menu.filter(has_text=re.compile(r"^Выполнить$")).click()
    page_ru.page.locator(
        ".lm-Menu-itemLabel", has_text=re.compile(r"^Запустить все ячейки$")
    ).click()
    page_ru.wait_all_executed()
    errors = page_ru.error_outputs()
    assert not errors, "cells show errors:\n" + "\n".join(errors)
    assert not page_ru.unexecuted(), f"cells not run: {page_ru.unexecuted()}"
    report = wait_widgets_drawn(page_ru)
    assert report["rendered"] == report["model"] and not report["problems"], report

    # the widget speaks Russian: drive it as the English test does, with Russian texts
    monkeypatch.setenv("COURSE_LANG", "ru")
    for check in interactions_for(DAY, NOTEBOOK):
        check.check(page_ru, source_dir(course_ru, "ru", DAY))
    widget = widget_output(page_ru, "CircuitBuilder(relays, weights")
    path_line = widget.locator(".widget-html").first
    before = path_line.inner_text()
    assert "Цепочка: вы →" in before
    assert "client (sends)" not in widget.inner_text()  # no English row left
    widget.get_by_role("button", name=t("w1.circuit.new_button")).click()
    expect(path_line).not_to_have_text(before, timeout=UI_MS)

    assert_clean_screen(page_ru)
    assert not page_ru.page_errors, page_ru.page_errors
    widget.scroll_into_view_if_needed()
    shot = page_ru.screenshot(f"ru-{DAY}-{NOTEBOOK.removesuffix('.ipynb')}")
    assert shot.stat().st_size > 10_000
