"""Change heuristics: which output of a payment goes back to the payer?

A wallet spends whole outputs, so a payment usually has two outputs: the
payee's and the *change* returning to the payer. Finding the change lets an
investigator follow the payer's money and add the change address to the
payer's cluster. No rule is certain: each heuristic below is a small function
that looks at one transaction and returns a :class:`course.findings.Finding`
naming the output it takes for change, its confidence and the facts it rests
on - or None when it has nothing to say. Heuristics can disagree;
:func:`guess_change` keeps only an answer they agree on.

The confidences are priors from the literature, not measurements:
:mod:`course.tracing.scoring` measures each heuristic against a ground truth.

Sources: Androulaki et al., "Evaluating User Privacy in Bitcoin", FC 2013
(change address heuristic); Meiklejohn et al., "A Fistful of Bitcoins", IMC
2013 (one-time change address); Nick, "Data-Driven De-Anonymization in
Bitcoin", ETH Zurich 2015 (optimal change); Möser and Narayanan, "Resurrecting
Address Clustering in Bitcoin", FC 2022 (script type, round amounts, their
accuracy); Kappos et al., "How to Peel a Million", USENIX Security 2022 (peel
chains).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from course.findings import Finding
from course.messages import t
from course.tracing.ledger import Ledger, TxView, view

#: a round amount is a multiple of this many satoshis (0.001 BTC)
ROUND_UNIT = 100_000
#: the shape of a peel step: one input, two outputs
PEEL_SHAPE = (1, 2)
#: prior confidence of each heuristic (see the module's text)
CONFIDENCE = {"reused_address": 0.9, "peel_continuation": 0.8, "optimal_change": 0.7,
              "same_script_type": 0.6, "round_amount": 0.6, "fresh_address": 0.5}
SOURCES = ("inputs.csv", "outputs.csv")

Heuristic = Callable[[TxView], Finding | None]


def _finding(tx: TxView, heuristic: str, vout: int, **values: object) -> Finding:
    out = tx.outputs[vout]
    return Finding(f"change.{heuristic}", (f"{tx.txid}:{vout}",), CONFIDENCE[heuristic],
                   (t(f"tracing.change.{heuristic}", vout=vout, address=out.address,
                      value=out.value, **values),), SOURCES)


def _candidates(tx: TxView) -> list[int]:
    """Outputs that can be change: with an address, in a non-coinbase payment of 2+ outputs."""
    if tx.coinbase or len(tx.outputs) < 2:
        return []
    return [n for n, o in enumerate(tx.outputs) if o.address and o.value > 0]


def _single(matches: list[int], candidates: list[int]) -> int | None:
    """The one candidate that matches while at least one other does not."""
    return matches[0] if len(matches) == 1 and len(candidates) > 1 else None


def reused_address(tx: TxView) -> Finding | None:
    """The output paid back to one of the transaction's own input addresses (address reuse)."""
    cands = _candidates(tx)
    own = {c.address for c in tx.inputs}
    n = _single([n for n in cands if tx.outputs[n].address in own], cands)
    return None if n is None else _finding(tx, "reused_address", n)


def fresh_address(tx: TxView) -> Finding | None:
    """The one output to an address never seen before, when the others were seen before."""
    cands = _candidates(tx)
    own = {c.address for c in tx.inputs}
    fresh = [n for n in cands if not tx.outputs[n].seen_before and tx.outputs[n].address
             not in own]
    if len(fresh) != 1 or any(not tx.outputs[n].seen_before for n in cands if n != fresh[0]):
        return None
    n = _single(fresh, cands)
    return None if n is None else _finding(tx, "fresh_address", n)


def same_script_type(tx: TxView) -> Finding | None:
    """The one output of the same script type as all the inputs (a wallet keeps its type)."""
    cands = _candidates(tx)
    kinds = {c.script_type for c in tx.inputs}
    if len(kinds) != 1 or "unknown" in kinds:
        return None
    kind = kinds.pop()
    n = _single([n for n in cands if tx.outputs[n].script_type == kind], cands)
    return None if n is None else _finding(tx, "same_script_type", n, script_type=kind)


def is_round(value: int, unit: int = ROUND_UNIT) -> bool:
    """True if ``value`` satoshis is a multiple of ``unit`` (0.001 BTC by default)."""
    return value > 0 and value % unit == 0


def round_amount(tx: TxView) -> Finding | None:
    """The one output that is *not* a round amount, when all the others are: people pay
    round sums, the change is what is left."""
    cands = _candidates(tx)
    odd = [n for n in cands if not is_round(tx.outputs[n].value)]
    n = _single(odd, cands)
    return None if n is None else _finding(tx, "round_amount", n, unit=ROUND_UNIT)


def optimal_change(tx: TxView) -> Finding | None:
    """The one output smaller than every input: were the change larger than an input, the
    wallet would not have needed that input."""
    cands = _candidates(tx)
    if not tx.inputs:
        return None
    smallest = min(c.value for c in tx.inputs)
    n = _single([n for n in cands if tx.outputs[n].value < smallest], cands)
    return None if n is None else _finding(tx, "optimal_change", n, smallest=smallest)


def peel_continuation(tx: TxView) -> Finding | None:
    """The one output spent next by another peel step (1 input, 2 outputs): the chain goes on
    through the change."""
    cands = _candidates(tx)
    n = _single([n for n in cands if tx.outputs[n].next_shape == PEEL_SHAPE], cands)
    return None if n is None else _finding(tx, "peel_continuation", n)


HEURISTICS: dict[str, Heuristic] = {
    "reused_address": reused_address, "fresh_address": fresh_address,
    "same_script_type": same_script_type, "round_amount": round_amount,
    "optimal_change": optimal_change, "peel_continuation": peel_continuation,
}


def guess_change(tx: TxView, heuristics: Iterable[str] = tuple(HEURISTICS)) -> Finding | None:
    """One ``change`` finding when the heuristics that speak all name the same output.

    Its confidence is ``1 - prod(1 - c)`` over the agreeing heuristics; when
    they name different outputs there is no answer (None): a conflict is a
    reason to look closer, not to pick one.
    """
    found = [f for name in heuristics if (f := HEURISTICS[name](tx)) is not None]
    if not found or len({f.subject for f in found}) > 1:
        return None
    doubt = 1.0
    for f in found:
        doubt *= 1 - f.confidence
    return Finding("change", found[0].subject, round(1 - doubt, 4),
                   tuple(e for f in found for e in f.evidence), SOURCES)


def ledger_change(ledger: Ledger, heuristic: str | None = None) -> dict[str, Finding]:
    """Run one heuristic (or :func:`guess_change` when None) on every transaction.

    Returns
    -------
    dict
        ``"txid:vout" -> Finding`` for every output taken for change.
    """
    if heuristic is not None and heuristic not in HEURISTICS:
        raise ValueError(t("tracing.unknown_heuristic", name=heuristic,
                           known=", ".join(HEURISTICS)))
    guess = guess_change if heuristic is None else HEURISTICS[heuristic]
    n_out = ledger.out_start[1:] - ledger.out_start[:-1]
    out = {}
    for i in range(ledger.n_tx):
        if n_out[i] >= 2 and not ledger.tx_coinbase[i]:
            finding = guess(view(ledger, i))
            if finding is not None:
                out[finding.subject[0]] = finding
    return out
