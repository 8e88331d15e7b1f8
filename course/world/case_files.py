"""Day 5: the earlier days' evidence the capstone works from again.

The capstone goes from the tip to the vendor's identity through the steps of
Days 2-4, on the same evidence, so that its findings agree with theirs:

- ``data/market_pages/``: the saved market pages that name an alias (the
  Russian-language market's shops, the English-language market's vendor
  profiles and the tip's listing), byte for byte the pages of Day 2;
- ``data/ledger/``: the ledger tables, the attribution tags and the tracing
  questions of Day 4, byte for byte.

Nothing here is drawn at random: every file is a copy of a file another
generator has already added, so this module runs after them. Copies are not
seized files, so the seizure's hash list does not cover them.
"""

from __future__ import annotations

import json
from fnmatch import fnmatchcase

from course.world import cast
from course.world.context import WorldContext

ASSIGNMENT = "day5-building-the-case"
MARKET_DAY, LEDGER_DAY = "day2-market-osint", "day4-tracing-money"
#: Day 2 pages that name an alias (what alias linking reads)
PAGES = ("data/pages/market_ru/shop_??.html", "data/pages/market_en/vendor_??.html",
         "data/pages/market_en/listing.html")
#: Day 4 files the tracing steps read
LEDGER = ("transactions.csv", "inputs.csv", "outputs.csv", "blocks.csv", "tags.csv",
          "questions.json")


def copies(ctx: WorldContext) -> dict[str, str]:
    """Day 5 path -> ``assignment/path`` of the file it copies, for every copy."""
    out = {}
    for assignment, rel in sorted(ctx.files):
        if assignment == MARKET_DAY and any(fnmatchcase(rel, p) for p in PAGES):
            out["data/market_pages/" + rel.removeprefix("data/pages/")] = f"{assignment}/{rel}"
    for name in LEDGER:
        if (LEDGER_DAY, f"data/{name}") not in ctx.files:
            raise ValueError(f"the ledger is not built yet: {LEDGER_DAY}/data/{name}")
        out[f"data/ledger/{name}"] = f"{LEDGER_DAY}/data/{name}"
    if not any(k.startswith("data/market_pages/") for k in out):
        raise ValueError("the market pages are not built yet")
    return out


def generate(ctx: WorldContext) -> None:
    """Copy Day 2's alias pages and Day 4's ledger into Day 5's data folder."""
    for rel, source in copies(ctx).items():
        assignment, source_rel = source.split("/", 1)
        ctx.add_file(ASSIGNMENT, rel, ctx.files[(assignment, source_rel)])
    shop = ctx.state["markets"]["aliases"][cast.VENDOR_TARGET][cast.MARKET_RU]
    ctx.add_answer("day5_tip_linked_shop", shop,
                   hint="Among the links of the tip's vendor, the alias on the other market "
                        "linked with confidence 0.9 or more (a shared PGP key).")
    deposit = ctx.answers["day4_cashout_exchange_deposit"]["value"]
    response = json.loads(ctx.files[(ASSIGNMENT, "data/exchange_response/response.json")])
    addresses = response["deposit_addresses"]
    if deposit not in addresses:
        raise ValueError(f"the peel chain ends at {deposit}, not at a deposit address of the "
                         "exchange's response")
    ctx.add_answer("day5_cashout_deposit", deposit,
                   hint="find_cashout(...).subject[0]: the address where the peel chain ends.")
