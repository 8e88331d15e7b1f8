"""Day-1 widgets: circuit builder, relay picker, onion inspector.

The tests drive the inner widgets as a trainee's clicks would
(``w._w_text.value = ...``, ``w._w_draw.click()``) and check the public
properties; every widget must also render headless.
"""

from __future__ import annotations

import pandas as pd
import pytest

from course.tor.layers import read_cell, wrap
from course.tor.onion import address_from_key
from course.widgets import CircuitBuilder, OnionInspector, RelayPicker

W = {"Wgg": 6000, "Wgd": 2000, "Wmg": 4000, "Wmd": 2000, "Wme": 0, "Wmm": 10000,
     "Wed": 6000, "Wee": 10000}
GOOD = address_from_key(bytes(range(32)))
OTHER = address_from_key(bytes(range(1, 33)))


def relay_table(rows: list[tuple]) -> pd.DataFrame:
    """A tiny relay table: (nickname, flags, bandwidth, policy, subnet16, family_id).

    Every relay is Running, Valid and Fast; a Guard is also Stable and V2Dir,
    as the directory authorities require (dir-spec 3.4.2).
    """
    out = []
    for i, (nick, flags, bw, policy, net, fam) in enumerate(rows):
        extra = {"Stable", "V2Dir"} if "Guard" in flags else set()
        flags = tuple(sorted({*flags, *extra, "Running", "Valid", "Fast"}))
        out.append({"nickname": nick, "fingerprint": f"{i:040X}", "flags": flags,
                    "bandwidth": bw, "policy": policy, "is_guard": "Guard" in flags,
                    "is_exit": "Exit" in flags, "is_badexit": "BadExit" in flags,
                    "subnet16": net, "family_id": fam})
    return pd.DataFrame(out)


@pytest.fixture
def relays() -> pd.DataFrame:
    return relay_table([
        ("bigGuard", ["Guard"], 3000, "reject 1-65535", "10.1", ""),
        ("smallGuard", ["Guard"], 1000, "reject 1-65535", "10.2", ""),
        ("exitWeb", ["Exit"], 2000, "accept 80,443", "20.1", ""),
        ("exitMail", ["Exit"], 2000, "accept 25", "20.2", ""),
        ("midA", [], 1000, "reject 1-65535", "30.1", ""),
        ("midB", [], 1000, "reject 1-65535", "30.2", ""),
    ])


# -- CircuitBuilder ---------------------------------------------------------------------

def test_circuit_starts_at_the_client_with_three_layers(relays: pd.DataFrame) -> None:
    w = CircuitBuilder(relays, W, message="GET /shop")
    assert w.value == {"message": "GET /shop", "step": 0}
    assert set(w.path) == {"guard", "middle", "exit"}
    assert w.path["exit"] == "exitWeb"  # the only exit accepting port 443
    assert w.path["guard"] in {"bigGuard", "smallGuard"}
    assert w.trace["layers_left"].tolist() == [3, 2, 1, 0]
    assert w.readable is None
    assert "GET /shop" not in w._w_cells.value


def test_circuit_layers_are_real_aes_with_the_shown_keys(relays: pd.DataFrame) -> None:
    w = CircuitBuilder(relays, W, message="GET /shop")
    cell = wrap("GET /shop", w.circuit)
    assert read_cell(cell) is None
    assert w.trace["first_bytes"].iloc[0] == cell[:12].hex(" ")


def test_moving_the_step_slider_peels_layers(relays: pd.DataFrame) -> None:
    w = CircuitBuilder(relays, W, message="GET /shop")
    w._w_step.value = 2
    assert w.readable is None
    assert w.path["middle"] in w._w_learns.value
    w._w_step.value = 3
    assert w.readable == "GET /shop"
    assert "GET /shop" in w._w_cells.value
    assert w.path["exit"] in w._w_learns.value
    assert w.value["step"] == 3


def test_typing_a_request_rebuilds_the_cells(relays: pd.DataFrame) -> None:
    w = CircuitBuilder(relays, W)
    w._w_message.value = "POST /login user=buyer7"
    w._w_step.value = 3
    assert w.readable == "POST /login user=buyer7"
    w.value = {"message": "x" * 600}
    assert "501" in w.error
    assert w.trace.empty and w.readable is None
    assert "501" in w._w_cells.value


def test_new_circuit_button_changes_keys_and_is_repeatable(relays: pd.DataFrame) -> None:
    w = CircuitBuilder(relays, W, seed=3)
    first = w.circuit
    w._w_new.click()
    assert [h.key for h in w.circuit] != [h.key for h in first]
    again = CircuitBuilder(relays, W, seed=3)
    assert [h.key for h in again.circuit] == [h.key for h in first]


def test_circuit_without_a_consensus_uses_generic_names() -> None:
    w = CircuitBuilder()
    assert w.path == {"guard": "Guard", "middle": "Middle", "exit": "Exit"}
    assert list(w.views["receives_from"])[0].startswith("203.0.113.25")
    with pytest.raises(ValueError, match="both the relay table"):
        CircuitBuilder(relays=relay_table([]))


# -- RelayPicker ------------------------------------------------------------------------

def test_picker_draws_at_once_and_guards_follow_their_weights(relays: pd.DataFrame) -> None:
    w = RelayPicker(relays, W, draws=2000)
    assert w.value == {"draws": 2000, "position": "guard"}
    assert len(w.paths) == 2000
    table = w.counts.set_index("relay")
    assert set(table.index) == {"bigGuard", "smallGuard"}
    assert table.loc["bigGuard", "expected"] == pytest.approx(0.75)
    assert table.loc["bigGuard", "observed"] == pytest.approx(0.75, abs=0.04)
    assert table["drawn"].sum() == 2000
    assert "2000 paths drawn" in w._w_summary.value
    assert "bigGuard" in w._w_table.value


def test_picker_always_shows_the_biggest_relay_first() -> None:
    """Check the table lists the relays by weight share, biggest first, even one
    drawn less often than a smaller relay (or not at all)."""
    guards = [(f"guard{k}", ["Guard"], 100, "reject 1-65535", f"10.{k}", "")
              for k in range(1, 31)]
    rel = relay_table([
        ("biggest", ["Guard"], 400, "reject 1-65535", "10.99", ""), *guards,
        ("exitWeb", ["Exit"], 2000, "accept 80,443", "20.1", ""),
        ("midA", [], 1000, "reject 1-65535", "30.1", ""),
    ])
    for seed in range(8):
        w = RelayPicker(rel, W, draws=20, seed=seed, top=5)
        table = w.counts
        assert table["relay"].iloc[0] == "biggest"
        assert table["expected"].is_monotonic_decreasing
        assert table["expected"].iloc[0] == pytest.approx(400 / 3400)
        assert "the relay with the largest weight, biggest" in w.summary
    assert (RelayPicker(rel, W, draws=20, seed=0, top=31).counts["drawn"] == 0).any()


def test_picker_position_drop_down_switches_the_table(relays: pd.DataFrame) -> None:
    w = RelayPicker(relays, W, draws=200)
    w._w_position.value = "exit"
    assert w.counts["relay"].tolist() == ["exitWeb"]
    assert w.expected["exitMail"] == 0.0  # its policy refuses port 443
    w._w_position.value = "middle"
    assert set(w.counts["relay"]) <= {"midA", "midB", "smallGuard", "bigGuard", "exitMail"}
    assert "exitWeb" not in set(w.counts["relay"])  # already the exit of every path


def test_picker_button_draws_a_new_sample_of_the_chosen_size(relays: pd.DataFrame) -> None:
    w = RelayPicker(relays, W, draws=100, seed=5)
    before = w.paths
    w._w_draws.value = 300
    w._w_draw.click()
    assert len(w.paths) == 300
    w.value = {"draws": 100}
    w._w_draw.click()
    assert len(w.paths) == 100
    assert not w.paths.equals(before)


def test_picker_explains_an_impossible_network() -> None:
    crowded = relay_table([
        ("g", ["Guard"], 100, "reject 1-65535", "10.1", ""),
        ("e", ["Exit"], 100, "accept 443", "10.1", ""),  # same /16 as the only guard
    ])
    w = RelayPicker(crowded, W, draws=10)
    assert w.paths.empty and w.counts.empty
    assert w.summary.startswith("Cannot draw paths")
    assert "Cannot draw paths" in w._w_summary.value


# -- OnionInspector ---------------------------------------------------------------------

def test_inspector_splits_a_valid_address() -> None:
    w = OnionInspector()
    assert w.value == "" and w.verdict is None and w.listed is None
    w._w_text.value = GOOD
    assert w.parts.public_key == bytes(range(32))
    assert w.parts.version == 3
    assert w.checksum_ok and w.verdict.valid
    assert bytes(range(32)).hex() in w._w_result.value
    assert w.parts.checksum.hex() in w._w_result.value


def test_inspector_flags_a_bad_checksum() -> None:
    typo = GOOD[:10] + ("a" if GOOD[10] != "a" else "b") + GOOD[11:]
    w = OnionInspector(typo)
    assert w.parts is not None and not w.checksum_ok
    assert not w.verdict.valid
    assert "checksum" in w.summary
    assert "color:#b00" in w._w_result.value


def test_inspector_compares_with_the_signed_list() -> None:
    w = OnionInspector(official=[GOOD])
    w.value = "http://" + GOOD.upper() + "/"
    assert w.listed is True
    w._w_text.value = OTHER
    assert w.verdict.valid and w.listed is False
    assert "NOT on the signed mirror list" in w._w_result.value


def test_inspector_explains_text_that_is_no_address() -> None:
    w = OnionInspector("market.onion")
    assert w.parts is None and not w.checksum_ok
    assert "56" in w.summary
    with pytest.raises(ValueError):
        OnionInspector(official=GOOD)


@pytest.mark.parametrize("make", [
    lambda r: CircuitBuilder(r, W),
    lambda r: RelayPicker(r, W, draws=50),
    lambda r: OnionInspector(GOOD),
])
def test_day1_widgets_render_headless(make, relays: pd.DataFrame) -> None:
    bundle = make(relays)._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
