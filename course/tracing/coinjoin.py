"""CoinJoins: many people in one transaction, so that nobody can tell whose output is whose.

In a CoinJoin several participants put their inputs into one transaction that
pays each of them an output of one *identical* value: an observer cannot tell
which equal output belongs to which input. Common-input ownership is wrong
here by design, so clustering must stop at these transactions.

Patterns recognised (from their public descriptions):

- **Whirlpool** (Samourai Wallet): exactly 5 inputs and 5 outputs, all of one
  pool denomination (0.001, 0.01, 0.05 or 0.5 BTC). Samourai's documentation
  gives each 5x5 mix 1,496 interpretations (entropy 10.55 bits), the count
  :func:`interpretations` reproduces.
- **Wasabi** (ZeroLink, then WabiSabi): large rounds of many participants
  (Wasabi 1.x: equal outputs of about 0.1 BTC, plus change and a coordinator
  fee output; Wasabi 2.x: several standard denominations). Recognised here by
  at least ten equal outputs and ten inputs: this module's threshold, not a
  number from Wasabi's documentation.
- **JoinMarket**: a taker and a few makers; ``k`` equal outputs and at most
  one change output per participant, so ``k <= outputs <= 2k`` and at least
  ``k`` inputs (Möser and Böhme 2017, "Anonymous Alone?", section 4).
- **Generic**: the case's rule, at least 5 inputs and at least 5 outputs of one
  identical value.

Sources: Samourai Wallet, "Whirlpool" documentation (pools, 5 inputs/5 outputs,
1,496 interpretations); Wasabi Wallet documentation, "CoinJoin"; JoinMarket
(github.com/JoinMarket-Org/joinmarket-clientserver, docs); M. Möser, R. Böhme,
"Anonymous Alone? Measuring Bitcoin's Second-Generation Anonymization
Techniques", IEEE EuroS&PW 2017; LaurentMT, "Boltzmann" (transaction entropy).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from math import factorial, log2, prod

import numpy as np

from course.findings import Finding
from course.messages import t
from course.tracing.ledger import Ledger

#: Whirlpool pool denominations in satoshis
WHIRLPOOL_POOLS: tuple[int, ...] = (100_000, 1_000_000, 5_000_000, 50_000_000)
WHIRLPOOL_SIZE = 5
#: at least this many equal outputs (and inputs) make a Wasabi-size round
WASABI_MIN_EQUAL = 10
#: JoinMarket: at least this many equal outputs (a taker and two makers)
JOINMARKET_MIN_EQUAL = 3
#: the case's rule: at least this many inputs and equal outputs
GENERIC_MIN = 5
#: confidence that a transaction of each pattern is a CoinJoin
CONFIDENCE = {"whirlpool": 0.95, "wasabi": 0.85, "generic": 0.7, "joinmarket": 0.6}


def equal_outputs(ledger: Ledger, only: np.ndarray | None = None
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Per transaction: the largest number of outputs of one identical (non-zero) value,
    and that value (0 where none), for the whole ledger at once.

    ``only``: a boolean per transaction; the others are left at 0 (faster).
    """
    n = ledger.n_tx
    count, value = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    keep = ledger.out_value > 0
    if only is not None:
        keep &= only[ledger.out_tx]
    tx, val = ledger.out_tx[keep], ledger.out_value[keep]
    if not len(tx):
        return count, value
    order = np.lexsort((val, tx))
    tx, val = tx[order], val[order]
    new = np.r_[True, (tx[1:] != tx[:-1]) | (val[1:] != val[:-1])]
    starts = np.flatnonzero(new)
    runs = np.diff(np.r_[starts, len(tx)])
    run_tx, run_val = tx[starts], val[starts]
    np.maximum.at(count, run_tx, runs)
    best = runs == count[run_tx]
    value[run_tx[best]] = run_val[best]
    return count, value


def coinjoin_mask_of(ledger: Ledger, min_inputs: int = GENERIC_MIN,
                     min_equal: int = GENERIC_MIN) -> np.ndarray:
    """Boolean per transaction: at least ``min_inputs`` inputs and ``min_equal`` outputs of
    one identical value (the case's rule with the defaults)."""
    n_in = np.diff(ledger.in_start)
    maybe = (n_in >= min_inputs) & (np.diff(ledger.out_start) >= min_equal)
    count, _ = equal_outputs(ledger, maybe)
    return maybe & (count >= min_equal)


def pattern(n_inputs: int, outputs: Sequence[int]) -> str | None:
    """The CoinJoin pattern of a transaction's shape, or None.

    Parameters
    ----------
    n_inputs
        Number of inputs.
    outputs
        Output values in satoshis.

    Returns
    -------
    str or None
        ``"whirlpool"``, ``"wasabi"``, ``"joinmarket"``, ``"generic"`` or None.
    """
    paying = [v for v in outputs if v > 0]
    if not paying:
        return None
    value, k = Counter(paying).most_common(1)[0]
    if (n_inputs == WHIRLPOOL_SIZE and len(paying) == WHIRLPOOL_SIZE == k
            and value in WHIRLPOOL_POOLS):
        return "whirlpool"
    if k >= WASABI_MIN_EQUAL and n_inputs >= WASABI_MIN_EQUAL:
        return "wasabi"
    if k >= JOINMARKET_MIN_EQUAL and n_inputs >= k and len(paying) <= 2 * k:
        return "joinmarket" if k < GENERIC_MIN or len(paying) > k else "generic"
    if k >= GENERIC_MIN and n_inputs >= GENERIC_MIN:
        return "generic"
    return None


def recognise(ledger: Ledger, txid: str) -> Finding | None:
    """A ``coinjoin.<pattern>`` finding for transaction ``txid``, or None if it has none."""
    i = ledger.tx_id(txid)
    values = ledger.out_value[ledger.out_start[i]:ledger.out_start[i + 1]].tolist()
    n_in = int(ledger.in_start[i + 1] - ledger.in_start[i])
    kind = pattern(n_in, values)
    if kind is None:
        return None
    value, k = Counter(v for v in values if v > 0).most_common(1)[0]
    return Finding(f"coinjoin.{kind}", (txid,), CONFIDENCE[kind],
                   (t(f"tracing.coinjoin.{kind}", inputs=n_in, outputs=len(values), equal=k,
                      value=value, interpretations=interpretations(min(k, n_in))),),
                   ("inputs.csv", "outputs.csv"))


def recognise_all(ledger: Ledger) -> list[Finding]:
    """Every transaction of the ledger with a CoinJoin pattern, as findings."""
    count, _ = equal_outputs(ledger)
    n_in = np.diff(ledger.in_start)
    candidates = np.flatnonzero((count >= JOINMARKET_MIN_EQUAL) & (n_in >= JOINMARKET_MIN_EQUAL))
    found = (recognise(ledger, ledger.txid(int(i))) for i in candidates)
    return [f for f in found if f is not None]


def _partitions(n: int, largest: int | None = None) -> Iterator[list[int]]:
    """Integer partitions of ``n`` (parts in non-increasing order)."""
    largest = n if largest is None else largest
    if n == 0:
        yield []
        return
    for part in range(min(n, largest), 0, -1):
        for rest in _partitions(n - part, part):
            yield [part, *rest]


def interpretations(n: int) -> int:
    """How many ways ``n`` equal inputs can have paid ``n`` equal outputs.

    An interpretation groups the inputs into wallets and the outputs into
    wallets of the same sizes and matches them: the sum, over the shapes of the
    groups (integer partitions of ``n``), of (ways to group the inputs) x (ways
    to group the outputs) x (ways to match groups of equal size). With one
    participant per input and output this is Boltzmann's count of the
    transaction's combinations: 1,496 for a 5x5 Whirlpool mix.

    Examples
    --------
    >>> interpretations(2), interpretations(5)
    (3, 1496)
    """
    if n < 0:
        raise ValueError(t("tracing.negative_count", n=n))
    total = 0
    for shape in _partitions(n):
        sizes = Counter(shape)
        groupings = factorial(n) // (prod(factorial(p) for p in shape)
                                     * prod(factorial(m) for m in sizes.values()))
        total += groupings * groupings * prod(factorial(m) for m in sizes.values())
    return total


def entropy_bits(n: int) -> float:
    """Boltzmann's entropy of an ``n`` x ``n`` equal mix: log2 of :func:`interpretations`."""
    return log2(interpretations(n))


def link_probability(k: int) -> float:
    """Chance that a guess of which of ``k`` equal outputs belongs to a given input is right."""
    if k < 1:
        raise ValueError(t("tracing.negative_count", n=k))
    return 1 / k
