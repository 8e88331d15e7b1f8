"""Day 5: the earlier days' evidence the capstone works from again.

The capstone goes from the tip to the vendor's identity through the steps of
Days 2-4, on the same evidence, so that its findings agree with theirs:

- ``data/market_pages/``: the saved market pages that name an alias (the
  Russian-language market's shops, the English-language market's vendor
  profiles and the tip's listing) and the English-language market's dated
  pages (search results with each listing's date, feedback), byte for byte
  the pages of Day 2;
- ``data/ledger/``: the ledger tables, the attribution tags and the tracing
  questions of Day 4, byte for byte.

- ``data/case_manifest.json``: the course version and the case's
  **fingerprint**, a SHA-256 over Day 5's data files (:func:`fingerprint`).
  The report's appendix shows it, so a report names the case it was made
  from without giving the seed (with the seed and the course package anyone
  could rebuild the answer key). The instructor's ``keys/ground_truth.json``
  holds the fingerprint beside the seed (``case_fingerprint``);
  ``python -m course.world.case_files`` prints both.

Nothing here is drawn at random: every file is a copy of a file another
generator has already added, or a digest of such files, so this module runs
after them. Copies are not seized files, so the seizure's hash list does not
cover them.
"""

from __future__ import annotations

import hashlib
import json
import sys
from fnmatch import fnmatchcase
from pathlib import Path

import course
from course.world import cast
from course.world.context import WorldContext

ASSIGNMENT = "day5-building-the-case"
MARKET_DAY, LEDGER_DAY = "day2-market-osint", "day4-tracing-money"
#: Day 2 pages that name an alias (what alias linking reads)
PAGES = ("data/pages/market_ru/shop_??.html", "data/pages/market_en/vendor_??.html",
         "data/pages/market_en/listing.html",
         # the dated pages the timeline reads: the search results' listings, the feedback
         "data/pages/market_en/search_p*.html", "data/pages/market_en/feedback_??.html")
#: the manifest naming the case (not a copy, not covered by the fingerprint)
MANIFEST = "data/case_manifest.json"
#: the fixed first line of what the fingerprint hashes
FINGERPRINT_LABEL = "nps-darkweb-course case fingerprint v1"
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


def fingerprint(files: dict[str, bytes]) -> str:
    """The case's fingerprint: SHA-256 of the label, then ``<sha256>  <path>`` per file.

    ``files`` maps each data file's path (``data/...``, the manifest left
    out) to its bytes; lines are in path order, one per file, as
    ``sha256sum`` writes them. The seed is not hashed: the fingerprint
    says which case the files are, and anyone holding the files can check it.
    """
    lines = [FINGERPRINT_LABEL] + [
        f"{hashlib.sha256(data).hexdigest()}  {rel}" for rel, data in sorted(files.items())
        if rel != MANIFEST]
    return hashlib.sha256(("\n".join(lines) + "\n").encode("utf-8")).hexdigest()


def folder_fingerprint(data: Path | str) -> str:
    """:func:`fingerprint` of the files under a day-5 ``data/`` folder as written."""
    data = Path(data)
    return fingerprint({"data/" + p.relative_to(data).as_posix(): p.read_bytes()
                        for p in data.rglob("*") if p.is_file()})


def _manifest(ctx: WorldContext) -> None:
    """Write the manifest over every day-5 file so far; record fingerprint -> seed."""
    mine = {rel: data for (a, rel), data in ctx.files.items() if a == ASSIGNMENT}
    stamp = fingerprint(mine)
    ctx.add_file(ASSIGNMENT, MANIFEST, json.dumps(
        {"course_version": course.__version__, "fingerprint": stamp,
         "fingerprint_of": f"SHA-256 of '{FINGERPRINT_LABEL}' and the sha256sum lines of "
                           f"the {len(mine)} other files under data/, in path order",
         "files": len(mine)}, indent=1, ensure_ascii=False) + "\n")
    ctx.add_truth("case_fingerprint", {"fingerprint": stamp, "seed": ctx.seed,
                                       "course_version": course.__version__})


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
    # the generator's own union-find over the ledger it wrote (CoinJoins skipped), via Day 4
    ctx.add_answer("day5_vendor_cluster_size", ctx.answers["day4_cluster_size_of_target"]["value"],
                   hint="len(cluster_of(...)) on the common-input clusters that leave the "
                        "CoinJoins out.")
    _manifest(ctx)


def main(argv: list[str] | None = None) -> int:
    """Print the fingerprint and the seed of the case built in a course folder."""
    root = Path((argv if argv is not None else sys.argv[1:] or ["."])[0])
    path = root / "keys" / "ground_truth.json"
    try:
        truth = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"cannot read {path} ({type(exc).__name__}): give a built course folder")
        return 1
    record = truth.get("case_fingerprint") if isinstance(truth, dict) else None
    if record is None:
        print(f"no case fingerprint in {root / 'keys' / 'ground_truth.json'}: build the course")
        return 1
    print(f"fingerprint {record['fingerprint']}  seed {record['seed']}  "
          f"course {record['course_version']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
