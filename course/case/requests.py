"""Requests abroad: preservation, disclosure and mutual legal assistance, filled from the case.

Three letters, each filled from the facts of the case (the exchange's account
identifier, the holder, the deposit addresses, the transactions and the
period) and written in English or Russian from the message catalogue (ids
``case.request.*``):

- a **preservation request**: keep the data now, before it is deleted, until
  a formal request arrives (fast; nothing is handed over yet);
- a **disclosure request** to the exchange (in Russian practice *запрос о
  предоставлении сведений*): the records themselves;
- a **mutual legal assistance (MLA) request**, through the central
  authorities, for records that must stand as evidence in court.

:func:`channels` is the decision table: which channel (CARICC, INTERPOL,
Europol, the financial intelligence units, MLA, a direct request to the
service) fits which need, with the primary source of each row.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from course.messages import t

KINDS = ("preservation", "disclosure", "mla")
LANGS = ("en", "ru")

#: primary sources of the decision table (cited by number in its ``source`` column)
SOURCES: dict[str, str] = {
    "UN1988": "United Nations Convention against Illicit Traffic in Narcotic Drugs and "
              "Psychotropic Substances, 1988, art. 5 (confiscation), art. 7 (mutual legal "
              "assistance), art. 9 (law enforcement cooperation). "
              "https://www.unodc.org/pdf/convention_1988_en.pdf",
    "BUDAPEST": "Council of Europe Convention on Cybercrime (ETS No. 185), art. 29 (expedited "
                "preservation), art. 31 (mutual assistance for access to stored data), art. 35 "
                "(24/7 network); only between its parties. https://rm.coe.int/1680081561",
    "CARICC": "Agreement on the establishment of the Central Asian Regional Information and "
              "Coordination Centre for combating illicit trafficking of narcotic drugs, "
              "psychotropic substances and their precursors (CARICC), Almaty. "
              "https://caricc.org",
    "INTERPOL": "INTERPOL: National Central Bureaus and notices (Red, Blue, Green, Purple ...), "
                "INTERPOL's Rules on the Processing of Data. "
                "https://www.interpol.int/en/How-we-work/Notices/About-Notices",
    "EUROPOL": "Regulation (EU) 2016/794 (Europol), art. 23-25 (relations with third countries); "
               "Europol's list of strategic and operational agreements. "
               "https://www.europol.europa.eu/partners-collaboration/agreements",
    "EGMONT": "Egmont Group of Financial Intelligence Units, Charter and Principles for "
              "Information Exchange; FATF Recommendations 29 and 40. https://egmontgroup.org",
    "UNODC_MLA": "UNODC, Manual on Mutual Legal Assistance and Extradition (2012). "
                 "https://www.unodc.org/documents/organized-crime/Publications/"
                 "Mutual_Legal_Assistance_Ebook_E.pdf",
}

#: decision table rows: (row id, channel, source keys); the texts are catalogue ids
ROWS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("preserve", "direct", ("BUDAPEST", "UNODC_MLA")),
    ("intel_region", "CARICC", ("CARICC", "UN1988")),
    ("locate", "INTERPOL", ("INTERPOL",)),
    ("eu", "Europol", ("EUROPOL",)),
    ("money_intel", "fiu", ("EGMONT",)),
    ("records_evidence", "mla", ("UN1988", "UNODC_MLA", "BUDAPEST")),
    ("freeze", "mla", ("UN1988", "UNODC_MLA")),
    ("voluntary", "direct", ("UNODC_MLA",)),
)
#: channels named the same in every language; the others are catalogue ids case.channel.<id>
PROPER_NAMES = ("CARICC", "INTERPOL", "Europol")


@dataclass(frozen=True)
class CaseFacts:
    """What a request names, read from the case (see :func:`facts_from_response`)."""

    exchange: str
    account_id: str
    holder: str
    date_of_birth: str
    addresses: tuple[str, ...]
    txids: tuple[str, ...]
    period_start: str
    period_end: str
    reference: str = ""
    cards: tuple[str, ...] = field(default_factory=tuple)


def facts_from_response(folder: Path | str) -> CaseFacts:
    """The facts of an exchange's response folder (``response.json`` and its CSV files).

    The period runs from the account's registration to the last deposit,
    withdrawal or login (dates, UTC).
    """
    folder = Path(folder)
    try:
        response = json.loads((folder / "response.json").read_text(encoding="utf-8"))
        account = response["account"]
    except (OSError, json.JSONDecodeError, KeyError) as exc:
        raise ValueError(t("case.request.bad_response", folder=str(folder),
                           reason=type(exc).__name__)) from None
    files = response.get("files", {})

    def rows(key: str) -> list[dict]:
        path = folder / files.get(key, f"{key}.csv")
        if not path.exists():
            return []
        with path.open(encoding="utf-8", newline="") as stream:
            return list(csv.DictReader(stream))

    deposits, withdrawals, logins = rows("deposits"), rows("withdrawals"), rows("logins")
    times = ([account["registered_utc"]] + [d["confirmed_utc"] for d in deposits]
             + [w["created_utc"] for w in withdrawals] + [x["time_utc"] for x in logins])
    dates = sorted(x[:10] for x in times if x)
    return CaseFacts(
        exchange=response.get("exchange", ""), account_id=account["account_id"],
        holder=account["holder"].get("full_name", ""),
        date_of_birth=account["holder"].get("date_of_birth", ""),
        addresses=tuple(response.get("deposit_addresses", [])),
        txids=tuple(d["txid"] for d in deposits), period_start=dates[0], period_end=dates[-1],
        reference=response.get("request_reference", ""),
        cards=tuple(sorted({w["card_masked"] for w in withdrawals})))


@dataclass(frozen=True)
class Request:
    """One filled request: ``kind``, ``lang``, ``subject`` and ``body``."""

    kind: str
    lang: str
    subject: str
    body: str

    @property
    def text(self) -> str:
        """Subject line, a blank line, and the body."""
        return f"{self.subject}\n\n{self.body}\n"


def _bullets(items: tuple[str, ...]) -> str:
    return "\n".join(f"  - {item}" for item in items) if items else "  -"


def request(kind: str, facts: CaseFacts, *, requester: str, case_number: str, date: str,
            offence: str = "", lang: str = "en") -> Request:
    """Fill one request from the case.

    Parameters
    ----------
    kind
        ``preservation``, ``disclosure`` or ``mla``.
    facts
        The case facts (:func:`facts_from_response`).
    requester
        Who asks (officer, unit, contact), as it should appear in the letter.
    case_number, date
        The criminal case number and the letter's date (``YYYY-MM-DD``).
    offence
        The offence and article of the criminal code (needed for ``mla``).
    lang
        ``en`` or ``ru``.
    """
    if kind not in KINDS:
        raise ValueError(t("case.request.bad_kind", kind=kind, known=", ".join(KINDS)))
    if lang not in LANGS:
        raise ValueError(t("case.request.bad_lang", language=lang, known=", ".join(LANGS)))
    for name, value in (("requester", requester), ("case_number", case_number),
                        ("date", date)) + ((("offence", offence),) if kind == "mla" else ()):
        if not str(value).strip():
            raise ValueError(t("case.request.missing", field=name))
    values = {"exchange": facts.exchange, "account_id": facts.account_id,
              "holder": facts.holder, "date_of_birth": facts.date_of_birth,
              "addresses": _bullets(facts.addresses), "txids": _bullets(facts.txids),
              "cards": _bullets(facts.cards), "start": facts.period_start,
              "end": facts.period_end, "requester": requester, "case_number": case_number,
              "date": date, "offence": offence, "reference": facts.reference or "-"}
    subject = t(f"case.request.{kind}.subject", lang=lang, **values)
    body = t(f"case.request.{kind}.body", lang=lang, **values)
    return Request(kind, lang, subject, body)


def all_requests(facts: CaseFacts, *, requester: str, case_number: str, date: str,
                 offence: str, langs: tuple[str, ...] = LANGS) -> dict[tuple[str, str], Request]:
    """Every kind of request in every language: ``{(kind, lang): Request}``."""
    return {(kind, lang): request(kind, facts, requester=requester, case_number=case_number,
                                  date=date, offence=offence, lang=lang)
            for kind in KINDS for lang in langs}


def channels(lang: str | None = None) -> pd.DataFrame:
    """The decision table: which channel fits which need.

    Columns: ``need`` (what the investigator needs), ``channel``, ``gives``
    (what comes back and whether it is evidence or intelligence), ``source``
    (the primary sources, in full), ``channel_id`` (language-independent:
    ``direct``, ``CARICC``, ``INTERPOL``, ``Europol``, ``fiu``, ``mla``).
    """
    rows = [{"need": t(f"case.channel.{row}.need", lang=lang),
             "channel": channel if channel in PROPER_NAMES
             else t(f"case.channel.{channel}", lang=lang),
             "gives": t(f"case.channel.{row}.gives", lang=lang),
             "source": "; ".join(SOURCES[key] for key in keys), "channel_id": channel}
            for row, channel, keys in ROWS]
    return pd.DataFrame(rows, columns=["need", "channel", "gives", "source", "channel_id"])


__all__ = ["KINDS", "LANGS", "ROWS", "SOURCES", "CaseFacts", "Request", "all_requests",
           "channels", "facts_from_response", "request"]
