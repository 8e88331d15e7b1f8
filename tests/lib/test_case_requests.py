"""Requests abroad filled from the case, in English and Russian, and the channel table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from course.case import requests as rq
from course.messages import CATALOGUE, catalogue

DAY5 = Path(__file__).resolve().parents[2] / "source/day5-building-the-case/data"
PARAMS = {"requester": "Capt. A. Nurlanov, Astana", "case_number": "251100031000123",
          "date": "2025-11-25", "offence": "sale of narcotic drugs"}


def _response(tmp_path: Path) -> Path:
    folder = tmp_path / "exchange_response"
    folder.mkdir()
    (folder / "response.json").write_text(json.dumps({
        "request_reference": "MLA-1/2025", "exchange": "Qazyna Crypto",
        "account": {"account_id": "U42", "registered_utc": "2024-12-03T11:42:09Z",
                    "holder": {"full_name": "Турсунов Ерлан", "date_of_birth": "1991-08-13"}},
        "deposit_addresses": ["3Abc", "bc1qxyz"],
        "files": {"deposits": "deposits.csv", "withdrawals": "withdrawals.csv",
                  "logins": "logins.csv"}}, ensure_ascii=False), encoding="utf-8")
    (folder / "deposits.csv").write_text("txid,address,amount_btc,confirmed_utc\n"
                                         "t1,3Abc,0.1,2025-04-11T06:46:43Z\n"
                                         "t2,bc1qxyz,0.2,2025-09-07T02:13:13Z\n")
    (folder / "withdrawals.csv").write_text(
        "withdrawal_id,created_utc,amount_kzt,card_masked,status\n"
        "W1,2025-09-10T06:13:13Z,753000,4400 43** **** 3692,completed\n"
        "W2,2025-04-14T11:46:43Z,2124000,5169 49** **** 0000,completed\n")
    (folder / "logins.csv").write_text("time_utc,ip,country,user_agent\n"
                                       "2025-10-07T01:00:00Z,1.2.3.4,KZ,x\n")
    return folder


def test_facts_from_response(tmp_path: Path) -> None:
    facts = rq.facts_from_response(_response(tmp_path))
    assert facts.account_id == "U42" and facts.holder == "Турсунов Ерлан"
    assert facts.addresses == ("3Abc", "bc1qxyz") and facts.txids == ("t1", "t2")
    # registration to the last login
    assert (facts.period_start, facts.period_end) == ("2024-12-03", "2025-10-07")
    assert facts.cards == ("4400 43** **** 3692", "5169 49** **** 0000")
    assert facts.reference == "MLA-1/2025"


def test_day5_response_facts() -> None:
    facts = rq.facts_from_response(DAY5 / "exchange_response")
    assert facts.account_id == "U708275551"
    assert facts.holder == "Турсунов Ерлан"
    assert facts.addresses == ("34UGVg62eA3eZB9e9MoP9YsoRfR7zYN3sY",
                               "3KMo518X1G38kzEyZjWS3z2FodUV8ndjpo")
    assert facts.txids[0] == "d21260ee0743c28bbd8f048d45aba0bd103f6450922750cdd355265bb7d5b8a9"
    assert facts.period_start == "2024-12-03"


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("kind", rq.KINDS)
def test_every_request_names_the_case(tmp_path: Path, kind: str, lang: str) -> None:
    facts = rq.facts_from_response(_response(tmp_path))
    text = rq.request(kind, facts, lang=lang, **PARAMS).text
    for fact in ("U42", "Турсунов Ерлан", "1991-08-13", "  - 3Abc\n  - bc1qxyz",
                 "2024-12-03", "2025-10-07", "251100031000123",
                 "Capt. A. Nurlanov, Astana", "Qazyna Crypto"):
        assert fact in text, (kind, lang, fact)
    # the letters that ask for records name the transactions known
    assert ("  - t1\n  - t2" in text) == (kind != "preservation")
    assert "{" not in text and "}" not in text


def test_languages_differ_and_read_right(tmp_path: Path) -> None:
    facts = rq.facts_from_response(_response(tmp_path))
    en = rq.request("preservation", facts, lang="en", **PARAMS)
    ru = rq.request("preservation", facts, lang="ru", **PARAMS)
    assert en.subject == ("Request to preserve data: account U42 "
                          "(criminal case 251100031000123)")
    assert ru.subject == ("Запрос о сохранении данных: аккаунт U42 "
                          "(уголовное дело 251100031000123)")
    disclosure = rq.request("disclosure", facts, lang="ru", **PARAMS)
    assert disclosure.subject.startswith("Запрос о предоставлении сведений")
    assert "4400 43** **** 3692" in disclosure.body
    mla = rq.request("mla", facts, lang="en", **PARAMS)
    assert "Offence: sale of narcotic drugs." in mla.body
    assert "1988 (article 7)" in mla.body


def test_all_requests(tmp_path: Path) -> None:
    facts = rq.facts_from_response(_response(tmp_path))
    every = rq.all_requests(facts, **PARAMS)
    assert sorted(every) == [("disclosure", "en"), ("disclosure", "ru"), ("mla", "en"),
                             ("mla", "ru"), ("preservation", "en"), ("preservation", "ru")]


def test_bad_input_is_one_line(tmp_path: Path) -> None:
    facts = rq.facts_from_response(_response(tmp_path))
    with pytest.raises(ValueError, match="Unknown request 'freeze'"):
        rq.request("freeze", facts, lang="en", **PARAMS)
    with pytest.raises(ValueError, match="'kk'"):
        rq.request("mla", facts, lang="kk", **PARAMS)
    with pytest.raises(ValueError, match="'offence'"):
        rq.request("mla", facts, lang="en", **{**PARAMS, "offence": " "})
    with pytest.raises(ValueError, match="response.json"):
        rq.facts_from_response(tmp_path / "nowhere")


def test_channel_table() -> None:
    table = rq.channels("en")
    assert list(table.columns) == ["need", "channel", "gives", "source", "channel_id"]
    assert list(table["channel_id"]) == ["direct", "CARICC", "INTERPOL", "Europol", "fiu",
                                         "mla", "mla", "direct"]
    by_id = dict(zip(table["channel_id"], table["channel"], strict=False))
    assert by_id["mla"] == "MLA (mutual legal assistance)"
    assert by_id["CARICC"] == "CARICC"
    evidence = table[table["need"].str.contains("evidence for court")].iloc[0]
    assert evidence["channel_id"] == "mla"
    assert "art. 7 (mutual legal assistance)" in evidence["source"]
    assert table["source"].str.contains("https://").all()
    ru = rq.channels("ru")
    assert ru.loc[5, "channel"] == "правовая помощь (MLA)"
    assert ru.loc[1, "channel"] == "CARICC"
    assert (ru["need"] != table["need"]).all()


def test_every_case_text_has_russian_with_the_same_fields() -> None:
    import re

    ru = catalogue("ru")
    for key, english in CATALOGUE["en"].items():
        if key.startswith("case."):
            assert key in ru, key
            assert set(re.findall(r"\{(\w+)\}", english)) == set(
                re.findall(r"\{(\w+)\}", ru[key])), key
