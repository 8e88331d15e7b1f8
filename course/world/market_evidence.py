"""Day 2: a returned copy of saved pages with its hash list, and the key's link answers.

Six saved pages were copied for an expert and came back with the hash list the
expert's office computed on receipt with PowerShell's ``Get-FileHash``, which
writes SHA-256 in upper-case hex, with the capture log's URL and time. Two
copies are not the captured bytes any more: in one a price was edited, the
other was opened and saved in an editor that turned its line ends into CRLF
(the page looks the same; its hash does not). The hash list names the
*captured* hashes, so a trainee who compares them with the copies finds both.

Also records the answers that read the saved pages' keys and the seed-free
behaviour of the degrees-minutes-seconds conversion of exercise 2.6.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re

from course.world import cast
from course.world.context import WorldContext, csv_text

DAY2 = "day2-market-osint"
HANDOVER = "data/handover"
COPIES = 6
PRICE = re.compile(rb'(<span class="amount">)(\d[\d ]*)(</span>)')


def _calls(*cases: tuple[tuple, object, str]) -> list[dict]:
    return [{"args": list(args), "result": result, "hint": hint} for args, result, hint in cases]


def _edit_price(data: bytes) -> bytes:
    """The page with its first price raised by a third (as if someone had 'corrected' it)."""
    match = PRICE.search(data)
    if match is None:
        return data.replace(b"</body>", b"<!-- checked -->\n</body>", 1)
    amount = int(match.group(2).replace(b" ", b"")) * 4 // 3
    text = f"{amount:,}".replace(",", " ").encode()
    return data[:match.start(2)] + text + data[match.end(2):]


def _handover(ctx: WorldContext) -> list[str]:
    """Write the returned copies and their hash list; return the files that changed."""
    rng = ctx.rng("market_evidence.handover")
    log = list(csv.DictReader(io.StringIO(ctx.files[(DAY2, "data/capture_log.csv")].decode())))
    target = (ctx.state.get("markets") or {}).get("aliases", {}).get(cast.VENDOR_TARGET, {})
    shop = target.get(cast.MARKET_RU, "")
    shop_pages = [r for r in log if r["saved_file"].startswith("pages/market_ru/shop_")
                  and shop and shop.encode() in ctx.files[(DAY2, "data/" + r["saved_file"])]]
    chosen = shop_pages[:2]
    rest = [r for r in log if r not in chosen]
    chosen += rng.sample(rest, COPIES - len(chosen))
    chosen.sort(key=lambda r: r["saved_file"])
    edited, resaved = rng.sample(range(len(chosen)), 2)
    rows, changed = [], []
    for i, row in enumerate(chosen):
        data = ctx.files[(DAY2, "data/" + row["saved_file"])]
        assert hashlib.sha256(data).hexdigest() == row["sha256"]
        if i == edited:
            data = _edit_price(data)
        elif i == resaved:
            data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        if hashlib.sha256(data).hexdigest() != row["sha256"]:
            changed.append(row["saved_file"])
        ctx.add_file(DAY2, f"{HANDOVER}/{row['saved_file']}", data)
        rows.append({"saved_file": row["saved_file"], "url": row["url"],
                     "captured_utc": row["captured_utc"], "sha256": row["sha256"].upper()})
    ctx.add_file(DAY2, f"{HANDOVER}/capture_log.csv",
                 csv_text(rows, ["saved_file", "url", "captured_utc", "sha256"]))
    return sorted(changed)


def generate(ctx: WorldContext) -> None:
    """Write the handover copy and record day 2's key, capture and conversion answers."""
    changed = _handover(ctx)
    ctx.add_answer("day2_capture_changed_files", changed, compare="set",
                   hint="Hash every copy with SHA-256 and compare it with the logged hash "
                        "in the same case (the log writes upper-case hex).")
    by_key: dict[str, set[str]] = {}
    for per_market in ((ctx.state.get("markets") or {}).get("pgp_fingerprints") or {}).values():
        for market, fingerprint in per_market.items():
            by_key.setdefault(fingerprint.upper(), set()).add(market)
    ctx.add_answer("day2_shared_pgp_fingerprints",
                   sorted(f for f, markets in by_key.items() if len(markets) > 1),
                   compare="set",
                   hint="Keep the fingerprints seen on pages of both markets, not those seen "
                        "on one market only.")
    ctx.add_answer(
        "day2_photo_to_degrees",
        _calls(
            (([43, 15, 36.0], "N"), 43.26,
             "divide the minutes by 60 and the seconds by 3600"),
            (([51, 9, 37.8], "N"), 51.1605,
             "divide the minutes by 60 and the seconds by 3600"),
            (([12, 30, 0.0], "S"), -12.5, "south of the equator is negative"),
            (([76, 56, 42.0], "E"), 76.945,
             "divide the minutes by 60 and the seconds by 3600"),
        ),
        compare="calls",
        hint="degrees + minutes / 60 + seconds / 3600",
    )
