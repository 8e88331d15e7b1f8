"""Day 3 widget: a raw transaction taken apart, field by field, with its txid.

Paste the hex of a transaction: every field is listed with its byte offset,
length, bytes and meaning (version, marker and flag, counts, each input's
outpoint, scriptSig and sequence, each output's value and scriptPubKey, the
witness, the locktime), coloured by kind; the bytes the txid does not hash
(marker, flag, witness) are greyed. The txid is computed live.
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from course.chain.anatomy import Field, tx_fields
from course.chain.tx import Transaction, TxParseError, parse_tx
from course.messages import t
from course.widgets.base import CourseWidget

COLOURS = {
    "version": "#dbeafe", "marker": "#e5e7eb", "count": "#f3f4f6", "outpoint": "#fef3c7",
    "script": "#dcfce7", "sequence": "#fde68a", "value": "#fce7f3", "witness": "#e5e7eb",
    "locktime": "#dbeafe",
}
#: longest hex shown in a cell before it is shortened (the full bytes are in ``fields``)
SHOWN_HEX = 72


class TxAnatomy(CourseWidget):
    """A text area for a raw transaction and the table of its fields.

    ``value`` is the txid of the transaction in the box (None if the box is
    empty or does not hold exactly one transaction); setting ``value`` puts new
    hex in the box. ``fields`` is the list of :class:`course.chain.anatomy.Field`,
    ``transaction`` the parsed transaction and ``error`` the reason a text
    could not be read (None when it could).

    Parameters
    ----------
    raw_hex
        The transaction shown first ("" for an empty box).
    """

    def __init__(self, raw_hex: str = "") -> None:
        if not isinstance(raw_hex, str):
            raise TypeError(t("w3.tx.not_text", kind=type(raw_hex).__name__))
        self._w_text = widgets.Textarea(value=raw_hex.strip(), description=t("w3.tx.label"),
                                        placeholder=t("w3.tx.placeholder"),
                                        continuous_update=False,
                                        layout=widgets.Layout(width="95%", height="7em"))
        self._w_result = widgets.HTML()
        self._fields: list[Field] = []
        self._tx: Transaction | None = None
        self._error: str | None = None
        self._w_text.observe(self._render, names="value")
        self.layout = widgets.VBox([self._w_text, self._w_result])
        self._render()

    @property
    def value(self) -> str | None:
        """The txid of the transaction in the box, or None."""
        return self._tx.txid if self._tx is not None else None

    @value.setter
    def value(self, raw_hex: str) -> None:
        self._w_text.value = str(raw_hex).strip()

    @property
    def fields(self) -> list[Field]:
        """The labelled fields (empty when there is no readable transaction)."""
        return list(self._fields)

    @property
    def transaction(self) -> Transaction | None:
        """The parsed transaction, or None."""
        return self._tx

    @property
    def error(self) -> str | None:
        """Why the text could not be read as a transaction (None if it could or is empty)."""
        return self._error

    def _read(self) -> None:
        text = self._w_text.value.strip()
        self._fields, self._tx, self._error = [], None, None
        if not text:
            return
        try:
            self._tx = parse_tx(text)
            self._fields = tx_fields(text)
        except TxParseError as exc:
            self._tx, self._error = None, str(exc)

    def _render(self, _change: object = None) -> None:
        self._read()
        if self._error:
            self._w_result.value = (f"<p style='color:#b00'><b>"
                                    f"{html.escape(t('w3.tx.error', reason=self._error))}</b></p>")
            return
        if self._tx is None:
            self._w_result.value = f"<p>{html.escape(t('w3.tx.empty'))}</p>"
            return
        tx = self._tx
        kind = t("w3.tx.kind.segwit" if tx.has_witness else "w3.tx.kind.legacy")
        summary = t("w3.tx.summary", txid=tx.txid, size=tx.size, weight=tx.weight,
                    vsize=tx.vsize)
        head = "".join(f"<th>{html.escape(t(k))}</th>" for k in (
            "w3.tx.offset", "w3.tx.bytes", "w3.tx.field", "w3.tx.hex", "w3.tx.meaning"))
        rows = []
        for f in self._fields:
            shown = f.hex if len(f.hex) <= SHOWN_HEX else f"{f.hex[:SHOWN_HEX - 8]}…{f.hex[-8:]}"
            style = f"background:{COLOURS[f.kind]}" + ("" if f.in_txid else ";color:#777")
            rows.append(f"<tr style='{style}'><td>{f.start}</td><td>{f.size}</td>"
                        f"<td>{html.escape(f.name)}</td><td><code>{shown}</code></td>"
                        f"<td>{html.escape(f.note)}</td></tr>")
        wtxid = ""
        if tx.has_witness:
            wtxid = f"<br>{html.escape(t('w3.tx.wtxid', wtxid=tx.wtxid))}"
        self._w_result.value = (
            f"<p><b class='course-txid'>{html.escape(summary)}</b>{wtxid}<br>"
            f"<i>{html.escape(kind)}</i></p>"
            f"<table class='course-tx-anatomy'><tr>{head}</tr>{''.join(rows)}</table>"
        )
