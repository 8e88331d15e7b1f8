"""Attribution: who is behind an address, according to whom, and how sure.

A *tag* says that an address belongs to a named service (label), in a
category (exchange, market, mixer ...), where that was learned (source) and
how far it can be trusted (confidence). Two formats are read:

- the case's ``tags.csv`` (``address, label, source, category, confidence``
  with a confidence from 0 to 100);
- GraphSense TagPacks (github.com/graphsense/graphsense-tagpacks): a YAML
  file whose header fields (``label``, ``source``, ``category``,
  ``confidence``, ``currency`` ...) apply to every entry of ``tags`` unless the
  entry sets its own. A confidence is a number from 0 to 100 or a named level
  of the GraphSense TagPack tool (``ownership``, ``forensic``, ``web_crawl`` ...,
  :data:`CONFIDENCE_LEVELS`, from its ``confidence.csv``).

:func:`deposit_finding` answers the case's question: is this address an
exchange's deposit address? Exchanges give each customer their own deposit
address and later sweep it into their own wallets, so a deposit address is
rarely tagged itself; it is recognised by being spent together with the
exchange's tagged addresses, or swept into one.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from course.findings import Finding
from course.messages import CATALOGUE, t
from course.tracing.ledger import Ledger
from course.tracing.peel import follow

#: GraphSense TagPack tool's named confidence levels (``src/tagpack/db/confidence.csv``), 0-100
CONFIDENCE_LEVELS: dict[str, int] = {
    "override": 100, "ownership": 100, "manual_transaction": 90, "service_api": 70,
    "authority_data": 60, "trusted_provider": 50, "service_data": 50, "forensic": 50,
    "untrusted_transaction": 40, "web_crawl": 20, "heuristic": 10, "unknown": 5,
}
#: how much a tag's confidence carries over to an address linked to it by each route
ROUTE_WEIGHT = {"tagged": 1.0, "co_spent": 0.9, "swept_to": 0.8}
#: an inferred attribution is never certain: its confidence stops here
MAX_INFERRED = 0.99
TAG_COLUMNS = ("address", "label", "source", "category", "confidence")


def source_words(source: str) -> str:
    """A tag's ``source`` in the course's language when it is one that the course's
    own tag list (``tags.csv``) names; any other source (a TagPack's, one the
    trainee wrote) exactly as written."""
    for key, english in CATALOGUE["en"].items():
        if key.startswith("tracing.source.") and english == source:
            return t(key)
    return source


@dataclass(frozen=True)
class Tag:
    """One attribution: ``address`` belongs to ``label`` (a ``category``), per ``source``,
    with ``confidence`` between 0 and 1."""

    address: str
    label: str
    source: str
    category: str
    confidence: float
    currency: str = "BTC"


def _confidence(value: object, where: str) -> float:
    """A 0-1 confidence from a number 0-100 or a named GraphSense level."""
    if isinstance(value, str) and value.strip() in CONFIDENCE_LEVELS:
        return CONFIDENCE_LEVELS[value.strip()] / 100
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = -1.0
    if not 0 <= number <= 100:
        raise ValueError(t("tracing.tag.bad_confidence", value=value, where=where,
                           known=", ".join(CONFIDENCE_LEVELS)))
    return number / 100


def read_tags(path: Path | str) -> list[Tag]:
    """The case's tag list (CSV with :data:`TAG_COLUMNS`)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(t("tracing.missing_table", path=path))
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in TAG_COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(t("tracing.missing_columns", table=path.name, columns=", ".join(missing)))
    return [Tag(r.address, r.label, r.source, r.category,
                _confidence(r.confidence, f"{path.name}:{n + 2}"))
            for n, r in enumerate(table.itertuples())]


def read_tagpack(path: Path | str, default_confidence: str | float = "unknown") -> list[Tag]:
    """The tags of a GraphSense TagPack YAML file, header fields applied to each tag.

    Parameters
    ----------
    default_confidence
        Used when neither the header nor the tag gives one (a level name or 0-100).
    """
    path = Path(path)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        reason = " ".join(str(exc).split())  # YAML's errors span lines: one line here
        raise ValueError(t("tracing.tag.bad_tagpack", file=path.name, reason=reason)) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("tags"), list):
        raise ValueError(t("tracing.tag.bad_tagpack", file=path.name, reason="no list 'tags'"))
    header = {k: v for k, v in doc.items() if k != "tags"}
    out = []
    for n, entry in enumerate(doc["tags"]):
        if not isinstance(entry, dict):
            raise ValueError(t("tracing.tag.bad_tagpack", file=path.name,
                               reason=f"tag {n + 1} is not a mapping"))
        tag = {**header, **entry}
        missing = [k for k in ("address", "label", "source") if not tag.get(k)]
        if missing:
            raise ValueError(t("tracing.tag.missing_fields", file=path.name, number=n + 1,
                               fields=", ".join(missing)))
        out.append(Tag(str(tag["address"]), str(tag["label"]), str(tag["source"]),
                       str(tag.get("category", "")),
                       _confidence(tag.get("confidence", default_confidence),
                                   f"{path.name}, tag {n + 1}"),
                       str(tag.get("currency", ""))))
    return out


class TagIndex:
    """Tags by address; the best (most confident) tag answers first."""

    def __init__(self, tags: Iterable[Tag]) -> None:
        self._by: defaultdict[str, list[Tag]] = defaultdict(list)
        for tag in tags:
            self._by[tag.address].append(tag)
        for group in self._by.values():
            group.sort(key=lambda g: -g.confidence)

    def __contains__(self, address: object) -> bool:
        return address in self._by

    def __len__(self) -> int:
        return sum(len(g) for g in self._by.values())

    def tags(self, address: str) -> list[Tag]:
        """Every tag of ``address``, most confident first."""
        return list(self._by.get(address, ()))

    def best(self, address: str) -> Tag | None:
        """The most confident tag of ``address``, or None."""
        group = self._by.get(address)
        return group[0] if group else None

    def labels(self, categories: Iterable[str] | None = None) -> dict[str, str]:
        """``address -> label`` of the best tags (only in ``categories`` when given)."""
        keep = None if categories is None else set(categories)
        return {a: g[0].label for a, g in self._by.items()
                if keep is None or g[0].category in keep}


def deposit_finding(ledger: Ledger, address: str, tags: TagIndex,
                    category: str = "exchange") -> Finding | None:
    """Is ``address`` a deposit address of a tagged service of ``category``?

    Three routes, each weighted by :data:`ROUTE_WEIGHT` times the tag's confidence:
    the address is tagged itself; it was spent in one transaction with a tagged
    address (co-spent: the service's wallet signed both); its coins went to a
    tagged address (swept). Independent routes add up as ``1 - prod(1 - c)``.
    Returns None when no route reaches the category.
    """
    aid = ledger.address_id(address)
    links: list[tuple[str, Tag, str]] = []  # (route, tag, txid)
    own = tags.best(address)
    if own is not None and own.category == category:
        links.append(("tagged", own, ""))
    spent_in = {int(ledger.in_tx[k]) for k in (ledger.in_addr == aid).nonzero()[0]}
    for i in sorted(spent_in):
        a, b = ledger.in_start[i], ledger.in_start[i + 1]
        for other in {ledger.address(int(x)) for x in ledger.in_addr[a:b]} - {address}:
            tag = tags.best(other)
            if tag is not None and tag.category == category:
                links.append(("co_spent", tag, ledger.txid(i)))
        c, d = ledger.out_start[i], ledger.out_start[i + 1]
        for x in ledger.out_addr[c:d]:
            tag = tags.best(ledger.address(int(x)))
            if tag is not None and tag.category == category:
                links.append(("swept_to", tag, ledger.txid(i)))
    if not links:
        return None
    label = Counter(tag.label for _, tag, _ in links).most_common(1)[0][0]
    doubt, evidence = 1.0, []
    for route, tag, txid in links:
        if tag.label != label:
            continue
        doubt *= 1 - ROUTE_WEIGHT[route] * tag.confidence
        evidence.append(t(f"tracing.tag.{route}", address=address, other=tag.address,
                          label=tag.label, source=source_words(tag.source), txid=txid,
                          confidence=round(tag.confidence * 100)))
    confidence = min(MAX_INFERRED, round(1 - doubt, 4))
    return Finding(f"deposit.{category}", (address, label), confidence,
                   tuple(dict.fromkeys(evidence)), ("tags.csv", "inputs.csv", "outputs.csv"))


def find_cashout(ledger: Ledger, start: str, tags: TagIndex,
                 category: str = "exchange") -> Finding | None:
    """Follow the peel chain from transaction ``start`` and attribute where it ends.

    The chain stops early at an address tagged ``category``; otherwise its last
    address is checked with :func:`deposit_finding`. The confidence is the
    chain's times the attribution's (both must hold); the evidence is both.
    Returns None when the end cannot be attributed.
    """
    chain = follow(ledger, start, services=tags.labels([category]))
    if not chain.final_address:
        return None
    deposit = deposit_finding(ledger, chain.final_address, tags, category)
    if deposit is None:
        return None
    path = chain.finding()
    return Finding(f"cashout.{category}", deposit.subject,
                   round(path.confidence * deposit.confidence, 4),
                   path.evidence + deposit.evidence, deposit.sources)
