"""Checking OpenPGP signatures on captured documents (e.g. a market's mirror list)."""

from __future__ import annotations

from pathlib import Path

import pysequoia


def verified_text(signed: Path | str, key: Path | str) -> str | None:
    """Return the signed text of ``signed`` if ``key`` made a valid signature on it.

    Parameters
    ----------
    signed
        A cleartext-signed file (``-----BEGIN PGP SIGNED MESSAGE-----``).
    key
        An armored public key file.

    Returns
    -------
    str or None
        The text the signature covers, or ``None`` when the signature is not
        by this key, the text was changed after signing, or the file is not
        signed at all.

    Raises
    ------
    ValueError
        If ``key`` is not a readable OpenPGP key (one line, naming the file).
    """
    try:
        cert = pysequoia.Cert.from_bytes(Path(key).read_bytes())
    except (RuntimeError, ValueError, OSError) as exc:
        raise ValueError(f"{key} is not a readable OpenPGP key ({exc})") from None
    try:
        result = pysequoia.verify(bytes=Path(signed).read_bytes(), store=lambda ids: [cert])
    except (RuntimeError, ValueError):
        return None
    return result.bytes.decode("utf-8")
