"""The case timeline: one table of dated events from every source, in one time zone.

Every source writes time its own way, and the timeline is only as good as the
conversion. The table's clock is **UTC** (``time_utc``); ``local_time`` shows
the same instant at a display offset (default ``+05:00``, Kazakhstan's single
zone since 1 March 2024). Each reader states the zone it assumed for its
source in ``source_tz``:

=====================  ==========================================  ==================
source                 time as written                             zone
=====================  ==========================================  ==================
exchange response      ``2025-09-02T16:05:00Z``                    UTC (the ``Z``)
bitcoin ledger         ``block_time`` ``...Z``                     UTC (block header)
messenger export       ``date_unixtime`` (and local ``date``)      UTC (unix time)
browser bookmarks      ``ADD_DATE`` unix seconds                   UTC (unix time)
phone notes            ``created`` without a zone                  given: ``tz=``
photos' EXIF           ``DateTimeOriginal`` without a zone         given: ``tz=``
market pages           a date without time or zone                 given: ``tz=``
=====================  ==========================================  ==================

A time written *without* a zone is never guessed: those readers need ``tz``
(``"+05:00"``, ``"UTC"``). Each event keeps its ``source`` file and its
``position`` in it (CSV line, JSON path, page record, EXIF tag), so every
line of the timeline can be shown in the original evidence.
"""

from __future__ import annotations

import csv
import json
import re
from datetime import UTC, timedelta, timezone
from pathlib import Path

import pandas as pd

from course.messages import t, t_code

COLUMNS = ["time_utc", "local_time", "kind", "actor", "what", "source", "position",
           "source_tz", "precision"]
#: Kazakhstan has one zone, UTC+5, since 1 March 2024
DISPLAY_OFFSET = "+05:00"
OFFSET = re.compile(r"^(?:UTC)?([+-])(\d{2}):?(\d{2})$")
BOOKMARK = re.compile(r'<A HREF="([^"]+)"[^>]*ADD_DATE="(\d+)"[^>]*>([^<]*)</A>', re.I)


def zone(tz: str) -> timezone:
    """A fixed zone from ``"UTC"``, ``"Z"``, ``"+05:00"``, ``"UTC+05:00"`` or ``"-0300"``."""
    if tz.strip().upper() in ("UTC", "Z", "+00:00"):
        return UTC
    found = OFFSET.match(tz.strip().upper())
    if not found:
        raise ValueError(t("case.timeline.bad_zone", tz=tz))
    sign, hours, minutes = found.groups()
    delta = timedelta(hours=int(hours), minutes=int(minutes))
    return timezone(-delta if sign == "-" else delta)


def to_utc(value: object, tz: str | None = None) -> pd.Timestamp:
    """One time as a UTC timestamp.

    Text with its own zone (``Z``, ``+05:00``) keeps it; a time without a
    zone is read in ``tz`` and refused (one line) when ``tz`` is None.
    """
    stamp = pd.Timestamp(value)
    if stamp is pd.NaT:
        raise ValueError(t("case.timeline.bad_time", value=value))
    if stamp.tzinfo is None:
        if tz is None:
            raise ValueError(t("case.timeline.no_zone", value=value))
        stamp = stamp.tz_localize(zone(tz))
    return stamp.tz_convert("UTC")


def _name(path: Path, root: Path | str | None) -> str:
    return path.relative_to(root).as_posix() if root is not None else path.as_posix()


def _frame(rows: list[dict]) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=[c for c in COLUMNS if c != "local_time"])
    table["time_utc"] = pd.to_datetime(table["time_utc"], utc=True)
    return table


def _csv_rows(path: Path, needed: tuple[str, ...]) -> list[tuple[int, dict]]:
    """CSV rows with their line number in the file (the header is line 1)."""
    with path.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        missing = [c for c in needed if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(t("case.timeline.bad_columns", file=path.name,
                               columns=", ".join(missing)))
        return [(reader.line_num, row) for row in reader]


def from_exchange(folder: Path | str, root: Path | str | None = None) -> pd.DataFrame:
    """Account opening, deposits, card withdrawals and logins from an exchange's response.

    ``folder`` holds ``response.json`` and the CSV files it names; times are UTC (``Z``).
    """
    folder = Path(folder)
    response = json.loads((folder / "response.json").read_text(encoding="utf-8"))
    files = response.get("files", {})
    account = response["account"]
    rows = [{"time_utc": to_utc(account["registered_utc"]), "kind": "exchange.registered",
             "actor": account["account_id"], "what": account["holder"].get("full_name", ""),
             "source": _name(folder / "response.json", root),
             "position": "account.registered_utc", "source_tz": "UTC", "precision": "second"}]
    readers = (
        ("deposits", ("confirmed_utc", "address", "amount_btc", "txid"), "confirmed_utc",
         "exchange.deposit", lambda r: r["address"],
         lambda r: t("case.timeline.what.deposit", btc=r["amount_btc"], txid=r["txid"][:16])),
        ("withdrawals", ("created_utc", "amount_kzt", "card_masked"), "created_utc",
         "exchange.withdrawal", lambda r: r["card_masked"],
         lambda r: t("case.timeline.what.withdrawal", kzt=r["amount_kzt"],
                     card=r["card_masked"])),
        ("logins", ("time_utc", "ip", "country"), "time_utc", "exchange.login",
         lambda r: r["ip"],
         lambda r: t("case.timeline.what.login", ip=r["ip"], country=r["country"])),
    )
    for key, needed, column, kind, actor, what in readers:
        path = folder / files.get(key, f"{key}.csv")
        for line, row in _csv_rows(path, needed):
            rows.append({"time_utc": to_utc(row[column]), "kind": kind, "actor": actor(row),
                         "what": what(row), "source": _name(path, root),
                         "position": f"line {line}", "source_tz": "UTC", "precision": "second"})
    return _frame(rows)


def from_messenger(path: Path | str, root: Path | str | None = None) -> pd.DataFrame:
    """Every message of a Telegram-style ``result.json`` export.

    The time is ``date_unixtime`` (seconds since 1970 in UTC, exact); the
    export's ``date`` is the exporting computer's local time, so its
    difference from ``date_unixtime`` is recorded in ``source_tz``.
    """
    path = Path(path)
    export = json.loads(path.read_text(encoding="utf-8"))
    rows = []
    for i, chat in enumerate(export.get("chats", {}).get("list", [])):
        for j, message in enumerate(chat.get("messages", [])):
            if "date_unixtime" in message:
                when = pd.Timestamp(int(message["date_unixtime"]), unit="s", tz="UTC")
                local = pd.Timestamp(message.get("date", when.tz_localize(None)))
                shift = int((local - when.tz_localize(None)).total_seconds() // 60)
                sign, shift = ("-" if shift < 0 else "+"), abs(shift)
                written = f"UTC (unix time); date at UTC{sign}{shift // 60:02d}:{shift % 60:02d}"
            else:
                raise ValueError(t("case.timeline.no_unixtime", file=path.name,
                                   position=f"chats.list[{i}].messages[{j}]"))
            text = message.get("text", "")
            if isinstance(text, list):   # formatted text: pieces of str and {"text": ...}
                text = "".join(p if isinstance(p, str) else p.get("text", "") for p in text)
            rows.append({"time_utc": when, "kind": "messenger.message",
                         "actor": message.get("from", ""),
                         "what": f"[{chat.get('name', '')}] {text}", "source": _name(path, root),
                         "position": f"chats.list[{i}].messages[{j}] (id {message.get('id')})",
                         "source_tz": written, "precision": "second"})
    return _frame(rows)


def from_notes(path: Path | str, *, tz: str, root: Path | str | None = None) -> pd.DataFrame:
    """Notes of a phone's notes app (``created`` in the phone's local time, given as ``tz``)."""
    path = Path(path)
    notes = json.loads(path.read_text(encoding="utf-8"))
    rows = [{"time_utc": to_utc(note["created"], tz), "kind": "phone.note", "actor": "",
             "what": note.get("title", ""), "source": _name(path, root),
             "position": f"[{i}] (id {note.get('id')})", "source_tz": tz, "precision": "second"}
            for i, note in enumerate(notes)]
    return _frame(rows)


def from_bookmarks(path: Path | str, root: Path | str | None = None) -> pd.DataFrame:
    """Browser bookmarks (Netscape format): ``ADD_DATE`` is unix time, UTC."""
    path = Path(path)
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        for url, added, title in BOOKMARK.findall(line):
            rows.append({"time_utc": pd.Timestamp(int(added), unit="s", tz="UTC"),
                         "kind": "browser.bookmark", "actor": "", "what": f"{title} {url}",
                         "source": _name(path, root), "position": f"line {number}",
                         "source_tz": "UTC (unix time)", "precision": "second"})
    return _frame(rows)


def from_photos(table: pd.DataFrame, *, tz: str, source: str = "") -> pd.DataFrame:
    """Photos' EXIF capture times (``course.market.photos.photo_table``), camera clock in ``tz``.

    Photos without a time (stripped EXIF) give no event. ``source`` is
    prefixed to each photo's ``file`` (e.g. ``"day2/"``).
    """
    rows = []
    for _, photo in table.iterrows():
        if pd.isna(photo.get("taken")):
            continue
        what = (t("case.timeline.what.photo") if pd.isna(photo.get("lat")) else
                t("case.timeline.what.photo_at", lat=f"{photo['lat']:.6f}",
                  lon=f"{photo['lon']:.6f}"))
        rows.append({"time_utc": to_utc(photo["taken"], tz), "kind": "photo.taken",
                     "actor": photo.get("serial") or "", "what": what,
                     "source": f"{source}{photo['file']}", "position": "EXIF DateTimeOriginal",
                     "source_tz": tz, "precision": "second"})
    return _frame(rows)


def from_market(tables: dict[str, pd.DataFrame], *, tz: str, source: str = "") -> pd.DataFrame:
    """Listing dates, feedback and reviews from ``course.market.specs.read_market`` tables.

    Markets print a date only (``precision`` ``day``, midnight in ``tz``);
    ``position`` is the record's number on its page.
    """
    plans = (("listings", "posted", "market.listing", "vendor", "title"),
             ("feedback", "date", "market.feedback", "vendor", "item"),
             ("reviews", "date", "market.review", "shop", "item"))
    rows = []
    for name, column, kind, actor, what in plans:
        table = tables.get(name)
        if table is None or column not in table:
            continue
        order = table.groupby("file").cumcount() + 1
        for (_, record), n in zip(table.iterrows(), order, strict=True):
            if pd.isna(record[column]):
                continue
            rows.append({"time_utc": to_utc(record[column], tz), "kind": kind,
                         "actor": record.get(actor, ""), "what": str(record.get(what, "")),
                         "source": f"{source}{record['file']}", "position": f"record {n}",
                         "source_tz": tz, "precision": "day"})
    return _frame(rows)


def from_ledger(transactions: Path | str, txids: list[str] | set[str],
                root: Path | str | None = None) -> pd.DataFrame:
    """The chosen transactions of a ledger's ``transactions.csv`` at their block's time (UTC)."""
    path = Path(transactions)
    wanted = set(txids)
    rows = [{"time_utc": to_utc(row["block_time"]), "kind": "chain.tx", "actor": row["txid"],
             "what": t("case.timeline.what.tx", height=row["block_height"],
                       sats=row.get("output_value", ""), fee=row.get("fee", "")),
             "source": _name(path, root), "position": f"line {line}", "source_tz": "UTC",
             "precision": "second"}
            for line, row in _csv_rows(path, ("txid", "block_time", "block_height"))
            if row["txid"] in wanted]
    return _frame(rows)


def build(*parts: pd.DataFrame, display: str = DISPLAY_OFFSET) -> pd.DataFrame:
    """One timeline: every part's events in time order (ties: source, then position).

    ``local_time`` shows ``time_utc`` at the ``display`` offset (text with
    the offset, so the zone is never lost when the table is printed).
    """
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=COLUMNS)
    table = pd.concat(parts, ignore_index=True)
    table = table.sort_values(["time_utc", "source", "position"], kind="stable")
    offset = zone(display)
    table["local_time"] = [ts.to_pydatetime().astimezone(offset).isoformat(timespec="seconds")
                           for ts in table["time_utc"]]
    return table[COLUMNS].reset_index(drop=True)


def between(table: pd.DataFrame, start: object, end: object, tz: str = "UTC") -> pd.DataFrame:
    """The events from ``start`` up to (not including) ``end``."""
    lo, hi = to_utc(start, tz), to_utc(end, tz)
    return table[(table["time_utc"] >= lo) & (table["time_utc"] < hi)].reset_index(drop=True)


def event_text(kind: str, lang: str | None = None) -> str:
    """An event's kind in words (``case.timeline.kind.<kind>``); an unknown kind as it is."""
    return t_code("case.timeline.kind", kind, lang=lang)


def plot(table: pd.DataFrame, ax=None, title: str | None = None):
    """A timeline chart: one row per kind of event, a dot per event; returns the figure."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(9, 0.45 * max(3, table["kind"].nunique()) + 1.2))
    kinds = sorted(table["kind"].unique())
    for i, kind in enumerate(kinds):
        times = table.loc[table["kind"] == kind, "time_utc"].dt.tz_localize(None)
        ax.plot(times, [i] * len(times), "o", markersize=5, alpha=0.8)
    ax.set_yticks(range(len(kinds)), [event_text(kind) for kind in kinds])
    ax.set_xlabel(t("case.timeline.axis"))
    ax.grid(axis="x", alpha=0.3)
    if title:
        ax.set_title(title)
    ax.figure.autofmt_xdate()
    ax.figure.tight_layout()
    return ax.figure


__all__ = ["COLUMNS", "DISPLAY_OFFSET", "between", "build", "from_bookmarks", "from_exchange",
           "event_text", "from_ledger", "from_market", "from_messenger", "from_notes",
           "from_photos", "plot", "to_utc", "zone"]
