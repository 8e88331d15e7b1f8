"""Widget labs: one widget a module, each with a public ``value``.

Widgets are for exploring; graded answers are plain variables. Every widget
works headless (no browser, during grading): building and driving it never
needs a front end.
"""

from __future__ import annotations

from course.widgets.address_inspector import AddressInspector
from course.widgets.circuit_builder import CircuitBuilder
from course.widgets.drop_map import DropMap
from course.widgets.graph_explorer import GraphExplorer
from course.widgets.link_chart import LinkChart
from course.widgets.market_browser import MarketBrowser
from course.widgets.onion_inspector import OnionInspector
from course.widgets.relay_picker import RelayPicker
from course.widgets.seizure_explorer import SeizureExplorer
from course.widgets.tx_anatomy import TxAnatomy
from course.widgets.wallet_explorer import WalletExplorer

__all__ = [
    "AddressInspector",
    "CircuitBuilder",
    "DropMap",
    "GraphExplorer",
    "LinkChart",
    "MarketBrowser",
    "OnionInspector",
    "RelayPicker",
    "SeizureExplorer",
    "TxAnatomy",
    "WalletExplorer",
]
