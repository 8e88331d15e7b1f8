"""Widget labs: one widget a module, each with a public ``value``.

Widgets are for exploring; graded answers are plain variables. Every widget
works headless (no browser, during grading): building and driving it never
needs a front end.
"""

from __future__ import annotations

from course.widgets.circuit_builder import CircuitBuilder
from course.widgets.drop_map import DropMap
from course.widgets.link_chart import LinkChart
from course.widgets.market_browser import MarketBrowser
from course.widgets.onion_inspector import OnionInspector
from course.widgets.relay_picker import RelayPicker
from course.widgets.seizure_explorer import SeizureExplorer

__all__ = ["CircuitBuilder", "DropMap", "LinkChart", "MarketBrowser", "OnionInspector",
           "RelayPicker", "SeizureExplorer"]
