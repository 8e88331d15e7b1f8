"""Classify a market product title into an NPS group with the lexicon.

A title is normalised before matching: Unicode NFKC, Latin/Cyrillic
look-alike letters folded ("Meф" -> "меф", "mephedrоne" with a Cyrillic "о"
-> "mephedrone"), lower case, "ё" -> "е", quantities ("1г", "0.5 g", "10x",
"250mg") removed, punctuation turned into spaces. Cyrillic terms are matched
against the Cyrillic-folded text, Latin terms against the Latin-folded text,
on word boundaries, with optional Russian case endings ("мефедрона") and a
plural "s". The surest match wins (the highest confidence, then the longest
term, so "Мефедрон кристаллы" is mephedrone, not the ambiguous "кристаллы");
a title with no match, not even at one typo's distance from a name, is
``unknown``. Names that do not say what is inside ("pink cocaine", "tusi",
"колёса") are removed first (:data:`course.nps.lexicon.UNASSIGNED_TERMS`), so
they never decide a group.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from course.nps.lexicon import (
    AMBIGUOUS_CONFIDENCE,
    AMBIGUOUS_STREET,
    KIND_CONFIDENCE,
    SUBSTANCES,
    UNASSIGNED_TERMS,
    UNKNOWN,
)

#: Latin letters that look like Cyrillic ones, and back.
#: (Applied after lower-casing, so a pair counts if either case looks alike: B/В, H/Н.)
_LAT_TO_CYR = str.maketrans("abcehkmoptxyi", "авсенкмортхуі")
_CYR_TO_LAT = str.maketrans("авсенкмортхуі", "abcehkmoptxyi")
_GREEK = str.maketrans({"α": "a", "Α": "a", "β": "b", "μ": "m"})

_UNITS = (
    r"[kк][gг]|[mм][gг]|мкг|ug|µg|грамм\w*|гр|[gг]|gr|grams?|[mм]l|мл|шт|pcs?|[xх]|таб\w*|tabs?"
    r"|pills?|blotters?|марок|oz|унц\w*"
)
_QUANTITY = re.compile(
    rf"(?:(?<![\w.,])\d+(?:[.,]\d+)?\s*(?:{_UNITS})(?![\w])|(?<![\w])[xх]\s*\d+(?![\w.,]))",
    re.IGNORECASE,
)
_NON_WORD = re.compile(r"[^0-9a-zа-яі]+")
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_RU_ENDINGS = "(?:а|у|ом|ы|ов|е|и|ой|ам|ами|ах|ей|ка|ку|чик)?"


@dataclass(frozen=True)
class Classification:
    """The result of classifying one title.

    Attributes
    ----------
    group
        An id of :data:`course.nps.lexicon.GROUPS` (``"unknown"`` if nothing matched).
    substance
        The lexicon's substance name, or None.
    matched_term
        The lexicon term that matched, as the lexicon writes it, or None.
    confidence
        0.0 (no match) to 0.95 (a chemical name); street names and typos score lower.
    """

    group: str
    substance: str | None
    matched_term: str | None
    confidence: float


UNKNOWN_RESULT = Classification(UNKNOWN, None, None, 0.0)


def normalise(text: str, script: str = "cyr") -> str:
    """Return ``text`` normalised for matching, folded to ``script`` ("cyr" or "lat").

    Examples
    --------
    >>> normalise("Мефедрон (крисы) 1г!!", "cyr")
    'мефедрон крисы'
    >>> normalise("a-PVP 0.5 g", "lat")
    'a pvp'
    """
    if script not in ("cyr", "lat"):
        raise ValueError(f"script must be 'cyr' or 'lat', not {script!r}")
    text = unicodedata.normalize("NFKC", str(text)).translate(_GREEK)
    text = _QUANTITY.sub(" ", text.lower().replace("ё", "е"))
    text = text.translate(_LAT_TO_CYR if script == "cyr" else _CYR_TO_LAT)
    return _NON_WORD.sub(" ", text).strip()


def _script_of(term: str) -> str:
    return "cyr" if _CYRILLIC.search(term) else "lat"


@dataclass(frozen=True)
class _Pattern:
    regex: re.Pattern[str]
    term: str  # as written in the lexicon
    length: int  # letters and digits in the normalised term
    substance: str
    group: str
    confidence: float


def _pattern(term: str, script: str) -> re.Pattern[str]:
    tokens = term.split()
    body = " ?".join(re.escape(t) for t in tokens)
    if script == "cyr" and len(tokens[-1]) >= 4:
        body += _RU_ENDINGS
    elif script == "lat" and tokens[-1][-1:].isalpha():
        body += "s?"
    return re.compile(rf"(?:^| ){body}(?= |$)")


@lru_cache(maxsize=1)
def _patterns() -> dict[str, list[_Pattern]]:
    out: dict[str, list[_Pattern]] = {"cyr": [], "lat": []}
    seen: set[tuple[str, str]] = set()
    for substance in SUBSTANCES:
        for kind, raw in substance.terms:
            script = _script_of(raw)
            term = normalise(raw, script)
            if not term or (script, term) in seen:
                continue
            seen.add((script, term))
            confidence = KIND_CONFIDENCE[kind]
            if term in AMBIGUOUS_STREET:
                confidence = min(confidence, AMBIGUOUS_CONFIDENCE)
            out[script].append(
                _Pattern(
                    _pattern(term, script),
                    raw,
                    len(term.replace(" ", "")),
                    substance.name,
                    substance.group,
                    confidence,
                )
            )
    return out


@lru_cache(maxsize=1)
def _unassigned() -> dict[str, re.Pattern[str]]:
    out: dict[str, list[str]] = {"cyr": [], "lat": []}
    for raw in UNASSIGNED_TERMS:
        script = _script_of(raw)
        out[script].append(r"\b" + re.escape(normalise(raw, script)) + r"\w*")
    return {script: re.compile("|".join(terms)) for script, terms in out.items()}


def _text_for_matching(title: str, script: str) -> str:
    """The normalised title without the names the lexicon leaves unassigned."""
    text = _unassigned()[script].sub(" ", normalise(title, script))
    return " ".join(text.split())


@lru_cache(maxsize=1)
def _fuzzy_targets() -> list[tuple[str, str, str, str, str]]:
    """Single-word names of six letters or more, for the one-typo fallback."""
    targets = []
    for substance in SUBSTANCES:
        for kind, raw in substance.terms:
            if kind in ("name", "ru", "misspelling"):
                script = _script_of(raw)
                term = normalise(raw, script)
                if " " not in term and len(term) >= 6 and not term[0].isdigit():
                    targets.append((script, term, raw, substance.name, substance.group))
    return targets


def _within_one_edit(a: str, b: str) -> bool:
    """True if ``a`` and ``b`` differ by at most one insertion, deletion or substitution."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


def classify_title(title: str) -> Classification:
    """Classify a product title into an NPS group.

    Parameters
    ----------
    title
        A listing title as shown on a market, in any mix of Russian and English.

    Returns
    -------
    Classification
        The group, substance, matched term and a confidence; ``group == "unknown"``
        when no lexicon term matches.

    Examples
    --------
    >>> classify_title("Меф крисы VHQ 1г").group
    'synthetic_cathinones'
    >>> classify_title("VPN account, 1 year").group
    'unknown'
    """
    if not isinstance(title, str):
        raise TypeError(f"classify_title expects a title string, got {type(title).__name__}")
    best: tuple[int, float, _Pattern] | None = None
    for script, patterns in _patterns().items():
        text = _text_for_matching(title, script)
        if not text:
            continue
        for p in patterns:
            if p.regex.search(text):
                rank = (p.confidence, p.length)
                if best is None or rank > best[:2]:
                    best = (*rank, p)
    if best is not None:
        p = best[2]
        return Classification(p.group, p.substance, p.term, p.confidence)
    for script, term, raw, substance, group in _fuzzy_targets():
        for token in _text_for_matching(title, script).split():
            if len(token) >= 6 and _within_one_edit(token, term):
                return Classification(group, substance, raw, KIND_CONFIDENCE["fuzzy"])
    return UNKNOWN_RESULT


def classify_titles(titles: list[str]) -> list[Classification]:
    """Classify many titles (see :func:`classify_title`)."""
    return [classify_title(t) for t in titles]
