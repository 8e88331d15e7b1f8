"""One widget interaction (at least) for every day of the course.

Each entry drives a widget of a day's notebook in the browser, after the
notebook has been run, and checks that what the widget shows changes as it
should, with the expected text computed here in Python from the day's data.
``test_every_day_has_an_interaction`` fails for a day with notebooks and no
entry, so a new day cannot skip this silently.

Adding one for a new day::

    @interaction("day2-market-osint", "01-....ipynb", "what is driven and checked")
    def my_widget(lab: LabPage, day: Path) -> None:
        out = widget_output(lab, "MyWidget(")       # the cell that displays it
        ...                                         # drive it, then expect(...)

``day`` is the day's folder in the built course (``data/`` inside).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from playwright.sync_api import Locator, expect

from browser.lab_page import UI_MS, LabPage
from course.messages import t, tn
from course.tor.onion import check_address
from course.widgets.seizure_explorer import weight_stops


@dataclass(frozen=True)
class Interaction:
    """A widget check: the day, the notebook that shows the widget, what it does."""

    day: str
    notebook: str
    what: str
    check: Callable[[LabPage, Path], None]


INTERACTIONS: dict[str, list[Interaction]] = {}


def interaction(day: str, notebook: str, what: str):
    """Register ``check(lab, day_folder)`` as a widget interaction of ``day``."""

    def register(check: Callable[[LabPage, Path], None]) -> Callable[[LabPage, Path], None]:
        INTERACTIONS.setdefault(day, []).append(Interaction(day, notebook, what, check))
        return check

    return register


def interactions_for(day: str, notebook: str) -> list[Interaction]:
    return [i for i in INTERACTIONS.get(day, []) if i.notebook == notebook]


# -- helpers ----------------------------------------------------------------------------
def widget_output(lab: LabPage, snippet: str) -> Locator:
    """The rendered widget under the cell whose source contains ``snippet``."""
    out = lab.cell(snippet).locator(".jp-OutputArea-output .jupyter-widgets").first
    out.scroll_into_view_if_needed()
    expect(out).to_be_visible(timeout=UI_MS)
    return lab.cell(snippet).locator(".jp-OutputArea-output").first


def set_slider(slider: Locator, value: float | int) -> None:
    """Type ``value`` into an ipywidgets slider's editable readout and confirm."""
    readout = slider.locator(".widget-readout")
    readout.click()
    readout.press("Control+a")
    readout.type(str(value))
    readout.press("Enter")


def set_text(text_widget: Locator, value: str) -> None:
    """Replace the text of an ipywidgets Text box and confirm with Enter."""
    box = text_widget.locator("input")
    box.fill(value)
    box.press("Enter")


# -- day 0 ----------------------------------------------------------------------------
def _seizure_sentence(rows: pd.DataFrame) -> str:
    if rows.empty:
        return t("seizures.empty")
    return tn("seizures.summary", len(rows), total_g=float(rows["weight_g"].sum()))


@interaction(
    "day0-orientation",
    "01-working-in-the-classroom.ipynb",
    "SeizureExplorer: choose a city, then step the 'more than' slider with the keyboard; "
    "the summary sentence follows",
)
def seizure_explorer(lab: LabPage, day: Path) -> None:
    table = pd.read_csv(day / "data" / "seizures.csv")
    widget = widget_output(lab, "SeizureExplorer(seizures)")
    summary = widget.locator(".widget-html").first

    everything = _seizure_sentence(table)
    expect(summary).to_have_text(everything, timeout=UI_MS)

    city = table["city"].value_counts().index[0]
    in_city = table[table["city"] == city]
    widget.locator(".widget-dropdown select").select_option(label=city)
    by_city = _seizure_sentence(in_city)
    expect(summary).to_have_text(by_city, timeout=UI_MS)

    stops = weight_stops(float(table["weight_g"].max()))
    steps = next(i for i, s in enumerate(stops) if s >= in_city["weight_g"].median())
    handle = widget.locator(".widget-slider .noUi-handle").first
    handle.focus()
    for _ in range(steps):
        handle.press("ArrowRight")
    heavy = _seizure_sentence(in_city[in_city["weight_g"] > stops[steps]])
    expect(summary).to_have_text(heavy, timeout=UI_MS)

    assert len({everything, by_city, heavy}) == 3, "the interaction must change the sentence"


# -- day 1 ----------------------------------------------------------------------------
@interaction(
    "day1-darkweb-tor",
    "02-tor-circuits-and-consensus.ipynb",
    "CircuitBuilder: move the step slider from the client to the exit; the exit reads the request",
)
def circuit_builder(lab: LabPage, day: Path) -> None:
    message = "GET /listing/100231 HTTP/1.1"
    widget = widget_output(lab, "CircuitBuilder(relays, weights")
    cells = widget.locator(".widget-html").nth(1)
    expect(cells).to_contain_text(t("w1.circuit.step.0"), timeout=UI_MS)
    expect(cells.locator("tr").last).not_to_contain_text(message)

    set_slider(widget.locator(".widget-slider"), 3)
    expect(cells).to_contain_text(t("w1.circuit.step.3"), timeout=UI_MS)
    expect(cells.locator("tr").last).to_contain_text(message)
    expect(widget.locator(".widget-html").nth(2)).not_to_be_empty()


@interaction(
    "day1-darkweb-tor",
    "03-onion-services-and-opsec.ipynb",
    "OnionInspector: paste a candidate with a bad checksum; the verdict says why",
)
def onion_inspector(lab: LabPage, day: Path) -> None:
    questions = json.loads((day / "data" / "tor" / "questions.json").read_text("utf-8"))
    candidates = pd.read_csv(day / "data" / questions["onion_candidates_file"])["address"]
    first, bad = candidates.iloc[0], None
    for address in candidates:
        verdict = check_address(address)
        if not verdict.valid and verdict.reason != check_address(first).reason:
            bad = address
            break
    assert bad is not None, "the candidates hold no invalid address to paste"

    widget = widget_output(lab, "inspector = OnionInspector(")
    result = widget.locator(".widget-html").first
    expect(result.locator("p").first).to_have_text(check_address(first).reason, timeout=UI_MS)
    set_text(widget.locator(".widget-text"), bad)
    expect(result.locator("p").first).to_have_text(check_address(bad).reason, timeout=UI_MS)


# -- later days: one module each (``interactions_dayN.py``), registered on import ----------
def _import_day_modules() -> None:
    import importlib

    for path in sorted(Path(__file__).parent.glob("interactions_day*.py")):
        importlib.import_module(f"browser.{path.stem}")


_import_day_modules()
