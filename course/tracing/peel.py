"""Peel chains: a large amount paid out in small slices, one transaction at a time.

A peel chain starts from one large output. Each step spends it with one
input and two outputs: a small *peel* paid to someone, and the large rest
(the change) that the next step spends again. It ends when the rest is swept
to one place (a single output: often an exchange deposit), is left unspent,
or is merged with other coins. Vendors and launderers cash out this way, and
exchanges' withdrawal wallets look the same (Kappos et al., "How to Peel a
Million: Validating and Expanding Bitcoin Clusters", USENIX Security 2022).

:func:`follow` walks a chain from its first transaction, taking the larger
output as the continuation at each step (the peel is the small one), and
says why it stopped.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np

from course.findings import Finding
from course.messages import t
from course.tracing.coinjoin import pattern
from course.tracing.ledger import Ledger

#: why a chain ended
ENDS = ("sweep", "unspent", "merged", "coinjoin", "service", "max_hops")
MAX_HOPS = 10_000


@dataclass
class PeelChain:
    """A followed chain.

    Attributes
    ----------
    txids
        The chain's transactions in order, the first and the last included.
    peels
        ``(address, satoshis)`` paid off at each step (the smaller outputs).
    end
        Why it stopped: one of :data:`ENDS`.
    final_address
        Where the rest went at the end (the sweep's or the service's address).
    final_value
        The satoshis that reached ``final_address`` at the end (0 if none).
    """

    txids: list[str] = field(default_factory=list)
    peels: list[tuple[str, int]] = field(default_factory=list)
    end: str = "max_hops"
    final_address: str = ""
    final_value: int = 0

    def __len__(self) -> int:
        return len(self.txids)

    @property
    def peeled(self) -> int:
        """Total satoshis peeled off along the chain."""
        return sum(v for _, v in self.peels)

    def finding(self) -> Finding:
        """The chain as a finding (confidence grows with its length: a long regular chain
        is hard to explain otherwise)."""
        confidence = min(0.95, 0.5 + 0.05 * len(self.txids))
        return Finding("peel_chain", (self.txids[0], self.final_address), confidence,
                       (t("tracing.peel.summary", steps=len(self.txids), peels=len(self.peels),
                          peeled=self.peeled, end=t(f"tracing.peel.end.{self.end}"),
                          address=self.final_address or "-", value=self.final_value),),
                       ("inputs.csv", "outputs.csv"))


def peel_step_mask(ledger: Ledger) -> np.ndarray:
    """Boolean per transaction: the shape of a peel step (not coinbase, 1 input, 2 outputs)."""
    n_in, n_out = np.diff(ledger.in_start), np.diff(ledger.out_start)
    return (n_in == 1) & (n_out == 2) & ~ledger.tx_coinbase


def chain_starts(ledger: Ledger, min_length: int = 3) -> list[str]:
    """First transactions of the peel-step runs of at least ``min_length`` steps: peel steps
    whose input was not made by a peel step."""
    step = peel_step_mask(ledger)
    spender = ledger.out_spent_by
    nxt = np.full(ledger.n_tx, -1, dtype=np.int64)
    for i in np.flatnonzero(step):  # continuation: the larger output's spender
        a, b = ledger.out_start[i], ledger.out_start[i + 1]
        nxt[i] = spender[a + int(np.argmax(ledger.out_value[a:b]))]
    fed = np.zeros(ledger.n_tx, dtype=bool)
    fed[nxt[(nxt >= 0)]] = True
    out = []
    for i in np.flatnonzero(step & ~fed):
        length, j = 0, int(i)
        while j >= 0 and step[j] and length < MAX_HOPS:
            length, j = length + 1, int(nxt[j])
        if length >= min_length:
            out.append(ledger.txid(int(i)))
    return out


def follow(ledger: Ledger, start: str, services: Collection[str] = (),
           max_hops: int = MAX_HOPS) -> PeelChain:
    """Follow the chain that starts with transaction ``start`` to its end.

    Parameters
    ----------
    start
        Txid of the chain's first transaction.
    services
        Addresses of known services (tags): the chain ends when the rest reaches one.
    max_hops
        Stop after this many transactions.
    """
    services = set(services)
    chain, i = PeelChain(), ledger.tx_id(start)
    while len(chain.txids) < max_hops:
        chain.txids.append(ledger.txid(i))
        a, b = int(ledger.out_start[i]), int(ledger.out_start[i + 1])
        rows = [r for r in range(a, b) if ledger.out_value[r] > 0]
        if not rows:
            chain.end = "unspent"
            return chain
        rest = max(rows, key=lambda r: (int(ledger.out_value[r]), -r))
        chain.final_address = ledger.address(int(ledger.out_addr[rest]))
        chain.final_value = int(ledger.out_value[rest])
        if len(rows) == 1:
            chain.end = "sweep"
            return chain
        chain.peels += [(ledger.address(int(ledger.out_addr[r])), int(ledger.out_value[r]))
                        for r in rows if r != rest]
        if chain.final_address in services:
            chain.end = "service"
            return chain
        j = int(ledger.out_spent_by[rest])
        if j < 0:
            chain.end = "unspent"
            return chain
        n_in = int(ledger.in_start[j + 1] - ledger.in_start[j])
        values = ledger.out_value[ledger.out_start[j]:ledger.out_start[j + 1]].tolist()
        if pattern(n_in, values) is not None:
            chain.end = "coinjoin"
            return chain
        if n_in > 1:
            chain.end = "merged"
            return chain
        i = j
    chain.end = "max_hops"
    return chain
