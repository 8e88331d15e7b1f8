"""Common-input ownership: addresses spent together belong to one wallet (one cluster).

To spend an output, its owner signs with the output's key; a transaction whose
inputs come from several addresses was therefore signed by whoever holds all
those keys - usually one wallet (Nakamoto 2008, section 10 "Privacy"; Meiklejohn
et al. 2013, "A Fistful of Bitcoins", heuristic 1). The rule breaks on
CoinJoins, where many people sign one transaction on purpose: one such
transaction merges strangers into one *super-cluster*. So
:func:`common_input_clusters` skips the transactions it is told are CoinJoins.

The union-find runs on whole arrays at once (hooking and pointer jumping,
Shiloach and Vishkin 1982): every address id starts as its own root; each
round, for every link, the larger of the two roots is pointed at the smaller
(``np.minimum.at``), then every pointer jumps to its root. It ends when no
link joins two roots; each cluster is named by its smallest address id.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from course.tracing.ledger import Ledger


def union_find(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Connected components of ``n`` nodes linked by the pairs ``(a[k], b[k])``.

    Parameters
    ----------
    n
        Number of nodes (ids ``0 .. n-1``).
    a, b
        Integer arrays of the same length: the links.

    Returns
    -------
    numpy.ndarray
        ``label[i]``: the smallest node id in the component of ``i``.

    Examples
    --------
    >>> union_find(5, np.array([0, 3]), np.array([1, 4])).tolist()
    [0, 0, 2, 3, 3]
    """
    parent = np.arange(n, dtype=np.int64)
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    if a.shape != b.shape:
        raise ValueError("union_find: a and b must have the same length")
    keep = a != b
    a, b = a[keep], b[keep]
    while len(a):
        ra, rb = parent[a], parent[b]
        lo, hi = np.minimum(ra, rb), np.maximum(ra, rb)
        joins = lo != hi
        if not joins.any():
            break
        a, b, lo, hi = a[joins], b[joins], lo[joins], hi[joins]
        np.minimum.at(parent, hi, lo)  # hook: a root points at a smaller root
        while True:  # pointer jumping until every node points at its root
            grand = parent[parent]
            if np.array_equal(grand, parent):
                break
            parent = grand
    return parent


def coinjoin_mask(ledger: Ledger, coinjoins: Iterable[str | int] = ()) -> np.ndarray:
    """Boolean per transaction: True for the transactions named (txids or integer ids)."""
    mask = np.zeros(ledger.n_tx, dtype=bool)
    for tx in coinjoins:
        mask[tx if isinstance(tx, (int, np.integer)) else ledger.tx_id(tx)] = True
    return mask


def input_links(ledger: Ledger, skip: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The common-input links: each input's address with the first input address of
    its transaction, for transactions with 2 or more inputs not in ``skip``."""
    has_addr = ledger.in_addr >= 0
    tx, addr = ledger.in_tx[has_addr], ledger.in_addr[has_addr]
    if skip is not None and skip.any():
        keep = ~skip[tx]
        tx, addr = tx[keep], addr[keep]
    if not len(tx):
        return addr, addr
    starts = np.flatnonzero(np.r_[True, tx[1:] != tx[:-1]])  # rows are sorted by tx
    first = np.repeat(addr[starts], np.diff(np.r_[starts, len(tx)]))
    linked = first != addr
    return first[linked], addr[linked]


def common_input_clusters(ledger: Ledger, skip: np.ndarray | Iterable[str] | None = None
                          ) -> np.ndarray:
    """Cluster label of every address id by common-input ownership.

    Parameters
    ----------
    skip
        Transactions not to cluster through: a boolean array per transaction
        (see :func:`course.tracing.coinjoin.coinjoin_mask_of`) or txids.

    Returns
    -------
    numpy.ndarray
        ``label[address_id]``: the smallest address id of its cluster.
    """
    if skip is not None and not isinstance(skip, np.ndarray):
        skip = coinjoin_mask(ledger, skip)
    a, b = input_links(ledger, skip)
    return union_find(ledger.n_addresses, a, b)


def members(labels: np.ndarray, address_id: int) -> np.ndarray:
    """Address ids in the cluster of ``address_id``."""
    return np.flatnonzero(labels == labels[address_id])


def cluster_of(ledger: Ledger, labels: np.ndarray, address: str) -> set[str]:
    """The addresses in the cluster of ``address``."""
    return {ledger.address(int(i)) for i in members(labels, ledger.address_id(address))}


def cluster_sizes(labels: np.ndarray) -> np.ndarray:
    """Size of the cluster of every address id."""
    return np.bincount(labels, minlength=len(labels))[labels]


def largest_clusters(ledger: Ledger, labels: np.ndarray, top: int = 10) -> list[tuple[int, str]]:
    """The ``top`` largest clusters as ``(size, one address of it)``, largest first."""
    counts = np.bincount(labels, minlength=len(labels))
    order = np.argsort(-counts, kind="stable")[:top]
    return [(int(counts[i]), ledger.address(int(i))) for i in order if counts[i] > 0]
