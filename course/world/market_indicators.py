"""Bitcoin addresses for market pages: real ones from the ledger, or placeholders.

The bitcoin generator shares each role's addresses in
``ctx.state["btc"]["addresses"][role]``. When it has not run, placeholder
addresses are derived here from the seed with bip-utils (valid P2WPKH and
P2PKH encodings of keys nobody holds; the ground truth marks them as
placeholders). Pages also carry *broken* look-alikes (one character changed)
that an extractor must reject by checksum.
"""

from __future__ import annotations

import hashlib
import random

from bip_utils import (
    Bip39MnemonicGenerator,
    P2PKHAddrDecoder,
    P2PKHAddrEncoder,
    P2SHAddrDecoder,
    P2TRAddrDecoder,
    P2WPKHAddrDecoder,
    P2WPKHAddrEncoder,
    Secp256k1PrivateKey,
)

from course.world.context import WorldContext

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def is_valid_btc_address(address: str) -> bool:
    """True if ``address`` is a checksum-valid mainnet P2PKH, P2SH, P2WPKH or P2TR address."""
    checks = (
        (P2PKHAddrDecoder, {"net_ver": b"\x00"}),
        (P2SHAddrDecoder, {"net_ver": b"\x05"}),
        (P2WPKHAddrDecoder, {"hrp": "bc", "wit_ver": 0}),
        (P2TRAddrDecoder, {"hrp": "bc"}),
    )
    for decoder, params in checks:
        try:
            decoder.DecodeAddr(address, **params)
        except Exception:  # noqa: BLE001 - bip-utils raises several types
            continue
        return True
    return False


def placeholder_addresses(seed: str, count: int) -> list[str]:
    """``count`` valid addresses (P2WPKH and P2PKH alternately) derived from ``seed``."""
    out = []
    for i in range(count):
        secret = hashlib.sha256(f"{seed}:{i}".encode()).digest()
        public = Secp256k1PrivateKey.FromBytes(secret).PublicKey()
        if i % 2 == 0:
            out.append(P2WPKHAddrEncoder.EncodeKey(public, hrp="bc", wit_ver=0))
        else:
            out.append(P2PKHAddrEncoder.EncodeKey(public, net_ver=b"\x00"))
    return out


def role_addresses(ctx: WorldContext, role: str, count: int) -> tuple[list[str], bool]:
    """Up to ``count`` addresses of ``role`` and whether they are placeholders."""
    shared = ((ctx.state.get("btc") or {}).get("addresses") or {}).get(role) or []
    found = []
    for item in shared:
        address = item.get("address") if isinstance(item, dict) else item
        if isinstance(address, str) and address not in found:
            found.append(address)
    if found:
        return found[:count], False
    return placeholder_addresses(f"{ctx.seed}:{role}:placeholder-btc", count), True


def broken_copy(rng: random.Random, address: str) -> str:
    """``address`` with one character changed so that its checksum fails."""
    alphabet = _BECH32 if address.lower().startswith("bc1") else _B58
    start = 4 if address.lower().startswith("bc1") else 1
    while True:
        chars = list(address)
        pos = rng.randrange(start, len(chars))
        chars[pos] = rng.choice(alphabet.replace(chars[pos], ""))
        broken = "".join(chars)
        if not is_valid_btc_address(broken):
            return broken


def placeholder_mnemonic(seed: str) -> str:
    """A valid 12-word BIP39 English mnemonic derived from ``seed`` (placeholder)."""
    entropy = hashlib.sha256(seed.encode()).digest()[:16]
    return str(Bip39MnemonicGenerator().FromEntropy(entropy))
