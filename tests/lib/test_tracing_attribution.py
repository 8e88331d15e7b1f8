"""Tags: the case's list and real GraphSense TagPacks; the exchange deposit."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from tracing_helpers import make_ledger, reference

from course.tracing.attribution import (
    Tag,
    TagIndex,
    deposit_finding,
    find_cashout,
    read_tagpack,
    read_tags,
    source_words,
)

HERE = Path(__file__).resolve().parent
# copied from github.com/graphsense/graphsense-tagpacks (see data/tagpacks/README.md)
TAGPACKS = HERE / "data" / "tagpacks"
DAY4 = HERE.parents[1] / "source" / "day4-tracing-money" / "data"


def test_real_tagpack_with_a_numeric_confidence():
    tags = read_tagpack(TAGPACKS / "wasabi_collector.yaml")
    assert [t.address for t in tags] == ["bc1qs604c7jv6amk4cxqlnvuxv26hv3e48cds4m0ew",
                                         "bc1qa24tsgchvuxsaccp8vrnkfd85hrcpafg20kmjw"]
    first = tags[0]
    assert (first.label, first.category, first.confidence, first.currency) == (
        "Wasabi Fee", "mixer", 0.5, "BTC")
    assert first.source.startswith("https://github.com/nopara73/WasabiVsSamourai")


def test_real_tagpack_without_confidence_or_category():
    (tag,) = read_tagpack(TAGPACKS / "coinjoin_bounty.yaml")
    assert tag == Tag("3M8XGFBKwkf7miBzpkU3x2DoWwAVrD1mhk", "Coinjoin Bounty",
                      "https://bitcointalk.org/index.php?topic=279249.0", "", 0.05, "BTC")
    (sure,) = read_tagpack(TAGPACKS / "coinjoin_bounty.yaml", default_confidence="ownership")
    assert sure.confidence == 1.0


def test_named_levels_and_tag_overrides(tmp_path):
    path = tmp_path / "pack.yaml"
    path.write_text("title: t\nlabel: Shop\nsource: seized server\ncategory: market\n"
                    "confidence: forensic\ncurrency: BTC\ntags:\n- address: 1A\n"
                    "- address: 1B\n  label: Other shop\n  confidence: 90\n", encoding="utf-8")
    a, b = read_tagpack(path)
    assert (a.label, a.confidence, a.category) == ("Shop", 0.5, "market")
    assert (b.label, b.confidence, b.source) == ("Other shop", 0.9, "seized server")


@pytest.mark.parametrize(("text", "word"), [
    ("title: t\n", "tags"),
    ("label: x\ntags:\n- address: 1A\n", "source"),
    ("label: x\nsource: y\nconfidence: sure\ntags:\n- address: 1A\n", "sure"),
    ("label: x\nsource: y\nconfidence: 140\ntags:\n- address: 1A\n", "140"),
    ("tags: [\n", "TagPack"),
])
def test_bad_tagpacks_say_what_is_wrong(tmp_path, text, word):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=word) as err:
        read_tagpack(path)
    assert "\n" not in str(err.value)


def test_case_tags():
    tags = read_tags(DAY4 / "tags.csv")
    with open(DAY4 / "tags.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(tags) == len(rows)
    assert [t.confidence for t in tags] == [int(r["confidence"]) / 100 for r in rows]
    assert {t.category for t in tags} == {r["category"] for r in rows}


def test_the_case_tag_sources_are_in_words_of_each_language(monkeypatch):
    """Every source the case's tag list names reads in Russian in a Russian cohort's
    findings; a source the course does not know (a TagPack's URL) stays as written."""
    with open(DAY4 / "tags.csv", newline="") as f:
        sources = {r["source"] for r in csv.DictReader(f)}
    assert len(sources) >= 5
    monkeypatch.setenv("COURSE_LANG", "ru")
    for source in sources:
        words = source_words(source)
        assert words != source and any("а" <= ch <= "я" for ch in words), source
    monkeypatch.setenv("COURSE_LANG", "en")
    assert {source_words(s) for s in sources} == sources
    url = read_tagpack(TAGPACKS / "wasabi_collector.yaml")[0].source
    monkeypatch.setenv("COURSE_LANG", "ru")
    assert source_words(url) == url


def test_index_prefers_the_most_confident():
    index = TagIndex([Tag("1A", "Guess", "forum", "exchange", 0.2),
                      Tag("1A", "Bank", "proof of reserves", "exchange", 0.95),
                      Tag("1M", "Mixer", "docs", "mixer", 0.6)])
    assert index.best("1A").label == "Bank" and index.best("1Z") is None
    assert [t.label for t in index.tags("1A")] == ["Bank", "Guess"]
    assert index.labels(["exchange"]) == {"1A": "Bank"}
    assert "1M" in index and len(index) == 3


@pytest.fixture
def cashout():
    ledger = make_ledger(
        ("pay", [("", "bc1qvendor", 100_000)], [("3Dep", 99_000)]),
        ("sweep", [("pay:0", "3Dep", 99_000), ("", "bc1qhot2", 50_000)], [("3Hot", 148_000)]),
    )
    tags = TagIndex([Tag("3Hot", "Qazyna", "proof of reserves", "exchange", 0.95),
                     Tag("bc1qhot2", "Qazyna", "test deposit", "exchange", 0.8),
                     Tag("1Mixer", "Mix", "docs", "mixer", 0.9)])
    return ledger, tags


def test_deposit_found_by_co_spending_and_sweep(cashout):
    ledger, tags = cashout
    found = deposit_finding(ledger, "3Dep", tags)
    assert found.kind == "deposit.exchange" and found.subject == ("3Dep", "Qazyna")
    # co-spent with a 0.8 tag (weight 0.9), swept to a 0.95 tag (weight 0.8):
    # 1 - (1 - 0.72) * (1 - 0.76)
    assert found.confidence == pytest.approx(0.9328)
    assert len(found.evidence) == 2
    assert "bc1qhot2" in found.evidence[0] and "3Hot" in found.evidence[1]


def test_no_deposit_without_a_tagged_link(cashout):
    ledger, tags = cashout
    assert deposit_finding(ledger, "bc1qvendor", tags) is None
    assert deposit_finding(ledger, "3Dep", tags, category="mixer") is None


def test_evidence_in_both_languages(cashout, monkeypatch):
    ledger, tags = cashout
    monkeypatch.setenv("COURSE_LANG", "en")
    assert "was spent in transaction" in deposit_finding(ledger, "3Dep", tags).evidence[0]
    monkeypatch.setenv("COURSE_LANG", "ru")
    assert "потрачен в транзакции" in deposit_finding(ledger, "3Dep", tags).evidence[0]


def test_cashout_at_the_end_of_a_peel_chain(cashout):
    _, tags = cashout
    ledger = make_ledger(
        ("s1", [("", "bc1qvendor", 1_000_000)], [("1b1", 100_000), ("bc1qp1", 899_000)]),
        ("s2", [("s1:1", "bc1qp1", 899_000)], [("1b2", 100_000), ("bc1qp2", 798_000)]),
        ("end", [("s2:1", "bc1qp2", 798_000)], [("3Dep", 797_000)]),
        ("sweep", [("end:0", "3Dep", 797_000), ("", "bc1qhot2", 50_000)], [("3Hot", 846_000)]),
    )
    found = find_cashout(ledger, "s1", tags)
    # chain of 3: 0.5 + 3 * 0.05 = 0.65; deposit 0.9328 (as above)
    assert found.subject == ("3Dep", "Qazyna")
    assert found.confidence == pytest.approx(round(0.65 * 0.9328, 4))
    assert len(found.evidence) == 3
    assert find_cashout(ledger, "sweep", tags).subject == ("3Hot", "Qazyna")  # tagged itself
    assert find_cashout(ledger, "s1", TagIndex([])) is None  # nothing tagged: no attribution


def test_day4_cashout_deposit_as_the_reference_finds_it():
    import pandas as pd

    from course.tracing.ledger import read_csv

    tables = {n: pd.read_csv(DAY4 / f"{n}.csv", keep_default_na=False)
              for n in ("inputs", "outputs")}
    start = pd.read_json(DAY4 / "questions.json", typ="series")["peel_chain_start_txid"]
    last = reference().peel_chain(tables, start)[-1]
    outs = tables["outputs"]
    expected = outs[outs.txid == last].address.iloc[0]
    found = find_cashout(read_csv(DAY4), start, TagIndex(read_tags(DAY4 / "tags.csv")))
    assert found.subject[0] == expected and found.confidence >= 0.5
