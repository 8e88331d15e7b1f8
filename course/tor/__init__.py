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
"""

from __future__ import annotations
