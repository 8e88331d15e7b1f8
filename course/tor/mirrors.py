"""A market's signed mirror lists: which onion addresses the operator vouches for.

Markets publish their addresses in a text signed with the operator's
OpenPGP key. Only addresses in a text whose signature a known key verifies
count as official; a list whose signature fails (altered after signing, or
signed by another key) vouches for nothing.

Examples
--------
>>> verified_addresses([], [])
[]
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from course.pgp import verified_text
from course.tor.onion import find_addresses

__all__ = ["verified_addresses"]


def verified_addresses(mirror_lists: Iterable[Path | str],
                       keys: Iterable[Path | str]) -> list[str]:
    """Every onion address of the lists that one of ``keys`` verifies, sorted.

    Parameters
    ----------
    mirror_lists
        Cleartext-signed mirror lists (``.txt.asc``).
    keys
        The operators' armored public keys.

    Raises
    ------
    ValueError
        If a key file is not a readable OpenPGP key.
    """
    keys = list(keys)
    found: set[str] = set()
    for path in mirror_lists:
        for key in keys:
            text = verified_text(path, key)
            if text is not None:
                found.update(find_addresses(text))
    return sorted(found)
