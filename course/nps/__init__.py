"""New psychoactive substances: the course lexicon, a title classifier and trend data.

>>> from course.nps import classify_title
>>> classify_title("Альфа PVP кристаллы 0.5г").substance
'alpha-PVP'
"""

from __future__ import annotations

from course.nps.classify import Classification, classify_title, classify_titles, normalise
from course.nps.lexicon import GROUPS, SUBSTANCE_BY_NAME, SUBSTANCES, UNKNOWN, Substance
from course.nps.trends import CENTRAL_ASIA_NPS_REPORTED, growth_factor, trend_rows

__all__ = [
    "CENTRAL_ASIA_NPS_REPORTED",
    "GROUPS",
    "SUBSTANCES",
    "SUBSTANCE_BY_NAME",
    "UNKNOWN",
    "Classification",
    "Substance",
    "classify_title",
    "classify_titles",
    "growth_factor",
    "normalise",
    "trend_rows",
]
