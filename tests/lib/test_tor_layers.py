"""Layered AES-CTR encryption over a 3-hop circuit."""

from __future__ import annotations

import pytest

from course.tor import layers

MESSAGE = b"GET /shop/almaty HTTP/1.1\r\nHost: example.onion\r\n\r\n"


def test_round_trip_through_three_relays() -> None:
    """Check the exit reads exactly what the client sent, after three peels."""
    circuit = layers.make_circuit(seed=11)
    cell = layers.wrap(MESSAGE, circuit)
    assert len(cell) == layers.CELL_SIZE and MESSAGE not in cell
    for hop in circuit[:2]:
        cell = layers.peel(cell, hop)
    assert layers.peel_and_read(cell, circuit[2]) == MESSAGE


def test_each_relay_sees_only_its_layer() -> None:
    """Check the guard and middle cannot read the cell after removing their layer,
    and that no single key opens a fresh cell."""
    circuit = layers.make_circuit(seed=12)
    cell = layers.wrap(MESSAGE, circuit)
    after_guard = layers.peel(cell, circuit[0])
    after_middle = layers.peel(after_guard, circuit[1])
    assert layers.read_cell(cell) is None
    assert layers.read_cell(after_guard) is None
    assert layers.read_cell(after_middle) is None
    assert MESSAGE not in after_guard and MESSAGE not in after_middle
    for hop in circuit:
        assert layers.read_cell(layers.peel(cell, hop)) is None
    with pytest.raises(ValueError, match="still encrypted"):
        layers.peel_and_read(after_guard, circuit[1])


def test_layers_use_real_aes_ctr() -> None:
    """Check the outer layer is AES-CTR with the guard's key, not a toy cipher."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    circuit = layers.make_circuit(seed=13)
    inner = layers.make_cell(MESSAGE)
    for hop in reversed(circuit[1:]):
        enc = Cipher(algorithms.AES(hop.key), modes.CTR(hop.nonce)).encryptor()
        inner = enc.update(inner) + enc.finalize()
    guard = circuit[0]
    enc = Cipher(algorithms.AES(guard.key), modes.CTR(guard.nonce)).encryptor()
    assert layers.wrap(MESSAGE, circuit) == enc.update(inner) + enc.finalize()


def test_tampering_and_wrong_keys_are_detected() -> None:
    """Check a flipped bit or another circuit's key leaves the cell unreadable."""
    circuit = layers.make_circuit(seed=14)
    other = layers.make_circuit(seed=15)
    cell = bytearray(layers.wrap(MESSAGE, circuit))
    cell[20] ^= 1
    inner = bytes(cell)
    for hop in circuit:
        inner = layers.peel(inner, hop)
    assert layers.read_cell(inner) != MESSAGE
    inner = layers.wrap(MESSAGE, circuit)
    for hop in other:
        inner = layers.peel(inner, hop)
    assert layers.read_cell(inner) is None


def test_seeded_circuits_repeat_and_fresh_ones_differ() -> None:
    """Check a seed gives the same keys, no seed gives new ones."""
    assert layers.make_circuit(seed=1) == layers.make_circuit(seed=1)
    assert layers.make_circuit() != layers.make_circuit()


def test_trace_and_views() -> None:
    """Check the trace shows the message only at the exit, and the views who knows what."""
    circuit = layers.make_circuit(("G1", "M1", "E1"), seed=3)
    steps = layers.trace("hello", circuit)
    assert list(steps["layers_left"]) == [3, 2, 1, 0]
    assert steps["can_read"].tolist() == [False, False, False, True]
    assert steps["message"].tolist() == ["", "", "", "hello"]
    assert steps["first_bytes"].nunique() == 4
    views = layers.relay_views(circuit, "203.0.113.50", "shop.onion")
    assert views["receives_from"].tolist() == ["203.0.113.50", "G1", "M1"]
    assert views["sends_to"].tolist() == ["M1", "E1", "shop.onion"]
    assert views["reads_content"].tolist() == [False, False, True]


def test_bad_inputs_give_one_line_messages() -> None:
    """Check bad input raises ValueError with a message saying what was wrong."""
    circuit = layers.make_circuit(seed=1)
    with pytest.raises(ValueError, match="exactly 3 relays .* got 2"):
        layers.make_circuit(("a", "b"))
    with pytest.raises(ValueError, match="exactly 3 relays"):
        layers.wrap(b"x", circuit[:2])
    with pytest.raises(ValueError, match="at most 501"):
        layers.wrap(b"x" * 600, circuit)
    with pytest.raises(ValueError, match="text or bytes, got int"):
        layers.wrap(5, circuit)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="exactly 509 bytes, got 10"):
        layers.peel(b"0123456789", circuit[0])
    with pytest.raises(ValueError, match="16 or 32 bytes long, got 5"):
        layers.Hop("x", "guard", b"12345", bytes(16))
    with pytest.raises(ValueError, match="16 bytes long, got 3"):
        layers.Hop("x", "guard", bytes(16), b"abc")
    with pytest.raises(ValueError) as info:
        layers.wrap(b"x" * 600, circuit)
    assert "\n" not in str(info.value) and "600 bytes" in str(info.value)
