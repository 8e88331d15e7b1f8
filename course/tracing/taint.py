"""Taint: how much of an output comes from a dirty source? Three answers to one question.

When a transaction mixes dirty coins (from the market, say) with clean ones,
how much of each output is dirty? Bitcoin does not say - coins have no
identity inside a transaction - so every answer is a policy (Anderson et al.,
"Bitcoin Redemption", 2018; Möser, Böhme and Breuker, "Towards Risk Scoring of
Bitcoin Transactions", FC 2014):

- **poison**: any dirty input makes every output entirely dirty. Nothing escapes,
  but after a few hops almost everything is "dirty".
- **haircut**: each output is dirty in proportion to the dirty share of the
  inputs. Taint spreads thinner and thinner, never vanishes.
- **FIFO** (first in, first out; *Clayton's Case*, 1816): inputs and outputs are
  laid end to end in their order, and each output takes the satoshis that line
  up with it. Precise, but the answer depends on the order the wallet chose.

The per-transaction functions take the input values, the dirty satoshis of
each input and the output values, and return the dirty satoshis of each
output; :func:`propagate` applies one of them along the flow from a source.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence

from course.messages import t
from course.tracing.ledger import Ledger

Rule = Callable[[Sequence[int], Sequence[float], Sequence[int]], list[float]]


def _check(in_values: Sequence[int], in_taint: Sequence[float]) -> None:
    if len(in_values) != len(in_taint):
        raise ValueError(t("tracing.taint.lengths", inputs=len(in_values), taint=len(in_taint)))
    for v, d in zip(in_values, in_taint, strict=True):
        if not 0 <= d <= v:
            raise ValueError(t("tracing.taint.range", taint=d, value=v))


def poison(in_values: Sequence[int], in_taint: Sequence[float],
           out_values: Sequence[int]) -> list[float]:
    """Every output fully dirty if any input carries taint, else clean."""
    _check(in_values, in_taint)
    dirty = any(d > 0 for d in in_taint)
    return [float(v) if dirty else 0.0 for v in out_values]


def haircut(in_values: Sequence[int], in_taint: Sequence[float],
            out_values: Sequence[int]) -> list[float]:
    """Each output dirty in the proportion ``dirty inputs / all inputs``."""
    _check(in_values, in_taint)
    total = sum(in_values)
    share = sum(in_taint) / total if total else 0.0
    return [v * share for v in out_values]


def fifo(in_values: Sequence[int], in_taint: Sequence[float],
         out_values: Sequence[int]) -> list[float]:
    """First in, first out: input ``k``'s satoshis go, in order, to the outputs in order.

    Within one input the dirty satoshis are taken to come first; the fee is
    what is left after the last output.
    """
    _check(in_values, in_taint)
    spans = []  # (start, end) of the dirty satoshis on the line of inputs
    pos = 0
    for v, d in zip(in_values, in_taint, strict=True):
        if d > 0:
            spans.append((pos, pos + d))
        pos += v
    out, pos = [], 0
    for v in out_values:
        lo, hi = pos, pos + v
        out.append(float(sum(max(0.0, min(hi, b) - max(lo, a)) for a, b in spans)))
        pos = hi
    return out


RULES: dict[str, Rule] = {"poison": poison, "haircut": haircut, "fifo": fifo}


def propagate(ledger: Ledger, sources: Mapping[str, float], rule: str = "haircut",
              max_hops: int = 10) -> dict[str, float]:
    """Dirty satoshis of every output reached from ``sources``.

    Parameters
    ----------
    sources
        ``"txid:vout" -> dirty satoshis`` of the starting outputs.
    rule
        ``"poison"``, ``"haircut"`` or ``"fifo"``.
    max_hops
        How many transactions deep to follow.

    Returns
    -------
    dict
        ``"txid:vout" -> dirty satoshis`` (sources included; clean outputs left out).
    """
    if rule not in RULES:
        raise ValueError(t("tracing.taint.unknown_rule", rule=rule, known=", ".join(RULES)))
    apply = RULES[rule]
    dirty: dict[int, float] = {}  # output row -> dirty satoshis
    for outpoint, amount in sources.items():
        txid, _, vout = outpoint.rpartition(":")
        row = int(ledger.out_row([ledger.tx_id(txid)], [int(vout or -1)])[0])
        if row < 0:
            raise KeyError(t("tracing.unknown_output", outpoint=outpoint))
        dirty[row] = float(amount)
    hops: dict[int, int] = {}
    queue: list[tuple[int, int]] = []
    for row in dirty:
        j = int(ledger.out_spent_by[row])
        if j >= 0 and j not in hops:
            hops[j] = 1
            heapq.heappush(queue, (int(ledger.tx_height[j]), j))
    while queue:  # in block order, so a transaction's inputs are settled before it
        _, j = heapq.heappop(queue)
        a, b = int(ledger.in_start[j]), int(ledger.in_start[j + 1])
        prev = ledger.out_row(ledger.in_prev_tx[a:b], ledger.in_prev_vout[a:b]).tolist()
        taint_in = [dirty.get(r, 0.0) if r >= 0 else 0.0 for r in prev]
        c, d = int(ledger.out_start[j]), int(ledger.out_start[j + 1])
        result = apply(ledger.in_value[a:b].tolist(), taint_in, ledger.out_value[c:d].tolist())
        for r, amount in zip(range(c, d), result, strict=True):
            if amount > 0:
                dirty[r] = amount
                k = int(ledger.out_spent_by[r])
                if k >= 0 and k not in hops and hops[j] < max_hops:
                    hops[k] = hops[j] + 1
                    heapq.heappush(queue, (int(ledger.tx_height[k]), k))
    return {f"{ledger.txid(int(ledger.out_tx[r]))}:{int(ledger.out_vout[r])}": v
            for r, v in sorted(dirty.items())}


def by_address(ledger: Ledger, taint: Mapping[str, float]) -> dict[str, float]:
    """Dirty satoshis received by each address, from a :func:`propagate` result."""
    out: defaultdict[str, float] = defaultdict(float)
    for outpoint, amount in taint.items():
        txid, _, vout = outpoint.rpartition(":")
        row = int(ledger.out_row([ledger.tx_id(txid)], [int(vout)])[0])
        address = ledger.address(int(ledger.out_addr[row]))
        if address:
            out[address] += amount
    return dict(out)


def compare(ledger: Ledger, sources: Mapping[str, float], address: str,
            max_hops: int = 10) -> dict[str, float]:
    """Dirty satoshis that reached ``address`` under each rule, side by side."""
    return {rule: by_address(ledger, propagate(ledger, sources, rule, max_hops)).get(address, 0.0)
            for rule in RULES}
