"""Keys and wallets of the bitcoin world, and the placeholder unlocking data.

Two kinds of key source:

* :class:`HDKeys` - a real BIP39 phrase made from entropy bytes drawn from a
  seeded stream, and BIP32 derivation through :class:`course.chain.wallet.HDAccount`.
  Used for every role of the cast (markets, vendors, services, the courier),
  so that a seized phrase really derives the addresses found in the ledger.
* :class:`FastKeys` - background keys: valid secp256k1 points found by
  hashing a seed and a counter until the hash is an x coordinate on the
  curve (try-and-increment). Nobody holds their private keys; they exist so
  that a million-transaction ledger can be made in minutes.

Signatures are **placeholders**: well-formed (a DER ECDSA signature with
SIGHASH_ALL of the usual 71 bytes, or a 64-byte Schnorr signature) but made
of hash bytes, not signed. Everything else - public keys, redeem scripts,
scriptPubKeys, the txid over the real serialization - is real, and a
public key in a witness does hash to the address it spends from.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field

import coincurve  # a dependency of bip-utils: libsecp256k1

from course.chain.addresses import (
    P2PKH,
    P2SH,
    P2TR,
    P2WPKH,
    hash160,
    p2pkh_address,
    p2sh_p2wpkh_address,
    p2tr_address,
    p2wpkh_address,
)
from course.chain.wallet import HDAccount, mnemonic_from_entropy, seed_from_mnemonic

#: BIP standard used by wallets of each address type
STANDARD_OF_TYPE = {P2PKH: "bip44", P2SH: "bip49", P2WPKH: "bip84", P2TR: "bip86"}


@dataclass(slots=True)
class Key:
    """One address with what is needed to spend from it.

    ``pubkey`` is the 33-byte compressed key (32-byte x-only output key for P2TR).
    """

    address: str
    type: str
    pubkey: bytes
    script: bytes


def script_for(kind: str, pubkey: bytes) -> bytes:
    """The scriptPubKey of a key of address type ``kind``."""
    if kind == P2PKH:
        return b"\x76\xa9\x14" + hash160(pubkey) + b"\x88\xac"
    if kind == P2SH:
        return b"\xa9\x14" + hash160(b"\x00\x14" + hash160(pubkey)) + b"\x87"
    if kind == P2WPKH:
        return b"\x00\x14" + hash160(pubkey)
    return b"\x51\x20" + pubkey


def make_key(kind: str, pubkey: bytes) -> Key:
    """Build the address and script of ``pubkey`` for address type ``kind``."""
    encode = {P2PKH: p2pkh_address, P2SH: p2sh_p2wpkh_address, P2WPKH: p2wpkh_address}
    address = p2tr_address(pubkey) if kind == P2TR else encode[kind](pubkey)
    return Key(address, kind, pubkey, script_for(kind, pubkey))


def _der_placeholder(material: bytes) -> bytes:
    digest = hashlib.sha512(material).digest()
    r = bytes([(digest[0] & 0x7F) | 0x01]) + digest[1:32]
    s = bytes([(digest[32] & 0x3F) | 0x01]) + digest[33:64]  # low-S
    return b"\x30\x44\x02\x20" + r + b"\x02\x20" + s + b"\x01"


def unlocking_data(key: Key, material: bytes) -> tuple[bytes, list[bytes]]:
    """(scriptSig, witness) spending an output of ``key``, with a placeholder signature.

    ``material`` (e.g. the outpoint) makes each placeholder signature distinct.
    """
    if key.type == P2TR:
        return b"", [hashlib.sha512(material).digest()]
    sig = _der_placeholder(material)
    if key.type == P2PKH:
        return bytes([len(sig)]) + sig + bytes([len(key.pubkey)]) + key.pubkey, []
    if key.type == P2SH:
        return b"\x16\x00\x14" + hash160(key.pubkey), [sig, key.pubkey]
    return b"", [sig, key.pubkey]


def _on_curve_x(x: bytes) -> bool:
    """True if ``x`` is the x coordinate of a secp256k1 point (libsecp256k1 decides)."""
    try:
        coincurve.PublicKey(b"\x02" + x)
    except ValueError:
        return False
    return True


class FastKeys:
    """Background keys of one owner: valid curve points from hashing, one address type."""

    def __init__(self, seed: bytes, kind: str) -> None:
        self.seed, self.kind, self.counter = seed, kind, 0

    def new_key(self, change: bool = False) -> Key:
        """A fresh key (``change`` is ignored: background wallets are not HD)."""
        self.counter += 1
        digest = hashlib.sha256(self.seed + self.counter.to_bytes(8, "big")).digest()
        while not _on_curve_x(digest):
            digest = hashlib.sha256(digest).digest()
        if self.kind == P2TR:
            return make_key(P2TR, digest)
        return make_key(self.kind, bytes([2 + (digest[0] & 1)]) + digest)


class HDKeys:
    """The keys of an HD wallet made from a BIP39 phrase; receive and change chains."""

    def __init__(self, rng: random.Random, kind: str = P2WPKH, words: int = 12) -> None:
        entropy = rng.getrandbits(words * 32 // 3).to_bytes(words * 4 // 3, "big")
        self._open(mnemonic_from_entropy(entropy), kind)

    @classmethod
    def from_phrase(cls, phrase: str, kind: str, account: int = 0) -> HDKeys:
        """Another account of an existing phrase (one seed, several standards or accounts)."""
        keys = cls.__new__(cls)
        keys._open(phrase, kind, account)
        return keys

    def _open(self, phrase: str, kind: str, account: int = 0) -> None:
        self.phrase = phrase
        self.kind = kind
        self.standard = STANDARD_OF_TYPE[kind]
        self.account = HDAccount(seed_from_mnemonic(self.phrase), self.standard, account)
        self.next_index = {0: 0, 1: 0}

    def new_key(self, change: bool = False) -> Key:
        """The next unused address of the receive (or change) chain."""
        chain = 1 if change else 0
        derived = self.account.address(chain, self.next_index[chain])
        self.next_index[chain] += 1
        pubkey = derived.pubkey
        if self.kind == P2TR:
            pubkey = _taproot_program(derived.address)
        return Key(derived.address, self.kind, pubkey, script_for(self.kind, pubkey))


def _taproot_program(address: str) -> bytes:
    from course.chain.bech32 import segwit_decode

    return segwit_decode("bc", address)[1]


@dataclass(slots=True, eq=False)
class Coin:
    """An unspent output: where it is, what it holds, and the key that can spend it."""

    txid: str
    vout: int
    value: int
    key: Key
    height: int
    coinbase: bool = False


@dataclass(eq=False)
class Wallet:
    """What one owner (a role of the world) holds and how its software behaves.

    Parameters
    ----------
    owner
        The role id recorded as the true owner (``vendor_target``, ``user_0042`` ...).
    keys
        Where new addresses come from.
    reuse
        If set, every receive and change goes back to this one key
        (exchange hot wallets, careless users): address reuse.
    """

    owner: str
    keys: HDKeys | FastKeys
    reuse: Key | None = None
    #: confirmed unspent outputs, oldest first (a dict used as an ordered set)
    coins: dict[Coin, None] = field(default_factory=dict)
    known: list[Key] = field(default_factory=list)

    def receive(self) -> Key:
        """An address to be paid to (the reused one, if the wallet reuses)."""
        if self.reuse is not None:
            return self.reuse
        return self._new(change=False)

    def _new(self, change: bool) -> Key:
        key = self.keys.new_key(change=change)
        if isinstance(self.keys, HDKeys):  # background wallets keep no list (scale)
            self.known.append(key)
        return key

    def change(self) -> Key:
        """An address for change."""
        if self.reuse is not None:
            return self.reuse
        return self._new(change=True)

    def fixed(self) -> Key:
        """Make the wallet reuse one address from now on and return it."""
        if self.reuse is None:
            self.reuse = self._new(change=False)
        return self.reuse

    @property
    def balance(self) -> int:
        """Sum of the confirmed unspent outputs."""
        return sum(c.value for c in self.coins)
