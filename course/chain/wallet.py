"""Wallets from seed phrases: BIP39 mnemonics and BIP32 derivation (BIP44/49/84/86).

A seized seed phrase is the wallet: 12 or 24 words from the BIP39 English
list encode random *entropy* plus a checksum (the first ENT/32 bits of its
SHA-256). A word that is not on the list is always caught. The checksum is
short, though: 4 bits for 12 words, 8 bits for 24. A 12-word phrase with one
wrong word that *is* on the list (or two words swapped) still passes about
1 time in 16; a 24-word phrase about 1 time in 256. A passing checksum
therefore does not prove the phrase was copied right: derive its addresses
and look for them in the ledger.
The phrase (with an optional passphrase) is stretched by PBKDF2-HMAC-SHA512
into a 64-byte seed; BIP32 derives a tree of keys from the seed, and the
derivation path picks the address type by convention:

======== ================== ===================== =========
standard path               address               starts
======== ================== ===================== =========
bip44    m/44'/0'/a'/c/i    P2PKH                 ``1``
bip49    m/49'/0'/a'/c/i    P2SH-P2WPKH           ``3``
bip84    m/84'/0'/a'/c/i    P2WPKH                ``bc1q``
bip86    m/86'/0'/a'/c/i    P2TR                  ``bc1p``
======== ================== ===================== =========

``c`` is 0 for receiving addresses and 1 for change. The mnemonic checks
are written out here to be read; the elliptic-curve derivation is left to
bip-utils. Never type a seized phrase into an online tool: whoever sees it
can take the coins, and the evidence with them.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from bip_utils import (
    Bip32Slip10Secp256k1,
    Bip44,
    Bip44Changes,
    Bip44Coins,
    Bip49,
    Bip49Coins,
    Bip84,
    Bip84Coins,
    Bip86,
    Bip86Coins,
)

from course.chain.addresses import P2PKH, P2SH, P2TR, P2WPKH
from course.messages import t

PBKDF2_ROUNDS = 2048
VALID_WORD_COUNTS = (12, 15, 18, 21, 24)

#: standard -> (bip-utils class, coin, address type, purpose)
STANDARDS: dict[str, tuple[type, object, str, int]] = {
    "bip44": (Bip44, Bip44Coins.BITCOIN, P2PKH, 44),
    "bip49": (Bip49, Bip49Coins.BITCOIN, P2SH, 49),
    "bip84": (Bip84, Bip84Coins.BITCOIN, P2WPKH, 84),
    "bip86": (Bip86, Bip86Coins.BITCOIN, P2TR, 86),
}


class MnemonicError(ValueError):
    """A seed phrase is not a valid BIP39 mnemonic; the message says why."""


@cache
def wordlist() -> tuple[str, ...]:
    """The 2048 words of the BIP39 English list (shipped with bip-utils)."""
    path = resources.files("bip_utils.bip.bip39") / "wordlist" / "english.txt"
    words = tuple(path.read_text(encoding="utf-8").split())
    if len(words) != 2048:
        raise RuntimeError("the BIP39 word list shipped with bip-utils is damaged")
    return words


def normalize_phrase(text: str) -> str:
    """Lower-case, NFKD-normalised words joined by single spaces."""
    return " ".join(unicodedata.normalize("NFKD", text).lower().split())


def mnemonic_from_entropy(entropy: bytes) -> str:
    """Encode 16-32 bytes of entropy as a BIP39 phrase (11 bits a word).

    Examples
    --------
    >>> mnemonic_from_entropy(bytes(16)).split()[-1]
    'about'
    """
    if len(entropy) not in (16, 20, 24, 28, 32):
        raise MnemonicError("BIP39 entropy is 16, 20, 24, 28 or 32 bytes")
    ent_bits = len(entropy) * 8
    cs_bits = ent_bits // 32
    checksum = hashlib.sha256(entropy).digest()[0] >> (8 - cs_bits)
    number = (int.from_bytes(entropy, "big") << cs_bits) | checksum
    count = (ent_bits + cs_bits) // 11
    words = wordlist()
    return " ".join(words[(number >> (11 * (count - 1 - i))) & 0x7FF] for i in range(count))


def check_mnemonic(phrase: str) -> bytes:
    """Verify a phrase's words and checksum; return its entropy.

    Raises
    ------
    MnemonicError
        With the reason: wrong number of words, a word not in the list, or
        a checksum mismatch (a mistyped, swapped or invented word).

    Notes
    -----
    The checksum has ``words * 11 // 33`` bits (4 for 12 words, 8 for 24),
    so one wrong word from the list passes about 1 time in 16 (12 words)
    or 1 in 256 (24 words).
    """
    words = normalize_phrase(phrase).split()
    if len(words) not in VALID_WORD_COUNTS:
        raise MnemonicError(t("chain.mnemonic.word_count", count=len(words)))
    index = {w: i for i, w in enumerate(wordlist())}
    unknown = [w for w in words if w not in index]
    if unknown:
        raise MnemonicError(t("chain.mnemonic.unknown_words", words=", ".join(unknown)))
    number = 0
    for word in words:
        number = (number << 11) | index[word]
    cs_bits = len(words) * 11 // 33
    entropy = (number >> cs_bits).to_bytes(cs_bits * 4, "big")
    if hashlib.sha256(entropy).digest()[0] >> (8 - cs_bits) != number & ((1 << cs_bits) - 1):
        raise MnemonicError(t("chain.mnemonic.checksum"))
    return entropy


def validate_mnemonic(phrase: str) -> bool:
    """True if ``phrase`` is a valid BIP39 English mnemonic.

    True means the words are on the list and the checksum matches; it does
    not prove every word is right (see :func:`check_mnemonic`).
    """
    try:
        check_mnemonic(phrase)
    except MnemonicError:
        return False
    return True


def seed_from_mnemonic(phrase: str, passphrase: str = "") -> bytes:
    """The 64-byte BIP39 seed: PBKDF2-HMAC-SHA512(phrase, "mnemonic" + passphrase, 2048)."""
    check_mnemonic(phrase)
    salt = ("mnemonic" + unicodedata.normalize("NFKD", passphrase)).encode()
    return hashlib.pbkdf2_hmac("sha512", normalize_phrase(phrase).encode(), salt, PBKDF2_ROUNDS)


@dataclass(frozen=True)
class DerivedAddress:
    """One derived address with its path and compressed public key."""

    path: str
    address: str
    type: str
    pubkey: bytes
    change: int
    index: int


class HDAccount:
    """One BIP44-style account of a wallet (``m/purpose'/0'/account'``).

    Parameters
    ----------
    seed
        The 64-byte BIP39 seed (see :func:`seed_from_mnemonic`).
    standard
        ``"bip44"``, ``"bip49"``, ``"bip84"`` or ``"bip86"``.
    account
        The account number (hardened).
    """

    def __init__(self, seed: bytes, standard: str = "bip84", account: int = 0) -> None:
        if standard not in STANDARDS:
            raise ValueError(f"unknown standard {standard!r}; use one of {', '.join(STANDARDS)}")
        cls, coin, self.type, self.purpose = STANDARDS[standard]
        self.standard, self.account = standard, account
        self._account = cls.FromSeed(seed, coin).Purpose().Coin().Account(account)
        self._chains = {
            0: self._account.Change(Bip44Changes.CHAIN_EXT),
            1: self._account.Change(Bip44Changes.CHAIN_INT),
        }

    @classmethod
    def from_mnemonic(
        cls, phrase: str, standard: str = "bip84", account: int = 0, passphrase: str = ""
    ) -> HDAccount:
        """Open the account of a seed phrase (validated first)."""
        return cls(seed_from_mnemonic(phrase, passphrase), standard, account)

    @property
    def xpub(self) -> str:
        """The account's extended public key (xpub/ypub/zpub by standard)."""
        return self._account.PublicKey().ToExtended()

    def address(self, change: int, index: int) -> DerivedAddress:
        """The address at ``.../change/index``."""
        node = self._chains[change].AddressIndex(index)
        path = f"m/{self.purpose}'/0'/{self.account}'/{change}/{index}"
        pub = node.PublicKey()
        return DerivedAddress(
            path, pub.ToAddress(), self.type, pub.RawCompressed().ToBytes(), change, index
        )

    def addresses(self, change: int = 0, count: int = 20, start: int = 0) -> list[DerivedAddress]:
        """``count`` consecutive addresses of the receiving (0) or change (1) chain."""
        return [self.address(change, i) for i in range(start, start + count)]


def derive_addresses(
    phrase: str,
    standard: str = "bip84",
    count: int = 20,
    change: int = 0,
    account: int = 0,
    passphrase: str = "",
) -> list[str]:
    """The first ``count`` addresses of one chain of a seed phrase's account.

    Examples
    --------
    >>> phrase = "abandon " * 11 + "about"
    >>> derive_addresses(phrase, "bip84", count=1)
    ['bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu']
    """
    acct = HDAccount.from_mnemonic(phrase, standard, account, passphrase)
    return [a.address for a in acct.addresses(change, count)]


def extended_keys(seed: bytes, path: str) -> tuple[str, str]:
    """The extended public and private key (``xpub...``, ``xprv...``) at a BIP32 path.

    ``path`` is written ``m/0H/1`` or ``m/0'/1`` (H or ' marks a hardened step).
    The xpub is what a watch-only wallet (and an explorer) can be given: it
    shows every address below it and their history, but cannot spend.

    Raises
    ------
    ValueError
        If the path is not of the form ``m/<index>[H]/...``.
    """
    text = path.strip().replace("H", "'").replace("h", "'")
    try:
        node = Bip32Slip10Secp256k1.FromSeed(seed).DerivePath(text)
    except Exception:  # bip-utils raises its own error classes for a bad path or seed
        raise ValueError(t("chain.wallet.bad_path", path=path)) from None
    return node.PublicKey().ToExtended(), node.PrivateKey().ToExtended()
