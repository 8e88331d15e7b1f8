"""The stablecoin cash-out leg of the case: USDT (TRC-20) on Tron, for Day 3.

The target keeps USDT in a Tron wallet opened from the same seed phrase as
the bitcoin wallet on the seized phone (multi-coin wallets derive Tron at
``m/44'/195'/0'/0/0``). Buyers pay it in USDT, two of them straight from an
exchange's hot wallet (tagged by the explorer); it pays the courier's wages
to the Tron address written in the courier's notes; and it sells the rest to
the instant exchanger in one transfer. Noise a real export has: a zero-value
``transferFrom`` from an address-poisoning look-alike of the exchanger's
address (same first seven and last three characters), and a fake "USDT"
token sent from another contract.

The export is the Tronscan API's answer for TRC-20 transfers of one address
(``/api/token_trc20/transfers?relatedAddress=...``): ``total``,
``rangeTotal``, ``contractInfo`` and ``token_transfers``, newest first, with
amounts as integer strings (``quant``) in the token's smallest unit. Addresses
are real Base58Check Tron addresses; transaction ids are random-looking
identifiers (no Tron transaction is serialized).

Files (``day3-crypto-basics/data/tron/``): ``trc20_transfers.json`` and
``questions.json`` (the wallet, and the exchanger's address as its Telegram
channel advertises it). Key entries ``day3_tron_*``.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bip_utils import Bip39SeedGenerator, Bip44, Bip44Changes, Bip44Coins

from course.chain.base58 import b58check_encode, sha256d
from course.chain.tron import (
    TRON_VERSION,
    USDT_CONTRACT,
    extract_tron_addresses,
    tron_address_from_pubkey,
    tron_base58_to_hex,
)
from course.world import cast
from course.world.context import WorldContext
from course.world.names import names

DAY3 = "day3-crypto-basics"
TRANSFERS_FILE = "data/tron/trc20_transfers.json"
QUESTIONS_FILE = "data/tron/questions.json"
NOTES_FILE = "data/seized_notes.txt"
TRON_PATH = "m/44'/195'/0'/0/0"
USDT_DECIMALS = 6
#: Tronscan's record of the USDT contract (tokenInfo of every USDT transfer)
USDT_INFO = {
    "tokenId": USDT_CONTRACT,
    "tokenAbbr": "USDT",
    "tokenName": "Tether USD",
    "tokenDecimal": USDT_DECIMALS,
    "tokenCanShow": 1,
    "tokenType": "trc20",
    "tokenLogo": "https://static.tronscan.org/production/logo/usdtlogo.png",
    "tokenLevel": "2",
    "issuerAddr": "THPvaUhoh2Qn2y9THCZML3H815hhFhn5YC",
    "vip": True,
}
#: a real block and its time (Tronscan), and Tron's 3-second block interval
REFERENCE_BLOCK = (66024909, 1728723540000)
BLOCK_MS = 3000
PERIOD = (datetime(2025, 9, 1, tzinfo=UTC), datetime(2025, 11, 28, tzinfo=UTC))
LOOK_ALIKE_PREFIX_BYTES = 6  # fixes the first seven Base58 characters
LOOK_ALIKE_SUFFIX_CHARS = 3
TRANSFER = "transfer(address _to,uint256 _value)"
TRANSFER_FROM = "transferFrom(address _from,address _to,uint256 _value)"


@dataclass(frozen=True)
class Transfer:
    """One TRC-20 transfer of the story, before it is dressed as Tronscan shows it."""

    ms: int
    sender: str
    receiver: str
    units: int  # smallest unit: USDT has 6 decimals
    kind: str  # "buyer", "exchange", "wages", "exchanger", "poison", "fake_token"
    contract: str = USDT_CONTRACT


def tron_wallet_of_phrase(phrase: str, passphrase: str = "") -> str:
    """The Tron address a multi-coin wallet opens first for a phrase (``m/44'/195'/0'/0/0``)."""
    seed = Bip39SeedGenerator(phrase).Generate(passphrase)
    node = Bip44.FromSeed(seed, Bip44Coins.TRON).Purpose().Coin().Account(0)
    pub = node.Change(Bip44Changes.CHAIN_EXT).AddressIndex(0).PublicKey()
    return tron_address_from_pubkey(pub.RawCompressed().ToBytes())


def random_address(rng: random.Random) -> str:
    """A valid Tron address of random 20 bytes (nobody's key)."""
    return b58check_encode(bytes([TRON_VERSION]) + rng.randbytes(20))


def look_alike(rng: random.Random, address: str) -> str:
    """An address-poisoning look-alike: same first seven and last three characters.

    The first bytes fix the start; the end depends on the checksum, so random
    tails are tried until the last characters match (about 58**3 tries).
    """
    payload = bytes.fromhex(tron_base58_to_hex(address))
    target = int.from_bytes(payload + sha256d(payload)[:4], "big") % 58**LOOK_ALIKE_SUFFIX_CHARS
    head = payload[:LOOK_ALIKE_PREFIX_BYTES]
    while True:
        candidate = head + rng.randbytes(21 - LOOK_ALIKE_PREFIX_BYTES)
        number = int.from_bytes(candidate + sha256d(candidate)[:4], "big")
        if number % 58**LOOK_ALIKE_SUFFIX_CHARS == target and candidate != payload:
            text = b58check_encode(candidate)
            if text[:7] == address[:7]:
                return text


def block_of(ms: int) -> int:
    """The Tron block near a time (one block every three seconds)."""
    block, at = REFERENCE_BLOCK
    return block + (ms - at) // BLOCK_MS


def _ms(rng: random.Random, start: datetime, end: datetime) -> int:
    lo, hi = int(start.timestamp()), int(end.timestamp())
    return rng.randrange(lo, hi) // 3 * 3 * 1000  # on a block boundary second


def _usdt(rng: random.Random, lo: int, hi: int) -> int:
    """A random amount in whole cents, in the token's smallest unit."""
    return rng.randrange(lo * 100, hi * 100) * 10 ** (USDT_DECIMALS - 2)


def plan(ctx: WorldContext) -> dict:
    """The story's transfers and the addresses they involve."""
    rng = ctx.rng("tron")
    btc = ctx.state["btc"]
    wallet = tron_wallet_of_phrase(btc["seized_seed_phrase"])
    notes = ctx.files[(DAY3, NOTES_FILE)].decode("utf-8")
    courier = extract_tron_addresses(notes)[0]
    exchanger = random_address(rng)
    poisoner = look_alike(rng, exchanger)
    hot_wallet = random_address(rng)
    fake_contract = random_address(rng)
    start, end = PERIOD
    mid = datetime(2025, 10, 20, tzinfo=UTC)
    buyers = [random_address(rng) for _ in range(6)]
    transfers: list[Transfer] = []
    for _ in range(9):
        transfers.append(Transfer(_ms(rng, start, mid), rng.choice(buyers), wallet,
                                  _usdt(rng, 40, 650), "buyer"))
    for _ in range(2):
        transfers.append(Transfer(_ms(rng, start, mid), hot_wallet, wallet,
                                  _usdt(rng, 120, 480), "exchange"))
    received = sum(t.units for t in transfers)
    wages = [rng.choice((150, 180, 200, 250)) * 10**USDT_DECIMALS for _ in range(3)]
    for units in wages:
        transfers.append(Transfer(_ms(rng, mid, datetime(2025, 11, 20, tzinfo=UTC)), wallet,
                                  courier, units, "wages"))
    left = received - sum(wages)
    cashout_ms = _ms(rng, datetime(2025, 11, 21, tzinfo=UTC), datetime(2025, 11, 25, tzinfo=UTC))
    cashout = Transfer(cashout_ms, wallet, exchanger,
                       left // (50 * 10**USDT_DECIMALS) * 50 * 10**USDT_DECIMALS, "exchanger")
    transfers.append(cashout)
    transfers.append(Transfer(cashout_ms + rng.randrange(20, 90) * BLOCK_MS, wallet, poisoner, 0,
                              "poison"))
    transfers.append(Transfer(_ms(rng, start, end), random_address(rng), wallet,
                              10_000 * 10**USDT_DECIMALS, "fake_token", fake_contract))
    transfers.sort(key=lambda t: (-t.ms, t.kind))
    return {
        "wallet": wallet,
        "courier": courier,
        "exchanger": exchanger,
        "poisoner": poisoner,
        "hot_wallet": hot_wallet,
        "fake_contract": fake_contract,
        "transfers": transfers,
        "cashout": cashout,
        "received_units": received,
    }


def _transfer_id(ctx: WorldContext, t: Transfer) -> str:
    text = f"{ctx.seed}:{t.ms}:{t.sender}:{t.receiver}:{t.units}:{t.contract}"
    return hashlib.sha256(text.encode()).hexdigest()


def _word(address: str) -> str:
    """A 32-byte ABI word of an address (Tronscan keeps the 0x41 byte, as here)."""
    return tron_base58_to_hex(address).rjust(64, "0")


def tronscan_record(ctx: WorldContext, t: Transfer, tags: dict[str, str]) -> dict:
    """One entry of ``token_transfers`` in the Tronscan API's shape."""
    value_word = f"{t.units:064x}"
    if t.kind == "poison":
        method, params = TRANSFER_FROM, {"_from": t.sender, "_to": t.receiver, "_value": "0"}
        data = "23b872dd" + _word(t.sender) + _word(t.receiver) + value_word
    else:
        method, params = TRANSFER, {"_value": str(t.units), "_to": t.receiver}
        data = "a9059cbb" + _word(t.receiver) + value_word
    token = dict(USDT_INFO)
    if t.contract != USDT_CONTRACT:
        token.update(tokenId=t.contract, tokenLogo="", tokenLevel="0", vip=False,
                     issuerAddr=t.sender)
    return {
        "transaction_id": _transfer_id(ctx, t),
        "status": 0,
        "block_ts": t.ms,
        "from_address": t.sender,
        "from_address_tag": {"from_address_tag": tags.get(t.sender, ""),
                             "from_address_tag_logo": ""},
        "to_address": t.receiver,
        "to_address_tag": {"to_address_tag_logo": "", "to_address_tag": tags.get(t.receiver, "")},
        "block": block_of(t.ms),
        "contract_address": t.contract,
        "trigger_info": {
            "method": method,
            "data": data,
            "parameter": params,
            "methodName": method.split("(")[0],
            "contract_address": t.contract,
            "call_value": 0,
        },
        "quant": str(t.units),
        "approval_amount": "0",
        "event_type": "Transfer",
        "confirmed": True,
        "contractRet": "SUCCESS",
        "finalResult": "SUCCESS",
        "tokenInfo": token,
        "revert": False,
        "contract_type": "trc20",
        "fromAddressIsContract": False,
        "toAddressIsContract": False,
        "riskTransaction": False,
    }


def _dump(obj: object) -> str:
    return json.dumps(obj, indent=1, ensure_ascii=False) + "\n"


def generate(ctx: WorldContext) -> None:
    """Write the Tron export and questions of Day 3, its answers and its ground truth."""
    story = plan(ctx)
    label = names(ctx)
    tags = {story["hot_wallet"]: f"{label[cast.EXCHANGE_OTHER]}-Hot 2"}
    records = [tronscan_record(ctx, t, tags) for t in story["transfers"]]
    export = {
        "total": len(records),
        "rangeTotal": len(records),
        "contractInfo": {},
        "token_transfers": records,
    }
    ctx.add_file(DAY3, TRANSFERS_FILE, _dump(export))
    questions = {
        "wallet": story["wallet"],
        "transfers": "tron/trc20_transfers.json",
        "exchanger": label[cast.INSTANT_EXCHANGER],
        "exchanger_usdt_address": story["exchanger"],
        "exchanger_address_source": (
            "pinned message of the exchanger's Telegram channel, captured 2025-11-26"
        ),
    }
    ctx.add_file(DAY3, QUESTIONS_FILE, _dump(questions))

    cashout = story["cashout"]
    wallet_hex = tron_base58_to_hex(story["wallet"])
    ctx.add_answer(
        "day3_tron_wallet_hex",
        [wallet_hex, wallet_hex.upper()],
        compare="one_of",
        hint="Decode the Base58Check address and write its 21 bytes as hex: 41 and 40 digits.",
    )
    ctx.add_answer(
        "day3_tron_exchanger_txid",
        _transfer_id(ctx, cashout),
        hint=(
            "Keep the USDT contract's transfers whose to_address is exactly the exchanger's "
            "address (a look-alike shares only its first and last characters)."
        ),
    )
    ctx.add_answer(
        "day3_tron_exchanger_usdt",
        cashout.units / 10**USDT_DECIMALS,
        compare="float",
        tolerance=0.005,
        hint="quant is in millionths of a USDT: divide by 10**6 (tokenDecimal).",
    )
    ctx.add_answer(
        "day3_tron_usdt_received",
        story["received_units"] / 10**USDT_DECIMALS,
        compare="float",
        tolerance=0.005,
        hint=(
            "Add quant / 10**6 of the transfers to the wallet whose contract_address is the "
            "USDT contract (a token can call itself USDT without being it)."
        ),
    )
    ctx.add_truth(
        "tron",
        {
            "wallet": story["wallet"],
            "wallet_path": TRON_PATH,
            "courier": story["courier"],
            "exchanger": story["exchanger"],
            "poisoner": story["poisoner"],
            "fake_contract": story["fake_contract"],
            "hot_wallet": story["hot_wallet"],
            "cashout_txid": _transfer_id(ctx, cashout),
            "wages_usdt": [t.units / 10**USDT_DECIMALS for t in story["transfers"]
                           if t.kind == "wages"],
        },
    )
    ctx.state["tron"] = {k: story[k] for k in ("wallet", "courier", "exchanger")}
