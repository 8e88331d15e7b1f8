"""The catalogue of the world's files: what each file is, its format, fields and size.

:data:`KINDS` describes every kind of file a world holds (a path pattern,
its format, what it holds and which day uses it); :func:`catalogue` matches
every file of a built world to exactly one kind and reads the fields from
the file itself (a CSV header, a JSON object's keys). :func:`markdown` renders
the tables that ``docs/case-world.md`` holds between its catalogue markers;
``python -m course.world.catalogue`` prints them for the default world, and
a test checks that the document equals a fresh build and that no file of the
world is left undescribed.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from fnmatch import fnmatchcase

from course.world.context import WorldContext

BEGIN, END = "<!-- catalogue:begin -->", "<!-- catalogue:end -->"


@dataclass(frozen=True)
class Kind:
    """One kind of world file: ``pattern`` matches ``<assignment>/data/...``."""

    pattern: str
    format: str
    contents: str
    used: str


_D = ("day0-orientation/data/", "day1-darkweb-tor/data/", "day2-market-osint/data/",
      "day3-crypto-basics/data/", "day4-tracing-money/data/", "day5-building-the-case/data/")

KINDS: tuple[Kind, ...] = (
    Kind(_D[0] + "seizures.csv", "CSV", "police seizure records of Central Asian cities and "
         "Baku (Azerbaijan): NPS and controlled drugs by city, date and weight",
         "day 0: pandas basics"),
    Kind(_D[1] + "tor/cached-consensus", "Tor dir-spec network-status consensus 3",
         "a few hundred synthetic relays (addresses in 100.64.0.0/10 and 240.0.0.0/4) with "
         "flags, bandwidths, exit policies, bandwidth weights, 4 authority signatures",
         "day 1: flags, guard probability, exits to 443"),
    Kind(_D[1] + "tor/archive/*-consensus", "Tor consensus as CollecTor archives it (@type "
         "network-status-consensus-3 1.0)", "the consensus valid at one hour of three earlier "
         "dates: relays that left since, relays not yet there", "day 1: was this IP a relay "
         "then? (ExoneraTor's question)"),
    Kind(_D[1] + "tor/forum_post_ips.csv", "CSV", "a forum's answer to a production order: "
         "the IP address behind each post, with its time (UTC)", "day 1: which IPs were Tor "
         "relays at that time"),
    Kind(_D[1] + "tor/cached-certs", "Tor dir-key-certificate-3", "the authorities' key "
         "certificates (verify the consensus signatures)", "day 1"),
    Kind(_D[1] + "tor/onionoo_details.json", "JSON (Onionoo details)", "relay details: "
         "families, AS, country", "day 1: families and shared networks"),
    Kind(_D[1] + "tor/questions.json", "JSON", "question parameters of the Tor notebook",
         "day 1"),
    Kind(_D[1] + "onion/candidates.csv", "CSV", "onion addresses found in the field: "
         "genuine mirrors, typo clones, look-alike clones", "day 1: checksum, phishing clones"),
    Kind(_D[1] + "onion/hs_ed25519_public_key", "Tor hidden-service key file (binary, 64 B)",
         "a seized onion service public key", "day 1: derive the v3 address"),
    Kind(_D[1] + "onion/hs_ed25519_secret_key", "Tor hidden-service key file (binary, 96 B)",
         "the seized service's expanded ed25519 secret key", "day 1: the key pair proves "
         "control of the address"),
    Kind(_D[1] + "mirrors/keys/*.asc", "OpenPGP public key (armored)", "each market's and "
         "the forum's operator key", "day 1: verify mirror lists"),
    Kind(_D[1] + "mirrors/*_forum_repost.txt.asc", "OpenPGP cleartext signature",
         "a re-posted mirror list with one address swapped (signature fails)",
         "day 1: tampered mirror list"),
    Kind(_D[1] + "mirrors/*.txt.asc", "OpenPGP cleartext signature", "a market's signed "
         "list of official onion mirrors", "day 1, day 5 (bookmarked clones)"),
    Kind(_D[1] + "nps/product_titles.csv", "CSV", "listing titles of both markets and "
         "non-drug items, Russian and English, with the shop or vendor that lists them",
         "day 1: NPS classification, titles per seller"),
    Kind(_D[1] + "nps/questions.json", "JSON", "question parameters of the NPS and mirror "
         "exercises", "day 1"),
    Kind(_D[2] + "pages/market_ru/shop_??_reviews.html", "HTML (saved page)",
         "a shop's reviews on the Russian-language market", "day 2"),
    Kind(_D[2] + "pages/market_ru/shop_??.html", "HTML (saved page)", "a shop's showcase "
         "(city, district, dead-drop type, weight, price), contact, sometimes a PGP key",
         "day 2: shop cities, prices, alias links"),
    Kind(_D[2] + "pages/market_ru/city_*.html", "HTML (saved page)", "a city's showcase "
         "across shops", "day 2: offers per city"),
    Kind(_D[2] + "pages/market_en/search_p?.html", "HTML (saved page)", "search results: "
         "listing cards with USD/BTC/XMR prices and shipping", "day 2: listings, USD prices"),
    Kind(_D[2] + "pages/market_en/vendor_??.html", "HTML (saved page)", "a vendor profile: "
         "stats, contact, PGP key, listings", "day 2: vendor groups, alias links"),
    Kind(_D[2] + "pages/market_en/feedback_??.html", "HTML (saved page)", "a vendor's "
         "feedback table", "day 2: feedback count"),
    Kind(_D[2] + "pages/market_en/listing.html", "HTML (saved page)", "the target's listing "
         "with bitcoin addresses and broken look-alikes in its text", "day 2: valid addresses"),
    Kind(_D[2] + "capture_log.csv", "CSV", "the capture tool's log: URL, file, time, SHA-256",
         "day 2: chain of custody"),
    Kind(_D[2] + "fx_rates.csv", "CSV", "USD value of the local currencies, BTC and XMR on "
         "the capture day (the world's rate series)", "day 2: prices in USD"),
    Kind(_D[2] + "cities.csv", "CSV", "the world's cities with coordinates", "day 2: photos"),
    Kind(_D[2] + "photos/drop_??.jpg", "JPEG with EXIF", "dead-drop photos: GPS, time, "
         "camera make/model/serial; some stripped", "day 2: EXIF"),
    Kind(_D[2] + "photos/manifest.csv", "CSV", "which shop sent which photo for which order",
         "day 2: EXIF"),
    Kind(_D[2] + "photos/questions.json", "JSON", "question parameters of the photo "
         "exercises", "day 2"),
    Kind(_D[2] + "questions.json", "JSON", "question parameters of the market exercises",
         "day 2"),
    Kind(_D[2] + "handover/pages/market_??/*.html", "HTML (saved page)", "copies of six "
         "saved pages returned by an expert; two no longer match their capture",
         "day 2: capture integrity"),
    Kind(_D[2] + "handover/capture_log.csv", "CSV", "the returned copies' hash list: file, "
         "URL, time, SHA-256 in upper-case hex (as Get-FileHash writes it)",
         "day 2: capture integrity"),
    Kind(_D[3] + "raw_tx_?.hex", "hex (raw bitcoin transaction)", "one legacy and one "
         "segwit transaction, serialized", "day 3: txid, fee"),
    Kind(_D[3] + "explorer/*.json", "JSON (Esplora-style transaction)", "transactions of "
         "the courier's wallet, the parents of raw_tx_1 and an exchange batch",
         "day 3: fees, the seized wallet's balance"),
    Kind(_D[3] + "seized_notes.txt", "text (UTF-8)", "a courier's phone notes: addresses "
         "among look-alikes, two seed phrases (one corrupt)", "day 3: checksums, BIP39"),
    Kind(_D[3] + "questions.json", "JSON", "question parameters of the bitcoin basics "
         "exercises", "day 3"),
    Kind(_D[3] + "tron/trc20_transfers.json", "JSON (Tronscan API, TRC-20 transfers of "
         "one address)", "USDT transfers of the target's Tron wallet, newest first: buyers, "
         "an exchange's hot wallet, the courier's wages, the cash-out to the instant "
         "exchanger, an address-poisoning zero transfer and a fake USDT token",
         "day 3: Tron addresses, the transfer to the exchanger"),
    Kind(_D[3] + "tron/questions.json", "JSON", "the Tron wallet to examine and the "
         "exchanger's advertised USDT address", "day 3"),
    Kind(_D[4] + "transactions.csv", "CSV", "every transaction of the ledger (2025)",
         "day 4, day 5"),
    Kind(_D[4] + "inputs.csv", "CSV", "every input, with the address and value it spends",
         "day 4: clustering, peel chain"),
    Kind(_D[4] + "outputs.csv", "CSV", "every output, with address, type and value",
         "day 4, day 5"),
    Kind(_D[4] + "blocks.csv", "CSV", "the ledger's blocks", "day 4"),
    Kind(_D[4] + "tags.csv", "CSV (TagPack-like)", "attribution tags of exchanges, markets, "
         "mixers, services (one deliberately wrong)", "day 4, day 5"),
    Kind(_D[4] + "questions.json", "JSON", "question parameters of the tracing exercises",
         "day 4"),
    Kind(_D[5] + "exchange_response/response.json", "JSON", "the regulated exchange's "
         "answer to the legal request: KYC, deposit addresses", "day 5"),
    Kind(_D[5] + "exchange_response/deposits.csv", "CSV", "the account's bitcoin deposits "
         "(ledger transactions)", "day 5: deposits, link to the peel chain"),
    Kind(_D[5] + "exchange_response/withdrawals.csv", "CSV", "tenge withdrawals to bank "
         "cards (masked)", "day 5"),
    Kind(_D[5] + "exchange_response/logins.csv", "CSV", "login times, IPs, user agents",
         "day 5: home IP"),
    Kind(_D[5] + "exchange_response/rates.csv", "CSV", "the exchange's daily BTC/USD and "
         "KZT/USD rates for 2025 (the world's series)", "day 5: value in tenge"),
    Kind(_D[5] + "seized/phone/messenger_export/result.json", "JSON (Telegram Desktop "
         "export)", "chats with the courier: dead-drop coordinates", "day 5"),
    Kind(_D[5] + "seized/phone/notes.json", "JSON", "notes app extraction: the wallet's "
         "BIP39 seed phrase", "day 5: seed phrase -> ledger"),
    Kind(_D[5] + "seized/laptop/bookmarks.html", "HTML (Netscape bookmark file)",
         "bookmarked onion addresses, one a clone", "day 5"),
    Kind(_D[5] + "seized/hashes.sha256", "sha256sum", "hashes recorded at seizure (one "
         "file no longer matches)", "day 5: integrity"),
    Kind(_D[5] + "evidence_questions.json", "JSON", "paths of the day 5 evidence", "day 5"),
    Kind(_D[5] + "market_pages/market_??/*.html", "HTML (saved page)", "copies, byte for "
         "byte, of the day 2 pages that name an alias: shops, vendor profiles, the tip's "
         "listing; and the dated pages: search results, feedback",
         "day 5: from the tip to the linked shop; listings and feedback in the timeline"),
    Kind(_D[5] + "case_manifest.json", "JSON", "the course version and the case's "
         "fingerprint (SHA-256 over the other day 5 files; not the seed)",
         "day 5: the report's reproducibility appendix"),
    Kind(_D[5] + "ledger/*.csv", "CSV", "copies, byte for byte, of the day 4 ledger tables "
         "and tags", "day 5: cluster, peel chain, cash-out"),
    Kind(_D[5] + "ledger/questions.json", "JSON", "copy of the day 4 tracing questions "
         "(the shop's payout address, the peel chain's first transaction)", "day 5"),
)


@dataclass(frozen=True)
class Row:
    """One file of the world in the catalogue."""

    path: str
    size: int
    kind: int  # index into KINDS
    fields: str


def kind_of(path: str) -> int:
    """Index of the first kind whose pattern matches ``path`` (``<assignment>/data/...``)."""
    for i, kind in enumerate(KINDS):
        if fnmatchcase(path, kind.pattern):
            return i
    raise LookupError(f"world file not in the catalogue: {path}")


def fields_of(path: str, data: bytes) -> str:
    """The fields of a file, read from it: a CSV header or a JSON object's keys."""
    if path.endswith(".csv"):
        return ", ".join(next(csv.reader(io.StringIO(data.decode("utf-8")))))
    if path.endswith(".json"):
        doc = json.loads(data)
        return ", ".join(sorted(doc)) if isinstance(doc, dict) else f"list of {len(doc)}"
    return ""


def catalogue(ctx: WorldContext) -> list[Row]:
    """Every file of the built world ``ctx``, sorted by path, with its kind and size."""
    rows = []
    for (assignment, rel), data in sorted(ctx.files.items()):
        path = f"{assignment}/{rel}"
        rows.append(Row(path, len(data), kind_of(path), fields_of(path, data)))
    return rows


def markdown(rows: list[Row]) -> str:
    """The two catalogue tables: kinds of file (with fields), then every file with its size."""
    total = sum(r.size for r in rows)
    out = [f"{len(rows)} files, {total:,} bytes ({total / 1e6:.2f} MB) in all.", "",
           "| # | files | format | contents | fields | used on | count | bytes |",
           "|---|---|---|---|---|---|---|---|"]
    for i, kind in enumerate(KINDS):
        mine = [r for r in rows if r.kind == i]
        fields = sorted({r.fields for r in mine if r.fields})
        shown = fields[0] if len(fields) == 1 else ("varies" if fields else "")
        out.append(f"| {i + 1} | `{kind.pattern}` | {kind.format} | {kind.contents} | "
                   f"{shown} | {kind.used} | {len(mine)} | {sum(r.size for r in mine):,} |")
    out += ["", "| file | bytes | # |", "|---|---|---|"]
    out += [f"| `{r.path}` | {r.size:,} | {r.kind + 1} |" for r in rows]
    return "\n".join(out) + "\n"


def update_document(text: str, tables: str) -> str:
    """``text`` with the part between :data:`BEGIN` and :data:`END` replaced by ``tables``."""
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{tables}{END}{tail}"


def main(argv: list[str] | None = None) -> None:
    """Print the default world's catalogue, or with ``--write DOC`` update it in ``DOC``.

    ``python -m course.world.catalogue --write docs/case-world.md``
    """
    import argparse
    from pathlib import Path

    from course.world import DEFAULT_SEED, build_world

    parser = argparse.ArgumentParser(description="the case world's file catalogue")
    parser.add_argument("--write", type=Path, help="update the catalogue inside this document")
    args = parser.parse_args(argv)
    tables = markdown(catalogue(build_world(DEFAULT_SEED)))
    if args.write:
        args.write.write_text(update_document(args.write.read_text(encoding="utf-8"), tables),
                              encoding="utf-8")
    else:
        print(tables, end="")


if __name__ == "__main__":
    main()
