"""World-wide validity: every artefact of a built world, checked with independent tools.

One module over the files of the whole default world (not one generator's
output): stem parses the consensus with validation; every bitcoin address
in every text file - tables, JSON, notes, saved page text - decodes with
bip-utils, but for the deliberate look-alikes of two exercise files; every
txid is the double SHA-256 of its transaction's serialization; inputs =
outputs + fee and nothing is spent twice; every onion address passes the
v3 checksum (stem) but for the deliberate typo clones, and the valid clones
are on no signed mirror list; every PGP key parses with pysequoia and
distinct keys have distinct fingerprints; EXIF GPS round-trips through
Pillow; the seized seed phrases validate and derive ledger addresses.
Run with ``-s`` to see how many items each check covered.
"""

from __future__ import annotations

import hashlib
import io
import re

import pysequoia
import pytest
import stem.descriptor
import world_reference as ref
import world_reference_chain as chain
from bip_utils import Bip39MnemonicValidator
from PIL import Image
from stem.descriptor import DocumentHandler

from course.chain.tx import parse_tx
from course.world import DEFAULT_SEED, build_world
from course.world.bitcoin import TABLES, simulate
from course.world.bitcoin.export import LedgerSink
from course.world.context import WorldContext

ARMOR = re.compile(r"-----BEGIN ([A-Z ]+)-----.*?-----END \1-----", re.S)
#: a consensus's "r" lines hold base64 identities and digests, which can look like base58
ROUTER_LINE = re.compile(r"^r .*$", re.M)
BTC = re.compile(r"\b(?:bc1[02-9ac-hj-np-z]{8,87}|[13][1-9A-HJ-NP-Za-km-z]{25,34})\b")
#: exercise files that hold broken look-alikes on purpose (the trainee must reject them);
#: day 5 holds a byte-for-byte copy of day 2's listing page
LOOKALIKES = {
    (ref.D2, "data/pages/market_en/listing.html"),
    (ref.D3, "data/seized_notes.txt"),
    (ref.D5, "data/market_pages/market_en/listing.html"),
}
BINARY = (".jpg",)
#: Tor's binary key files of the seized onion service
KEY_FILES = ("hs_ed25519_public_key", "hs_ed25519_secret_key")


@pytest.fixture(scope="module")
def world():
    return build_world(DEFAULT_SEED)


@pytest.fixture(scope="module")
def texts(world) -> dict[tuple[str, str], str]:
    """Every text file of the world (binary files and Tor's key file left out)."""
    out = {}
    for key, data in world.files.items():
        if key[1].endswith(BINARY) or key[1].rsplit("/", 1)[-1] in KEY_FILES:
            continue
        out[key] = data.decode("utf-8")
    return out


def _report(what: str, n: int) -> None:
    print(f"\nvalidity: {what}: {n}")


def test_every_file_is_text_or_a_known_binary(world, texts) -> None:
    """Check the world has only UTF-8 text files, JPEGs and the onion key files."""
    assert len(texts) + sum(k[1].endswith(BINARY) for k in world.files) + len(KEY_FILES) == len(
        world.files)


def test_stem_parses_the_consensus_with_validation(world) -> None:
    """Check the consensus parses strictly with stem and its signatures verify."""
    data = world.files[(ref.D1, "data/tor/cached-consensus")]
    (doc,) = stem.descriptor.parse_file(io.BytesIO(data), "network-status-consensus-3 1.0",
                                        validate=True, document_handler=DocumentHandler.DOCUMENT)
    certs = list(stem.descriptor.parse_file(
        io.BytesIO(world.files[(ref.D1, "data/tor/cached-certs")]),
        "dir-key-certificate-3 1.0", validate=True))
    doc.validate_signatures(certs)
    _report("consensus relays parsed by stem", len(doc.routers))


def test_every_bitcoin_address_in_every_file_decodes(world, texts) -> None:
    """Check each address-like string of every text file decodes with bip-utils,
    except the deliberate look-alikes, which are then exactly the non-answers."""
    checked, broken = set(), {}
    for key, text in texts.items():
        for token in set(BTC.findall(ROUTER_LINE.sub(" ", ARMOR.sub(" ", text)))):
            if chain.address_type(token) is None:
                broken.setdefault(key, set()).add(token)
            else:
                checked.add(token)
    assert set(broken) <= LOOKALIKES, {k: sorted(v)[:3] for k, v in broken.items()
                                       if k not in LOOKALIKES}
    assert set(broken) == LOOKALIKES  # the look-alikes are there to be rejected
    outs = chain.ledger(ref.Files(world.files))["outputs"]
    assert set(outs[outs.address != ""].address) <= checked
    _report("distinct bitcoin addresses decoded (all files)", len(checked))
    _report("deliberate broken look-alikes", sum(len(v) for v in broken.values()))


def test_txids_values_and_spends(world) -> None:
    """Check txids are double SHA-256 of the serialization, inputs = outputs + fee,
    and no output is spent twice, over the whole ledger."""
    sink = LedgerSink({n: io.StringIO() for n in TABLES}, keep_all=True)
    simulate(WorldContext(seed=DEFAULT_SEED), sink)
    tables = chain.ledger(ref.Files(world.files))
    assert set(sink.kept) == set(tables["transactions"].txid)
    for txid, record in sink.kept.items():
        base = parse_tx(record.raw.hex()).serialize(include_witness=False)
        assert hashlib.sha256(hashlib.sha256(base).digest()).digest()[::-1].hex() == txid
    for rel in ("raw_tx_1.hex", "raw_tx_2.hex"):
        tx = parse_tx(world.files[(ref.D3, f"data/{rel}")].decode().strip())
        assert tx.txid in sink.kept
    ins, outs, txs = tables["inputs"], tables["outputs"], tables["transactions"]
    regular = txs[txs.is_coinbase == 0].set_index("txid")
    in_sum = ins.groupby("txid").value.sum().reindex(regular.index)
    out_sum = outs.groupby("txid").value.sum().reindex(regular.index)
    assert (in_sum == out_sum + regular.fee).all()
    assert not ins.duplicated(["prev_txid", "prev_vout"]).any()
    _report("transactions with txid = SHA256d(serialization)", len(sink.kept))


def test_onion_addresses_pass_the_checksum_but_the_clones(world, texts) -> None:
    """Check every onion address in every file passes stem's v3 checks, but the
    deliberate typo clones; valid clones are on no signed mirror list."""
    truth = world.truth["tor"]["onion"]
    typos, lookalikes = set(truth["typo_clones"]), set(truth["lookalike_clones"])
    found = {a for t in texts.values() for a in ref.ONION.findall(ARMOR.sub(" ", t))}
    found |= {a for t in texts.values() for a in ref.ONION.findall(t)}
    bad = {a for a in found if not ref.is_valid_onion(a)}
    assert bad <= typos and bad
    files = ref.Files(world.files)
    signed = set()
    for rel in files.names(ref.D1, "mirrors/"):
        if rel.endswith(".txt.asc"):
            market = rel.split("/")[-1].removesuffix(".txt.asc").removesuffix("_forum_repost")
            text = files.text(ref.D1, rel)
            if ref.verify_signed(text, files.text(ref.D1, f"mirrors/keys/{market}.asc")):
                signed |= set(ref.ONION.findall(text))
    assert not (lookalikes | typos) & signed
    _report("distinct onion addresses checked", len(found))
    _report("deliberate typo clones (fail the checksum)", len(bad))


def test_pgp_keys_parse_and_fingerprints_are_unique(world, texts) -> None:
    """Check every armored public key in the world parses with pysequoia, and one
    fingerprint never stands for two different keys."""
    keys: dict[str, set[str]] = {}
    for text in texts.values():
        for block in ARMOR.finditer(text):
            if block.group(1) != "PGP PUBLIC KEY BLOCK":
                continue
            cert = pysequoia.Cert.from_bytes(block.group(0).encode())
            keys.setdefault(cert.fingerprint, set()).add(str(cert))
    assert all(len(v) == 1 for v in keys.values())
    assert len(keys) >= 10
    _report("distinct OpenPGP keys parsed (fingerprints unique)", len(keys))


def test_exif_gps_round_trips_through_pillow(world) -> None:
    """Check each photo's EXIF GPS, read by Pillow, is the position the ground truth says."""
    facts = world.truth["photos"]["photos"]
    for fact in facts:
        image = Image.open(io.BytesIO(world.files[(ref.D2, f"data/{fact['file']}")]))
        position = ref._exif_position(image)
        if fact["stripped"]:
            assert position is None
            continue
        assert abs(position[0] - fact["lat"]) < 1e-5 and abs(position[1] - fact["lon"]) < 1e-5
    _report("photos with EXIF GPS round-tripped", sum(not f["stripped"] for f in facts))


def test_seed_phrases_validate_and_derive_ledger_addresses(world) -> None:
    """Check the day 3 courier phrase and the day 5 target phrase validate (BIP39)
    and derive addresses of the ledger."""
    files = ref.Files(world.files)
    outs = set(chain.ledger(files)["outputs"].address)
    phrases = {
        "courier (day 3)": (chain.day3(files)["day3_valid_seed_phrase"], ("bip84", "bip86")),
        "target (day 5)": (chain.day5(files)["day5_seed_phrase"], ("bip84",)),
    }
    for phrase, standards in phrases.values():
        assert Bip39MnemonicValidator().IsValid(phrase)
        derived = {a for s in standards for a in chain.derive(phrase, s, count=20)}
        assert derived & outs
    _report("seed phrases validated and derived", len(phrases))
