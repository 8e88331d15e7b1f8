"""Scanning a seed phrase's wallet against the ledger, with a gap limit.

A wallet does not record which of its addresses it has used: it derives
them in order and looks each up, and stops after ``gap_limit`` unused ones
in a row (BIP44 sets 20). :func:`scan_wallet` does the same for every
standard (BIP44/49/84/86), on the receiving (0) and change (1) chain of
account 0, against what the ledger knows (a dict ``address -> balance``, see
:func:`course.chain.explorer.balances`). An address is *used* if it appears
in the ledger at all, even with nothing left on it.

The gap limit is a convention, not a law: coins on an address past a gap
of more than ``gap_limit`` unused addresses are missed by a wallet and by
this scan - a reason to try a larger gap limit on a seized wallet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from course.chain.wallet import STANDARDS, HDAccount, seed_from_mnemonic
from course.messages import t

DEFAULT_GAP_LIMIT = 20
MAX_GAP_LIMIT = 1000
CHAINS = (0, 1)


@dataclass(frozen=True)
class FoundAddress:
    """A used address of the wallet: its path, address and balance in the ledger."""

    path: str
    address: str
    balance: int
    change: int
    index: int


@dataclass
class ChainScan:
    """One chain (receiving or change) of one standard.

    ``stopped_at`` is the first index not derived: the scan derived indexes
    ``0 .. stopped_at - 1`` and the last ``gap_limit`` of them were unused.
    """

    standard: str
    change: int
    used: list[FoundAddress] = field(default_factory=list)
    stopped_at: int = 0

    @property
    def balance(self) -> int:
        """Satoshis on the chain's used addresses."""
        return sum(a.balance for a in self.used)


@dataclass
class WalletScan:
    """The result of :func:`scan_wallet`: one :class:`ChainScan` per standard and chain."""

    gap_limit: int
    chains: list[ChainScan]

    @property
    def balance(self) -> int:
        """Total satoshis found, all standards and chains."""
        return sum(c.balance for c in self.chains)

    @property
    def used(self) -> list[FoundAddress]:
        """Every used address found, standard by standard."""
        return [a for c in self.chains for a in c.used]

    def by_standard(self) -> dict[str, int]:
        """Satoshis found per standard."""
        result = {s: 0 for s in dict.fromkeys(c.standard for c in self.chains)}
        for c in self.chains:
            result[c.standard] += c.balance
        return result

    def to_dict(self) -> dict:
        """Plain data (JSON): balance, gap limit, and per chain its used addresses and stop."""
        return {
            "balance": self.balance,
            "gap_limit": self.gap_limit,
            "chains": [
                {"standard": c.standard, "change": c.change, "stopped_at": c.stopped_at,
                 "balance": c.balance,
                 "used": [{"path": a.path, "address": a.address, "balance": a.balance}
                          for a in c.used]}
                for c in self.chains
            ],
        }


def check_gap_limit(gap_limit: object) -> int:
    """The gap limit as an int from 1 to :data:`MAX_GAP_LIMIT`, or a one-line ValueError."""
    if isinstance(gap_limit, bool) or not isinstance(gap_limit, int) or not (
        1 <= gap_limit <= MAX_GAP_LIMIT
    ):
        raise ValueError(t("chain.scan.gap_limit", value=gap_limit, top=MAX_GAP_LIMIT))
    return gap_limit


def scan_wallet(
    phrase: str,
    ledger: Mapping[str, int],
    gap_limit: int = DEFAULT_GAP_LIMIT,
    passphrase: str = "",
    standards: Sequence[str] = tuple(STANDARDS),
    account: int = 0,
) -> WalletScan:
    """Derive each standard's addresses until ``gap_limit`` unused ones in a row.

    Parameters
    ----------
    phrase, passphrase
        The BIP39 seed phrase and its optional passphrase ("25th word").
    ledger
        ``address -> balance in satoshis`` of every address the ledger has seen.
    gap_limit
        Unused addresses in a row after which a chain is given up.

    Raises
    ------
    course.chain.wallet.MnemonicError
        If the phrase is not a valid BIP39 mnemonic (the message says why).
    ValueError
        For a gap limit that is not a whole number from 1 to 1000, or an
        unknown standard.
    """
    gap_limit = check_gap_limit(gap_limit)
    seed = seed_from_mnemonic(phrase, passphrase)
    chains: list[ChainScan] = []
    for standard in standards:
        acct = HDAccount(seed, standard, account)
        for change in CHAINS:
            scan = ChainScan(standard, change)
            index, unused = 0, 0
            while unused < gap_limit:
                derived = acct.address(change, index)
                if derived.address in ledger:
                    scan.used.append(FoundAddress(derived.path, derived.address,
                                                  int(ledger[derived.address]), change, index))
                    unused = 0
                else:
                    unused += 1
                index += 1
            scan.stopped_at = index
            chains.append(scan)
    return WalletScan(gap_limit, chains)
