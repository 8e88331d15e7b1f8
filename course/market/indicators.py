"""Indicators in saved pages: bitcoin and onion addresses, PGP keys, contact handles.

Each indicator keeps the file and the place (character offset and line) where
it is written, so an investigator can show it in the saved page. Addresses are
kept only when their checksum is valid (:mod:`course.chain` for bitcoin,
:mod:`course.tor.onion` for onion v3): a string that merely looks like an
address is rejected, and listed as rejected when asked. PGP public key blocks
are read with pysequoia, a real OpenPGP implementation, and give the key's
fingerprint and the e-mail addresses of its user ids.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from html import unescape
from pathlib import Path

import pandas as pd
import pysequoia

from course.chain.addresses import is_valid_address as is_valid_btc
from course.messages import t
from course.tor.onion import is_valid_address as is_valid_onion

BTC = re.compile(r"(?<![\w])(?:[13][1-9A-HJ-NP-Za-km-z]{24,40}|(?i:bc1[02-9ac-hj-np-z]{8,87}))"
                 r"(?![\w])")
ONION = re.compile(r"(?<![\w])[a-zA-Z2-7]{56}\.onion(?![\w])")
KEY_BLOCK = re.compile(r"-----BEGIN PGP PUBLIC KEY BLOCK-----.*?-----END PGP PUBLIC KEY BLOCK-----",
                       re.S)
FINGERPRINT = re.compile(r"(?<![0-9A-Fa-f])(?:[0-9A-Fa-f]{4} ?){9}[0-9A-Fa-f]{4}(?![0-9A-Fa-f])")
SESSION = re.compile(r"(?<![0-9A-Fa-f])05[0-9a-f]{64}(?![0-9A-Fa-f])")
TELEGRAM = re.compile(r"(?<![\w@./])@([A-Za-z][A-Za-z0-9_]{3,31})(?![\w@])"
                      r"|(?<![\w.])(?:https?://)?t\.me/([A-Za-z][A-Za-z0-9_]{3,31})")
ADDRESS = re.compile(r"(?<![\w.@])((?:xmpp:|jabber:)?)([\w.+-]+@[\w-]+(?:\.[\w-]+)+)")
JABBER_HINTS = ("jabber", "xmpp", "jabb", "conversations.im", "xmpp.jp", "404.city")
KINDS = ("btc_address", "onion_address", "pgp_fingerprint", "telegram", "jabber", "session",
         "email")


@dataclass(frozen=True)
class Indicator:
    """One indicator written in a file."""

    kind: str
    value: str
    file: str
    offset: int
    line: int
    valid: bool = True
    note: str = ""


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _key_indicators(text: str, source: str) -> list[Indicator]:
    out = []
    for match in KEY_BLOCK.finditer(text):
        where = (match.start(), _line(text, match.start()))
        try:
            cert = pysequoia.Cert.from_bytes(unescape(match.group(0)).encode())
        except (RuntimeError, ValueError) as exc:
            out.append(Indicator("pgp_fingerprint", "", source, *where, False,
                                 t("market.ind.bad_key", reason=exc)))
            continue
        out.append(Indicator("pgp_fingerprint", cert.fingerprint.upper(), source, *where, True,
                             t("market.ind.from_key")))
        for uid in cert.user_ids:
            for _, email in ADDRESS.findall(str(uid.value if hasattr(uid, "value") else uid)):
                out.append(Indicator("email", email.lower(), source, *where, True,
                                     t("market.ind.from_uid")))
    return out


def extract_indicators(text: str, source: str, include_rejected: bool = False
                       ) -> list[Indicator]:
    """Every indicator in ``text`` (the raw text of file ``source``), in order.

    Parameters
    ----------
    include_rejected
        Also list address-like strings whose checksum fails (``valid=False``).
    """
    if not isinstance(text, str):
        raise ValueError(t("market.ind.not_text", kind=type(text).__name__))
    found: list[Indicator] = []

    def add(kind: str, value: str, offset: int, valid: bool = True, note: str = "") -> None:
        if valid or include_rejected:
            found.append(Indicator(kind, value, source, offset, _line(text, offset), valid, note))

    blocks = [m.span() for m in KEY_BLOCK.finditer(text)]

    def in_block(offset: int) -> bool:
        return any(a <= offset < b for a, b in blocks)

    for m in BTC.finditer(text):
        if not in_block(m.start()):
            add("btc_address", m.group(0), m.start(), is_valid_btc(m.group(0)))
    for m in ONION.finditer(text):
        add("onion_address", m.group(0).lower(), m.start(), is_valid_onion(m.group(0)))
    for m in SESSION.finditer(text):
        add("session", m.group(0), m.start())
    for m in FINGERPRINT.finditer(text):
        if not in_block(m.start()) and not SESSION.search(text, max(0, m.start() - 2),
                                                          m.end() + 66):
            add("pgp_fingerprint", m.group(0).replace(" ", "").upper(), m.start())
    for m in TELEGRAM.finditer(text):
        add("telegram", "@" + (m.group(1) or m.group(2)).lower(), m.start())
    for m in ADDRESS.finditer(text):
        scheme, address = m.groups()
        domain = address.rsplit("@", 1)[1].lower()
        jabber = bool(scheme) or any(h in domain for h in JABBER_HINTS)
        add("jabber" if jabber else "email", address.lower(), m.start())
    found += _key_indicators(text, source)
    return sorted(found, key=lambda i: (i.offset, i.kind))


def file_indicators(path: Path | str, root: Path | str | None = None,
                    include_rejected: bool = False) -> list[Indicator]:
    """:func:`extract_indicators` on a saved file (named relative to ``root``)."""
    path = Path(path)
    source = path.relative_to(root).as_posix() if root is not None else path.name
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(t("market.page.unreadable", file=source, reason=exc)) from None
    return extract_indicators(text, source, include_rejected)


def indicator_table(paths: list[Path] | Path | str, root: Path | str | None = None,
                    include_rejected: bool = False) -> pd.DataFrame:
    """All indicators of many files (or of every ``*.html`` under a folder), as a table."""
    if isinstance(paths, (str, Path)):
        folder = Path(paths)
        root = root if root is not None else folder
        paths = sorted(folder.rglob("*.html"))
    rows = [asdict(i) for p in paths for i in file_indicators(p, root, include_rejected)]
    return pd.DataFrame(rows, columns=list(Indicator.__dataclass_fields__))
