"""Linking aliases across markets: shared keys, handles, addresses, look-alike names.

A *profile* is one alias on one market with the indicators its pages show
(PGP fingerprints, contact handles, bitcoin addresses). Two profiles on
different markets are linked when they share an indicator: each shared one is
a :class:`course.findings.Finding` with its evidence and a confidence. Names
that look alike once both are written in Latin letters (Химик, Himik, Khimik)
are only a *lead*: anyone can choose a name like another's (impersonation, a
common word), while a private PGP key or a contact account is hard to share
by accident. :func:`combine` merges the findings of one pair into one link,
:func:`score_links` measures links against a known answer.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from course.findings import Finding
from course.market.indicators import file_indicators
from course.market.pages import parse_file
from course.market.specs import MARKETS
from course.messages import t

#: confidence of one shared indicator of each kind (see the module's text)
CONFIDENCE: dict[str, float] = {"pgp_fingerprint": 0.95, "session": 0.9, "telegram": 0.85,
                                "jabber": 0.85, "btc_address": 0.9, "email": 0.8}
HANDLES = ("telegram", "jabber", "session", "email")
#: names at least this similar (0-1) make a lead; its confidence is a third of the similarity
ALIAS_THRESHOLD = 0.8
ALIAS_WEIGHT = 1 / 3
_MESSAGE = {"pgp_fingerprint": "market.link.pgp_key", "btc_address": "market.link.btc_address",
            **{h: "market.link.handle" for h in HANDLES}}
#: page kinds whose page names the alias, and the field that holds it
PROFILE_PAGES = {("market_ru", "shops"): "shop", ("market_en", "vendors"): "vendor",
                 ("market_en", "listing_pages"): "vendor"}

_CYR = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі",
                ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o",
                 "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "sch", "", "y", "", "e",
                 "yu", "ya", "a", "g", "k", "n", "o", "u", "u", "h", "i"], strict=True))
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a",
                       "$": "s"})
_NOISE = ("official", "store", "shop", "team", "original", "real")


@dataclass
class Profile:
    """One alias on one market and what its pages show."""

    market: str
    alias: str
    indicators: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, value) -> file


def skeleton(alias: str) -> str:
    """A name reduced to what survives re-spelling: Latin letters, no digits or noise.

    Cyrillic is transliterated, look-alike digits read as letters, spelling
    variants merged (kh/h, y/i, w/v, ph/f, double letters).

    Examples
    --------
    >>> skeleton("Химик"), skeleton("Khimik"), skeleton("HIMIK_official"), skeleton("H1m1k24")
    ('himik', 'himik', 'himik', 'himik')
    """
    text = "".join(_CYR.get(ch, ch) for ch in alias.lower())
    text = re.sub(r"\d+$", "", text).translate(_LEET)
    text = re.sub(r"[^a-z]", "", text)
    for word in _NOISE:
        if text.endswith(word) and len(text) > len(word) + 2:
            text = text[: -len(word)]
    for old, new in (("kh", "h"), ("ph", "f"), ("ck", "k"), ("y", "i"), ("j", "i"), ("w", "v"),
                     ("x", "ks"), ("q", "k")):
        text = text.replace(old, new)
    return re.sub(r"(.)\1+", r"\1", text)


def alias_similarity(a: str, b: str) -> float:
    """Similarity (0-1) of two aliases' skeletons (:func:`skeleton`)."""
    sa, sb = skeleton(a), skeleton(b)
    if not sa or not sb:
        return 0.0
    return difflib.SequenceMatcher(None, sa, sb).ratio()


def profiles(pages: Path | str) -> list[Profile]:
    """Profiles of every alias of both markets under ``pages`` (``data/pages``)."""
    pages = Path(pages)
    found: dict[tuple[str, str], Profile] = {}
    for (market, kind), alias_field in PROFILE_PAGES.items():
        spec = MARKETS[market][kind]
        for path in sorted((pages / market).glob(spec.pattern)):
            alias = str(parse_file(path, spec, pages)[alias_field].iloc[0])
            profile = found.setdefault((market, alias), Profile(market, alias))
            for ind in file_indicators(path, pages):
                # an e-mail read from a key's user id is part of the key, not more evidence
                from_key = ind.kind == "email" and bool(ind.note)
                if ind.kind in CONFIDENCE and ind.value and ind.valid and not from_key:
                    profile.indicators.setdefault((ind.kind, ind.value), ind.file)
    return list(found.values())


def link_findings(items: Iterable[Profile]) -> list[Finding]:
    """One finding per indicator shared by two profiles of different markets, and one
    lead per pair of look-alike aliases."""
    items = list(items)
    owners: dict[tuple[str, str], list[Profile]] = defaultdict(list)
    for p in items:
        for key in p.indicators:
            owners[key].append(p)
    out = []
    for (kind, value), who in sorted(owners.items()):
        for i, a in enumerate(who):
            for b in who[i + 1:]:
                if a.market == b.market:
                    continue
                a, b = sorted((a, b), key=lambda p: p.market, reverse=True)
                fa, fb = a.indicators[(kind, value)], b.indicators[(kind, value)]
                out.append(Finding(f"link.{kind}", (a.alias, b.alias), CONFIDENCE[kind],
                                   (t(_MESSAGE[kind], a=a.alias, b=b.alias, value=value,
                                      file_a=fa, file_b=fb),), (fa, fb)))
    for i, a in enumerate(items):
        for b in items[i + 1:]:
            if a.market == b.market:
                continue
            a, b = sorted((a, b), key=lambda p: p.market, reverse=True)
            score = alias_similarity(a.alias, b.alias)
            if score >= ALIAS_THRESHOLD:
                out.append(Finding("link.alias", (a.alias, b.alias), round(score * ALIAS_WEIGHT, 3),
                                   (t("market.link.alias", a=a.alias, b=b.alias,
                                      value=f"{score:.0%}"),), ()))
    return out


def combine(findings: Iterable[Finding]) -> list[Finding]:
    """One ``link`` finding per pair: all its evidence, confidence ``1 - prod(1 - c)``
    (independent pieces of evidence add up; a lead alone stays a lead)."""
    pairs: dict[tuple[str, ...], list[Finding]] = defaultdict(list)
    for f in findings:
        pairs[f.subject].append(f)
    out = []
    for subject, group in pairs.items():
        doubt = 1.0
        for f in group:
            doubt *= 1 - f.confidence
        evidence = tuple(e for f in group for e in f.evidence)
        sources = tuple(dict.fromkeys(s for f in group for s in f.sources))
        out.append(Finding("link", subject, round(1 - doubt, 4), evidence, sources))
    return sorted(out, key=lambda f: (-f.confidence, f.subject))


def link_aliases(pages: Path | str) -> list[Finding]:
    """The combined links between the aliases of both markets under ``pages``."""
    return combine(link_findings(profiles(pages)))


def score_links(links: Iterable[Finding], truth: Iterable[tuple[str, str]],
                min_confidence: float = 0.8) -> dict[str, float]:
    """Precision and recall of the links at or above ``min_confidence``.

    Parameters
    ----------
    truth
        The pairs of aliases that are in fact one person (order does not matter).
    """
    predicted = {frozenset(f.subject) for f in links if f.confidence >= min_confidence}
    actual = {frozenset(p) for p in truth}
    tp = len(predicted & actual)
    return {"links": len(predicted), "true": len(actual), "tp": tp,
            "fp": len(predicted - actual), "fn": len(actual - predicted),
            "precision": tp / len(predicted) if predicted else 1.0,
            "recall": tp / len(actual) if actual else 1.0}


def graph_edges(items: Iterable[Profile], links: Iterable[Finding] = ()) -> pd.DataFrame:
    """The link chart as edges: alias -> indicator it shows (``kind`` of the indicator,
    ``file``), and alias -> alias for each link (``kind`` ``"link"``, its confidence
    and level). Node names are ``market:alias`` and ``kind:value``."""
    rows = []
    node = {}
    for p in items:
        node[p.alias] = f"{p.market}:{p.alias}"
        for (kind, value), source in sorted(p.indicators.items()):
            rows.append({"source": node[p.alias], "target": f"{kind}:{value}", "kind": kind,
                         "confidence": None, "level": None, "file": source})
    for f in links:
        a, b = f.subject
        rows.append({"source": node.get(a, a), "target": node.get(b, b), "kind": "link",
                     "confidence": f.confidence, "level": f.level,
                     "file": " ".join(f.sources)})
    return pd.DataFrame(rows, columns=["source", "target", "kind", "confidence", "level",
                                       "file"])
