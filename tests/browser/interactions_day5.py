"""Day 5 widget interaction in the browser: the onion inspector on the seized
laptop's bookmarks. The expected verdicts are computed here from the day's data."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import expect

from browser.interactions import interaction, set_text, widget_output
from browser.lab_page import UI_MS, LabPage
from course.tor.onion import check_address, find_addresses

DAY = "day5-building-the-case"
NB_CAPSTONE = "01-capstone.ipynb"


@interaction(DAY, NB_CAPSTONE,
             "OnionInspector on the bookmarks: paste the bookmarked clone; "
             "the verdict names the checksum")
def bookmark_inspector(lab: LabPage, day: Path) -> None:
    questions = json.loads((day / "data" / "evidence_questions.json").read_text("utf-8"))
    onions = find_addresses((day / "data" / questions["bookmarks"]).read_text("utf-8"))
    clones = [address for address in onions if not check_address(address).valid]
    assert clones, "the bookmarks hold no clone to paste"

    widget = widget_output(lab, "bookmark_inspector = OnionInspector(")
    result = widget.locator(".widget-html").first
    expect(result.locator("p").first).to_have_text(check_address(onions[0]).reason, timeout=UI_MS)
    set_text(widget.locator(".widget-text"), clones[0])
    expect(result.locator("p").first).to_have_text(check_address(clones[0]).reason, timeout=UI_MS)
