"""Links between aliases: hand-made profiles, names, and the truth of seeds 2026 and 7."""

from __future__ import annotations

import pytest
from market_world import SEEDS, world

from course.findings import Finding, level
from course.market.linking import (
    ALIAS_THRESHOLD,
    Profile,
    alias_similarity,
    combine,
    graph_edges,
    link_aliases,
    link_findings,
    profiles,
    score_links,
    skeleton,
)


@pytest.mark.parametrize(("a", "b"), [
    ("Химик", "Himik"), ("Химик", "Khimik"), ("Himik", "Khimik"), ("ХимВетер", "KhimVeter"),
    ("AlmaLab", "AlmaLabz"), ("NordChem", "N0rdChem"), ("SkyLabz", "SkyLabz_Official"),
    ("TianShan", "tianshan24"), ("Шаман", "Shaman"),
])
def test_look_alike_names(a: str, b: str) -> None:
    assert alias_similarity(a, b) >= ALIAS_THRESHOLD


@pytest.mark.parametrize(("a", "b"), [
    ("Химик", "Doctor"), ("ХимВетер", "NightCartel"), ("QuietOwl", "ТихийБазар"),
    ("SilentFox", "GoldenLeaf"), ("", "x"),
])
def test_different_names(a: str, b: str) -> None:
    assert alias_similarity(a, b) < ALIAS_THRESHOLD


def test_skeleton_by_hand() -> None:
    assert skeleton("Химик") == skeleton("Khimik") == skeleton("HIMIK") == "himik"
    assert skeleton("Снежный") == "snezhni"


def test_findings_from_hand_made_profiles() -> None:
    ru = Profile("market_ru", "Химик", {("btc_address", "bc1qx"): "ru/a.html",
                                        ("telegram", "@himik"): "ru/a.html"})
    en = Profile("market_en", "Khimik", {("btc_address", "bc1qx"): "en/b.html"})
    other = Profile("market_en", "Other", {("telegram", "@himik"): "en/c.html"})
    same_market = Profile("market_ru", "Химик2", {("btc_address", "bc1qx"): "ru/d.html"})
    found = link_findings([ru, en, other, same_market])
    kinds = sorted((f.kind, f.subject) for f in found)
    assert kinds == [("link.alias", ("Химик", "Khimik")),
                     ("link.alias", ("Химик2", "Khimik")),
                     ("link.btc_address", ("Химик", "Khimik")),
                     ("link.btc_address", ("Химик2", "Khimik")),
                     ("link.telegram", ("Химик", "Other"))]
    btc = next(f for f in found if f.kind == "link.btc_address" and f.subject[0] == "Химик")
    assert btc.sources == ("ru/a.html", "en/b.html")
    assert "bc1qx" in btc.evidence[0] and "ru/a.html" in btc.evidence[0]
    alias = next(f for f in found if f.kind == "link.alias" and f.subject[0] == "Химик")
    assert alias.level == "lead" and "not proof" in alias.evidence[0]
    links = {f.subject: f for f in combine(found)}
    # 1 - (1 - 0.9)(1 - 1/3) = 0.9333: two pieces of evidence, one link
    assert links[("Химик", "Khimik")].confidence == pytest.approx(1 - 0.1 * (2 / 3), abs=1e-3)
    assert len(links[("Химик", "Khimik")].evidence) == 2
    assert links[("Химик", "Other")].level == "strong"


def test_finding_confidence_is_checked() -> None:
    assert level(0.8) == "strong" and level(0.5) == "moderate" and level(0.1) == "lead"
    with pytest.raises(ValueError, match="between 0 and 1"):
        Finding("link", ("a", "b"), 1.5)


def _true_pairs(truth: dict) -> set[frozenset[str]]:
    aliases = truth["markets"]["aliases"]
    return {frozenset((a["market_ru"], a["market_en"])) for a in aliases.values()
            if "market_ru" in a and "market_en" in a}


@pytest.mark.parametrize("seed", SEEDS)
def test_linking_against_the_truth(seed: int) -> None:
    w = world(seed)
    links = link_aliases(w.data / "pages")
    strong = {frozenset(f.subject) for f in links if f.level == "strong"}
    assert strong == _true_pairs(w.truth)
    markets = w.truth["markets"]
    key_pair = next(f for f in links if set(f.subject) == set(markets["true_links"]["by_pgp_key"]))
    assert any("same PGP key" in e for e in key_pair.evidence)
    handle_pair = next(f for f in links
                       if set(f.subject) == set(markets["true_links"]["by_contact_handle"]))
    assert any("same contact" in e for e in handle_pair.evidence)
    false = next(f for f in links if set(f.subject) == set(markets["false_link"]))
    assert false.level == "lead"
    score = score_links(links, [tuple(p) for p in _true_pairs(w.truth)])
    assert (score["precision"], score["recall"], score["fp"], score["fn"]) == (1.0, 1.0, 0, 0)
    loose = score_links(links, [tuple(p) for p in _true_pairs(w.truth)], min_confidence=0.0)
    assert loose["fp"] >= 1 and loose["recall"] == 1.0


@pytest.mark.parametrize("seed", SEEDS)
def test_profiles_hold_the_published_key(seed: int) -> None:
    w = world(seed)
    state = w.state["markets"]
    found = {(p.market, p.alias): p for p in profiles(w.data / "pages")}
    for role, aliases in state["aliases"].items():
        for market, alias in aliases.items():
            if market not in ("market_ru", "market_en"):
                continue
            keys = {v for k, v in found[(market, alias)].indicators if k == "pgp_fingerprint"}
            handle = {v for k, v in found[(market, alias)].indicators
                      if k in ("telegram", "jabber", "session")}
            assert handle == {state["handles"][role][market].lower()}
            assert keys <= {state["pgp_fingerprints"][role][market].upper()}
            if market == "market_en":  # the escrow market makes every vendor show a key
                assert keys == {state["pgp_fingerprints"][role][market].upper()}


def test_graph_edges() -> None:
    ru = Profile("market_ru", "Химик", {("telegram", "@himik"): "ru/a.html"})
    en = Profile("market_en", "Khimik", {("telegram", "@himik"): "en/b.html",
                                         ("pgp_fingerprint", "AB" * 20): "en/b.html"})
    edges = graph_edges([ru, en], combine(link_findings([ru, en])))
    assert edges[["source", "target", "kind"]].values.tolist() == [
        ["market_ru:Химик", "telegram:@himik", "telegram"],
        ["market_en:Khimik", "pgp_fingerprint:" + "AB" * 20, "pgp_fingerprint"],
        ["market_en:Khimik", "telegram:@himik", "telegram"],
        ["market_ru:Химик", "market_en:Khimik", "link"],
    ]
    assert edges["level"].iloc[-1] == "strong"
    # two profiles showing one handle meet at one node of the chart
    assert edges.loc[edges["kind"] == "telegram", "target"].nunique() == 1
