"""Darkweb market OSINT (day 2): saved pages into tables, prices, indicators, links,
photos and capture integrity. One concept a module:

- :mod:`course.market.pages`: parsers declared as field-to-selector maps;
- :mod:`course.market.specs`: the two markets' parsers and their typed tables;
- :mod:`course.market.prices`: quantities, price per gram, rates at a date;
- :mod:`course.market.profiles`: sellers, offer by NPS group, activity, feedback limits;
- :mod:`course.market.indicators`: addresses, keys and handles with their place;
- :mod:`course.market.linking`: links between aliases as findings, scored;
- :mod:`course.market.photos`: EXIF of dead-drop photos;
- :mod:`course.market.capture`: SHA-256 of saved pages against the capture log.
"""

from __future__ import annotations
