"""Transactions: serialization, txid and parsing, checked on a real mainnet transaction."""

from __future__ import annotations

import hashlib

import pytest

from course.chain.tx import Transaction, TxIn, TxOut, TxParseError, merkle_root, parse_tx, varint

# the first bitcoin transaction between people: block 170, Satoshi -> Hal Finney
BLOCK_170_TX = (
    "0100000001c997a5e56e104102fa209c6a852dd90660a20b2d9c352423edce25857fcd3704000000004847304402"
    "204e45e16932b8af514961a1d3a1a25fdf3f4f7732e9d624c6c61548ab5fb8cd410220181522ec8eca07de4860a4"
    "acdd12909d831cc56cbbac4622082221a8768d1d0901ffffffff0200ca9a3b00000000434104ae1a62fe09c5f51b"
    "13905f07f06b99a2f7159b2225f374cd378d71302fa28414e7aab37397f554a7df5f142c21c1b7303b8a0626f1ba"
    "ded5c72a704f7e6cd84cac00286bee0000000043410411db93e1dcdb8a016b49840f8c53bc1eb68a382e97b1482e"
    "cad7b148a6909a5cb2e0eaddfb84ccf9744464f82e160bfa9b8b64f9d4c03f999b8643f656b412a3ac00000000"
)
BLOCK_170_TXID = "f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16"


def test_real_legacy_transaction_parses_and_hashes_to_its_txid():
    tx = parse_tx(BLOCK_170_TX)
    assert tx.txid == BLOCK_170_TXID
    assert [o.value for o in tx.outputs] == [10 * 10**8, 40 * 10**8]
    assert tx.to_hex() == BLOCK_170_TX
    assert not tx.has_witness and tx.vsize == tx.size


def _segwit_tx() -> Transaction:
    return Transaction(
        inputs=[
            TxIn("ab" * 32, 1, b"", 0xFFFFFFFD, [b"\x30" * 71, b"\x02" * 33]),
            TxIn("cd" * 32, 0, b"\x16\x00\x14" + b"\x11" * 20, 0xFFFFFFFF, [b"s" * 64]),
        ],
        outputs=[TxOut(12_345, b"\x00\x14" + b"\x22" * 20), TxOut(0, b"\x6a\x02hi")],
    )


def test_segwit_txid_ignores_the_witness_and_roundtrips():
    tx = _segwit_tx()
    raw = tx.serialize()
    assert raw[4:6] == b"\x00\x01"
    base = tx.serialize(include_witness=False)
    assert tx.txid == hashlib.sha256(hashlib.sha256(base).digest()).digest()[::-1].hex()
    assert tx.wtxid != tx.txid
    again = parse_tx(raw.hex())
    assert again == tx and again.txid == tx.txid
    tx.inputs[0].witness = [b"\x31" * 72]
    assert tx.txid == again.txid and tx.wtxid != again.wtxid
    assert tx.weight == 3 * len(base) + len(tx.serialize())


def test_varint_boundaries():
    assert varint(0xFC) == b"\xfc"
    assert varint(0xFD) == b"\xfd\xfd\x00"
    assert varint(0x10000) == b"\xfe\x00\x00\x01\x00"


def test_parse_errors_are_explained():
    with pytest.raises(TxParseError, match="hexadecimal"):
        parse_tx("zz")
    with pytest.raises(TxParseError, match="ends early"):
        parse_tx(BLOCK_170_TX[:-10])
    with pytest.raises(TxParseError, match="left over"):
        parse_tx(BLOCK_170_TX + "00")


def test_merkle_root_of_block_170():
    coinbase = "b1fea52486ce0c62bb442b530a3f0132b826c74e473d1f2c220bfa78111c5082"
    root = "7dac2c5666815c17a3b36427de37bb9d2e2c5ccec3f8633eb91a4205cb4c10ff"
    assert merkle_root([coinbase, BLOCK_170_TXID]) == root
    assert merkle_root([coinbase]) == coinbase
