"""Saved market pages into tables, with parsers declared as field-to-selector maps.

A :class:`PageSpec` says, for one kind of page of one market, where each fact
is in the markup: ``page`` fields appear once on the page (the shop's name,
its rating), ``fields`` once in every record (a showcase row, a listing card).
A selector is CSS (as in the browser's developer tools), optionally followed
by ``@attribute`` to read an attribute instead of the text; ``@id`` alone reads
the record's own attribute. Every declared field must be found: a page that
does not match stops with one line naming the field, its selector and the file,
never with a silently empty table.

Examples
--------
>>> spec = PageSpec("demo", "*.html", page={"shop": "h1"}, container="ul",
...                 records="li", fields={"item": "span", "id": "@data-id"})
>>> html = '<h1>Shop</h1><ul><li data-id="7"><span>tea</span></li></ul>'
>>> parse_html(html, spec, "demo.html").to_dict("records")
[{'shop': 'Shop', 'item': 'tea', 'id': '7', 'file': 'demo.html'}]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from bs4 import BeautifulSoup, Tag

from course.messages import t


class PageFormatError(ValueError):
    """A saved page does not match its parser (a field is missing)."""


@dataclass(frozen=True)
class PageSpec:
    """Where the facts are on one kind of page.

    Parameters
    ----------
    name
        The kind of page (``"shop"``, ``"search"`` ...).
    pattern
        Glob of the file names of this kind (``"shop_[0-9][0-9].html"``).
    page
        Field -> selector of facts found once per page.
    container
        Selector of the element that holds the records (must exist, even when
        it holds no record, so an empty showcase is told from a changed page).
    records
        Selector of one record inside ``container``; ``None`` for a page that
        is one record itself.
    fields
        Field -> selector inside each record.
    optional
        Page fields that may be absent (a shop that shows no PGP key);
        missing ones are ``None``.
    """

    name: str
    pattern: str
    page: Mapping[str, str] = field(default_factory=dict)
    container: str | None = None
    records: str | None = None
    fields: Mapping[str, str] = field(default_factory=dict)
    optional: Mapping[str, str] = field(default_factory=dict)


def select_value(node: Tag, selector: str) -> str | None:
    """The text (or ``@attribute``) of the first match of ``selector`` in ``node``.

    Returns ``None`` when nothing matches. Text is stripped of surrounding space.
    """
    css, _, attribute = selector.partition("@")
    css = css.strip()
    found = node.select_one(css) if css else node
    if found is None:
        return None
    if attribute:
        value = found.get(attribute)
        if value is None:
            return None
        return " ".join(value) if isinstance(value, list) else str(value)
    return found.get_text(strip=True) if css else found.get_text(" ", strip=True)


def _required(node: Tag, name: str, selector: str, source: str, spec: PageSpec) -> str:
    value = select_value(node, selector)
    if value is None:
        raise PageFormatError(t("market.page.missing_field", field=name, selector=selector,
                                file=source, kind=spec.name))
    return value


def parse_soup(soup: BeautifulSoup, spec: PageSpec, source: str) -> pd.DataFrame:
    """Apply ``spec`` to a parsed page; one row per record (one row if no records).

    Raises
    ------
    PageFormatError
        If a page field, the container or a record field is missing.
    """
    top = {name: _required(soup, name, sel, source, spec) for name, sel in spec.page.items()}
    top.update({name: select_value(soup, sel) for name, sel in spec.optional.items()})
    if spec.records is None:
        return pd.DataFrame([{**top, "file": source}])
    holder = soup
    if spec.container is not None:
        holder = soup.select_one(spec.container)
        if holder is None:
            raise PageFormatError(t("market.page.missing_field", field="container",
                                    selector=spec.container, file=source, kind=spec.name))
    rows = []
    for number, record in enumerate(holder.select(spec.records), start=1):
        row = dict(top)
        for name, sel in spec.fields.items():
            value = select_value(record, sel)
            if value is None:
                raise PageFormatError(t("market.page.missing_record_field", field=name,
                                        selector=sel, number=number, file=source,
                                        kind=spec.name))
            row[name] = value
        row["file"] = source
        rows.append(row)
    columns = [*top, *spec.fields, "file"]
    return pd.DataFrame(rows, columns=columns)


def parse_html(html: str, spec: PageSpec, source: str) -> pd.DataFrame:
    """Apply ``spec`` to the HTML text of a page (``source`` names it in errors)."""
    return parse_soup(BeautifulSoup(html, "lxml"), spec, source)


def parse_file(path: Path | str, spec: PageSpec, root: Path | str | None = None) -> pd.DataFrame:
    """Apply ``spec`` to a saved page; the ``file`` column is relative to ``root``."""
    path = Path(path)
    source = path.relative_to(root).as_posix() if root is not None else path.name
    try:
        html = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PageFormatError(t("market.page.unreadable", file=source, reason=exc)) from None
    return parse_html(html, spec, source)


def parse_pages(folder: Path | str, spec: PageSpec, root: Path | str | None = None
                ) -> pd.DataFrame:
    """Apply ``spec`` to every page of ``folder`` whose name matches its pattern.

    Raises
    ------
    PageFormatError
        If no file matches the pattern, or any page does not match the spec.
    """
    folder = Path(folder)
    paths = sorted(folder.glob(spec.pattern))
    if not paths:
        raise PageFormatError(t("market.page.no_files", pattern=spec.pattern, folder=folder,
                                kind=spec.name))
    tables = [parse_file(p, spec, root if root is not None else folder.parent) for p in paths]
    return pd.concat(tables, ignore_index=True)
