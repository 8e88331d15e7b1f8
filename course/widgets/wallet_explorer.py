"""Day 3 widget: a seed phrase's wallet, standard by standard, against the ledger.

Type a BIP39 phrase (and its passphrase, if any), choose a gap limit and
press *Scan*: for each standard (BIP44 ``1...``, BIP49 ``3...``, BIP84
``bc1q...``, BIP86 ``bc1p...``) the receiving and change chains are derived
in order until ``gap_limit`` unused addresses in a row
(:func:`course.chain.scan.scan_wallet`); the used addresses are listed with
their path and balance in the ledger, with where each chain stopped.

Everything runs on this computer; a real seized phrase is evidence and a key
to money: never type it into an online tool.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from course.chain.explorer import ExplorerError, balances, read_explorer
from course.chain.scan import DEFAULT_GAP_LIMIT, WalletScan, check_gap_limit, scan_wallet
from course.chain.wallet import STANDARDS, MnemonicError
from course.messages import t
from course.widgets.base import CourseWidget

Ledger = Mapping[str, int] | str | Path | list
#: room for the labels in both languages ("Предел (gap limit)")
LABELS = {"description_width": "9em"}


def ledger_balances(ledger: Any) -> dict[str, int]:
    """``address -> satoshis`` from a dict of balances, explorer JSON (a folder, a
    file, a list of transactions), or a list of used addresses (balance 0: only
    where the gap limit stops is then learnt) - or a one-line error saying what
    is accepted."""
    if isinstance(ledger, Mapping) and not {"txid", "vout"} <= set(ledger):
        if not all(isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool)
                   for k, v in ledger.items()):
            raise ValueError(t("w3.wallet.bad_ledger", kind="dict"))
        return dict(ledger)
    if isinstance(ledger, (list, tuple, set, frozenset)) and ledger and all(
        isinstance(a, str) for a in ledger
    ):
        return dict.fromkeys(ledger, 0)  # addresses known to be used, balances unknown
    if isinstance(ledger, (str, Path, list, tuple, Mapping)):
        try:
            return balances(read_explorer(ledger))
        except (ExplorerError, KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{t('w3.wallet.bad_ledger', kind=type(ledger).__name__)} "
                             f"({exc})") from None
    raise TypeError(t("w3.wallet.bad_ledger", kind=type(ledger).__name__))


class WalletExplorer(CourseWidget):
    """Phrase, passphrase and gap-limit fields, a *Scan* button and the derivation tree.

    ``value`` is the total balance in satoshis of the used addresses found
    (None until a valid phrase has been scanned; 0 means used but empty).
    ``result`` is the :class:`course.chain.scan.WalletScan` (``result.to_dict()``
    is plain data) and ``error`` the reason the last scan failed.

    Parameters
    ----------
    ledger
        What the ledger knows: a folder of explorer JSON (``Path("data", "explorer")``),
        a list of explorer transactions, a dict ``address -> satoshis``, or a
        list of addresses known to be used (their balances count as 0).
    gap_limit
        Unused addresses in a row after which a chain is given up (20 by BIP44).
    phrase, passphrase
        Scanned at once when a phrase is given.
    """

    def __init__(self, ledger: Ledger, gap_limit: int = DEFAULT_GAP_LIMIT, phrase: str = "",
                 passphrase: str = "") -> None:
        self._ledger = ledger_balances(ledger)
        check_gap_limit(gap_limit)
        self._w_phrase = widgets.Textarea(value=str(phrase), description=t("w3.wallet.phrase"),
                                          placeholder=t("w3.wallet.phrase_placeholder"),
                                          layout=widgets.Layout(width="95%", height="4em"),
                                          style=LABELS)
        self._w_passphrase = widgets.Text(value=str(passphrase),
                                          description=t("w3.wallet.passphrase"),
                                          placeholder=t("w3.wallet.passphrase_placeholder"),
                                          layout=widgets.Layout(width="60%"), style=LABELS)
        self._w_gap = widgets.BoundedIntText(value=gap_limit, min=1, max=1000,
                                             description=t("w3.wallet.gap_limit"), style=LABELS)
        self._w_scan = widgets.Button(description=t("w3.wallet.scan"), button_style="primary")
        self._w_result = widgets.HTML()
        self._result: WalletScan | None = None
        self._error: str | None = None
        self._w_scan.on_click(self._scan)
        self.layout = widgets.VBox([
            self._w_phrase, self._w_passphrase,
            widgets.HBox([self._w_gap, self._w_scan]), self._w_result,
        ])
        if phrase.strip():
            self._scan()
        else:
            self._render()

    @property
    def value(self) -> int | None:
        """Total satoshis found by the last scan (None before a successful scan)."""
        return self._result.balance if self._result is not None else None

    @property
    def result(self) -> WalletScan | None:
        """The last scan's result, or None."""
        return self._result

    @property
    def error(self) -> str | None:
        """Why the last scan failed (None if it did not)."""
        return self._error

    def scan(self, phrase: str | None = None, passphrase: str | None = None,
             gap_limit: int | None = None) -> int | None:
        """Set the given fields, scan, and return ``value``."""
        if phrase is not None:
            self._w_phrase.value = phrase
        if passphrase is not None:
            self._w_passphrase.value = passphrase
        if gap_limit is not None:
            self._w_gap.value = gap_limit
        self._scan()
        return self.value

    def _scan(self, _button: object = None) -> None:
        self._result, self._error = None, None
        if self._w_phrase.value.strip():
            try:
                self._result = scan_wallet(self._w_phrase.value, self._ledger,
                                           int(self._w_gap.value), self._w_passphrase.value)
            except (MnemonicError, ValueError) as exc:
                self._error = str(exc)
        self._render()

    def _render(self) -> None:
        if self._error:
            self._w_result.value = (f"<p style='color:#b00'><b>"
                                    f"{html.escape(t('w3.wallet.bad_phrase', reason=self._error))}"
                                    f"</b></p>")
            return
        result = self._result
        if result is None:
            self._w_result.value = f"<p>{html.escape(t('w3.wallet.empty'))}</p>"
            return
        used = result.used
        total = t("w3.wallet.total", sats=f"{result.balance:,}", btc=f"{result.balance / 1e8:.8f}",
                  count=len(used), gap=result.gap_limit)
        parts = [f"<p><b class='course-wallet-total'>{html.escape(total)}</b></p>"]
        if not used:
            parts.append(f"<p>{html.escape(t('w3.wallet.passphrase_note'))}</p>")
        head = "".join(f"<th>{html.escape(t(k))}</th>" for k in (
            "w3.wallet.path", "w3.wallet.address", "w3.wallet.balance"))
        for standard in dict.fromkeys(c.standard for c in result.chains):
            chains = [c for c in result.chains if c.standard == standard]
            purpose = STANDARDS[standard][3]
            title = t("w3.wallet.standard", standard=standard.upper(),
                      path=f"m/{purpose}'/0'/0'", count=sum(len(c.used) for c in chains),
                      sats=f"{sum(c.balance for c in chains):,}")
            parts.append(f"<details open><summary><b>{html.escape(title)}</b></summary><ul>")
            for c in chains:
                stop = t("w3.wallet.stopped", chain=t(f"w3.wallet.chain.{c.change}"),
                         index=c.stopped_at, gap=result.gap_limit)
                rows = "".join(f"<tr><td><code>{a.path}</code></td><td><code>{a.address}</code>"
                               f"</td><td style='text-align:right'>{a.balance:,}</td></tr>"
                               for a in c.used)
                table = f"<table><tr>{head}</tr>{rows}</table>" if rows else ""
                parts.append(f"<li>{html.escape(stop)}{table}</li>")
            parts.append("</ul></details>")
        self._w_result.value = "".join(parts)
