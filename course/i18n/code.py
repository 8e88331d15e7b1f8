"""What a translator translates in a code cell, and putting it back.

The rule: a code cell is code, except for text a trainee reads and the code
never compares. Translatable are

1. **comments**, except nbgrader's markers (``### BEGIN SOLUTION`` ...);
2. **docstrings**: a string literal standing alone as a statement (the
   ``\"\"\"Check that ...\"\"\"`` line of a test cell, a function's docstring);
3. **assert messages**: the string literals of the message of an ``assert``;
4. **printed text**: string literals passed positionally to ``print(...)``;
5. **output labels**: string literals given as one of the keyword arguments
   :data:`LABEL_KEYWORDS` (a plot's ``title=``, the ``client=`` of a table);
6. **sentences of a text table**: the values of a dict display whose keys
   are string literals and whose values are all string literals of at least
   four words (the steps of a protocol; a data table's one- or two-word
   values, such as ``"guard"``, are not sentences).

Everything else is code and stays byte for byte the same in every language:
names, dict keys, file names, column names, data values, and the values a
test compares (``"Мефедрон 1г"``, ``"guard"``, ``"seizures.csv"``). A string
the rule does not reach is never translated; :func:`skeleton` masks exactly
what the rule reaches, so two cells with equal skeletons differ only there.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Callable
from dataclasses import dataclass

#: Keyword arguments whose string value only labels output.
LABEL_KEYWORDS = frozenset({"title", "xlabel", "ylabel", "label", "client", "destination"})

#: nbgrader's delimiters: never translated, always kept.
MARKER = re.compile(r"^\s*#+\s*(BEGIN|END) (SOLUTION|HIDDEN TESTS|MARK SCHEME)\b")
_COMMENT = re.compile(r"^(#+ ?)(.*?)(\s*)$", re.S)
_PIECE_START = re.compile(r"([A-Za-z]{0,2})('''|\"\"\"|'|\")")
_SENTENCE = re.compile(r"\S+(\s+\S+){3,}")


class CodeTranslationError(ValueError):
    """A translation cannot be put into the code (broken field, quote ...)."""


@dataclass(frozen=True)
class Piece:
    """One literal token of a span: ``source[start:end]`` is the whole token."""

    start: int
    end: int
    prefix: str
    quote: str

    def inner(self, source: str) -> str:
        return source[self.start + len(self.prefix) + len(self.quote) : self.end - len(self.quote)]


@dataclass(frozen=True)
class Span:
    """One translatable text of a cell: a comment or a string literal (which
    may be several adjacent literal tokens, implicitly concatenated)."""

    kind: str
    text: str
    pieces: tuple[Piece, ...]
    fstring: bool = False
    comment_prefix: str = ""
    comment_suffix: str = ""


def _offsets(source: str) -> list[int]:
    starts, pos = [], 0
    for line in source.splitlines(keepends=True):
        starts.append(pos)
        pos += len(line)
    starts.append(pos)
    return starts


def _char_offset(source: str, starts: list[int], lineno: int, col_bytes: int) -> int:
    line_start = starts[lineno - 1]
    line_end = starts[lineno] if lineno < len(starts) else len(source)
    line = source[line_start:line_end]
    return line_start + len(line.encode("utf-8")[:col_bytes].decode("utf-8"))


def _scan_pieces(source: str, start: int, end: int) -> tuple[Piece, ...]:
    """The literal tokens between ``start`` and ``end`` (whitespace, line
    continuations and comments may stand between them)."""
    pieces, i = [], start
    while i < end:
        ch = source[i]
        if ch.isspace() or ch == "\\":
            i += 1
            continue
        if ch == "#":
            i = source.index("\n", i) if "\n" in source[i:end] else end
            continue
        m = _PIECE_START.match(source, i)
        if not m:
            raise CodeTranslationError(f"unexpected text in a string: {source[i:i + 20]!r}")
        prefix, quote = m.group(1), m.group(2)
        j = m.end()
        while True:
            if source.startswith(quote, j):
                j += len(quote)
                break
            if j >= len(source):
                raise CodeTranslationError("unterminated string")
            j += 2 if source[j] == "\\" else 1
        pieces.append(Piece(i, j, prefix, quote))
        i = j
    return tuple(pieces)


def _is_text(node: ast.AST) -> bool:
    return (isinstance(node, ast.Constant) and isinstance(node.value, str)) or isinstance(
        node, ast.JoinedStr
    )


def _text_nodes(tree: ast.AST) -> list[tuple[str, ast.expr]]:
    """``(kind, node)`` of every string literal the rule reaches."""
    found: list[tuple[str, ast.expr]] = []

    def literals(node: ast.AST) -> list[ast.expr]:
        if _is_text(node):
            return [node]  # do not look inside an f-string's parts
        out: list[ast.expr] = []
        for child in ast.iter_child_nodes(node):
            out += literals(child)
        return out

    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            if isinstance(node.value.value, str):
                found.append(("docstring", node.value))
        elif isinstance(node, ast.Assert) and node.msg is not None:
            found += [("assert", n) for n in literals(node.msg)]
        elif isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name) and node.func.id == "print":
                found += [("print", a) for a in node.args if _is_text(a)]
            found += [
                ("label", k.value)
                for k in node.keywords
                if k.arg in LABEL_KEYWORDS and _is_text(k.value)
            ]
        elif isinstance(node, ast.Dict) and node.values:
            keys_ok = all(
                isinstance(k, ast.Constant) and isinstance(k.value, str) for k in node.keys
            )
            values_ok = all(
                isinstance(v, ast.Constant)
                and isinstance(v.value, str)
                and _SENTENCE.fullmatch(v.value.strip())
                for v in node.values
            )
            if keys_ok and values_ok:
                found += [("sentence", v) for v in node.values]
    return found


def spans(source: str) -> list[Span]:
    """Every translatable span of a code cell, in source order.

    Raises
    ------
    CodeTranslationError
        If the cell is not valid Python.
    """
    try:
        tree = ast.parse(source)
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (SyntaxError, tokenize.TokenError, IndentationError) as exc:
        raise CodeTranslationError(f"not valid Python ({exc})") from None
    starts = _offsets(source)
    found: list[Span] = []
    seen: set[int] = set()
    for kind, node in _text_nodes(tree):
        begin = _char_offset(source, starts, node.lineno, node.col_offset)
        end = _char_offset(source, starts, node.end_lineno, node.end_col_offset)
        if begin in seen:
            continue
        seen.add(begin)
        pieces = _scan_pieces(source, begin, end)
        if any("b" in p.prefix.lower() for p in pieces):
            continue
        if isinstance(node, ast.JoinedStr):
            text = "".join(p.inner(source) for p in pieces)
            found.append(Span(kind, text, pieces, fstring=True))
        else:
            found.append(Span(kind, node.value, pieces))
    for tok in tokens:
        if tok.type != tokenize.COMMENT or MARKER.match(tok.string):
            continue
        m = _COMMENT.match(tok.string)
        if not m or not m.group(2).strip():
            continue
        begin = starts[tok.start[0] - 1] + tok.start[1]
        piece = Piece(begin, begin + len(tok.string), "", "")
        found.append(Span("comment", m.group(2), (piece,), False, m.group(1), m.group(3)))
    return sorted(found, key=lambda s: s.pieces[0].start)


def _split(text: str, weights: list[int], fstring: bool) -> list[str]:
    """Cut ``text`` into ``len(weights)`` parts, after spaces, in proportion."""
    if len(weights) == 1:
        return [text]
    cuts, depth = [], 0
    for i, ch in enumerate(text):
        if fstring and ch == "{":
            depth += 1
        elif fstring and ch == "}":
            depth = max(0, depth - 1)
        elif ch == " " and depth == 0:
            cuts.append(i + 1)
    total = sum(weights) or 1
    chosen, previous, running = [], 0, 0
    for weight in weights[:-1]:
        running += weight
        target = round(len(text) * running / total)
        options = [c for c in cuts if c > previous] or [previous]
        best = min(options, key=lambda c: abs(c - target))
        chosen.append(best)
        previous = best
    bounds = [0, *chosen, len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def _literal(text: str, prefix: str, quote: str, fstring: bool) -> str:
    if fstring or "r" in prefix.lower():
        closing = text.endswith("\\") and not text.endswith("\\\\")
        if quote in text or (len(quote) == 1 and "\n" in text) or closing:
            raise CodeTranslationError(
                f"the text cannot be written inside {prefix}{quote}...{quote}: {text[:60]!r}"
            )
        return f"{prefix}{quote}{text}{quote}"
    out = text.replace("\\", "\\\\").replace(quote[0], "\\" + quote[0])
    if len(quote) == 1:
        out = out.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    out = "".join(c if c in "\n\t" or ord(c) >= 32 else f"\\x{ord(c):02x}" for c in out)
    return f"{prefix}{quote}{out}{quote}"


def render(span: Span, source: str, translation: str) -> list[tuple[int, int, str]]:
    """The replacements ``(start, end, text)`` that put ``translation`` in place of ``span``."""
    if span.kind == "comment":
        piece = span.pieces[0]
        if "\n" in translation:
            raise CodeTranslationError(f"a comment is one line: {translation[:60]!r}")
        return [(piece.start, piece.end, span.comment_prefix + translation + span.comment_suffix)]
    weights = [len(p.inner(source)) for p in span.pieces]
    parts = _split(translation, weights, span.fstring)
    return [
        (p.start, p.end, _literal(part, p.prefix, p.quote, span.fstring))
        for p, part in zip(span.pieces, parts, strict=True)
    ]


def _fields(node: ast.AST) -> list[str]:
    return sorted(
        ast.dump(v) for n in ast.walk(node) if isinstance(n, ast.JoinedStr)
        for v in n.values if isinstance(v, ast.FormattedValue)
    )  # fmt: skip


def translate(source: str, lookup: Callable[[Span], str | None]) -> tuple[str, list[Span]]:
    """Put the translations of ``lookup`` into ``source``.

    Returns the translated source and the spans ``lookup`` had no translation
    for (they keep their English text).

    Raises
    ------
    CodeTranslationError
        If a translation breaks the code: an f-string field lost or added, a
        quote that cannot be written, or a result that is not the same code.
    """
    missing: list[Span] = []
    edits: list[tuple[int, int, str]] = []
    wanted: list[tuple[Span, str]] = []
    for span in spans(source):
        translation = lookup(span)
        if translation is None:
            missing.append(span)
            continue
        edits += render(span, source, translation)
        wanted.append((span, translation))
    out = source
    for start, end, text in sorted(edits, reverse=True):
        out = out[:start] + text + out[end:]
    if out == source:
        return out, missing
    try:
        tree = ast.parse(out)
    except SyntaxError as exc:
        raise CodeTranslationError(f"the translated cell is not valid Python ({exc})") from None
    if _fields(tree) != _fields(ast.parse(source)):
        raise CodeTranslationError(
            "an f-string translation must keep every {...} field of the English text"
        )
    if skeleton(out) != skeleton(source):
        raise CodeTranslationError("the translation changed the code around the text")
    translated = {s.pieces[0].start: s for s in spans(out)}
    if len(translated) != len(spans(source)):
        raise CodeTranslationError("the translation changed which texts the cell has")
    return out, missing


def skeleton(source: str) -> list[tuple[int, str]]:
    """The cell's tokens with every translatable text masked: equal skeletons
    mean the same code, whatever the language of the texts."""
    masked = source
    for span in sorted(spans(source), key=lambda s: s.pieces[0].start, reverse=True):
        for piece in reversed(span.pieces):
            stand_in = "#" if span.kind == "comment" else '"_"'
            masked = masked[: piece.start] + stand_in + masked[piece.end :]
    return [
        (tok.type, tok.string)
        for tok in tokenize.generate_tokens(io.StringIO(masked).readline)
        if tok.type not in (tokenize.ENCODING,)
    ]
