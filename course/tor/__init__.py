"""Day 1: Tor for investigators.

One concept a module:

``consensus``
    Read a network-status consensus with stem into a pandas table; flags,
    bandwidths, exit policies, families; check the authorities' signatures.
``pathsel``
    Bandwidth-weighted path selection (exit, guard, middle), the rules that
    keep one operator or network off two positions, guard probabilities.
``onion``
    v3 onion addresses: anatomy, checksum, validation, derivation from a key.
``layers``
    Onion routing: three layers of AES-CTR added by the client, peeled by
    each relay, and what each relay learns.
``mirrors``
    The onion addresses of a market's signed mirror lists that a key verifies.
``archive``
    Archived consensuses: was an IP address a relay at a given moment
    (ExoneraTor's question)?
"""

from __future__ import annotations
