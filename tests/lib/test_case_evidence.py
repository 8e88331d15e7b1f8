"""Evidence hashes against a seizure's list, and the custody log's tamper test."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from course.case.evidence import GENESIS, CustodyLog, check_hashes, read_hash_list

# sha256sum of the bytes, computed with coreutils' sha256sum, not by the code under test
SHA_ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
SHA_EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
SHA_ABD = "a52d159f262b2c6ddb724a61840befc36eb30c88877a4030b65cbe86298449c9"
DAY5 = Path(__file__).resolve().parents[2] / "source/day5-building-the-case/data/seized"


def _seizure(tmp_path: Path) -> Path:
    root = tmp_path / "seized"
    (root / "phone").mkdir(parents=True)
    (root / "phone" / "notes.json").write_bytes(b"abc")
    (root / "phone" / "empty.txt").write_bytes(b"")
    (root / "laptop").mkdir()
    (root / "laptop" / "bookmarks.html").write_bytes(b"abd")   # listed as "abc": changed
    (root / "laptop" / "cache.db").write_bytes(b"abc")          # not listed: extra
    (root / "hashes.sha256").write_text(
        f"{SHA_ABC}  phone/notes.json\n"
        f"{SHA_EMPTY} *phone/empty.txt\n"
        f"{SHA_ABC}  laptop/bookmarks.html\n"
        f"{SHA_ABC}  phone/photo.jpg\n", encoding="utf-8")
    return root


def test_read_hash_list_text_and_binary_mode(tmp_path: Path) -> None:
    listed = read_hash_list(_seizure(tmp_path) / "hashes.sha256")
    assert listed == {"phone/notes.json": SHA_ABC, "phone/empty.txt": SHA_EMPTY,
                      "laptop/bookmarks.html": SHA_ABC, "phone/photo.jpg": SHA_ABC}


def test_bad_hash_line_is_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "hashes.sha256"
    bad.write_text(f"{SHA_ABC}  a.txt\nnot a hash  b.txt\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"hashes.sha256, line 2") as info:
        read_hash_list(bad)
    assert "\n" not in str(info.value)


def test_match_mismatch_missing_extra_by_file(tmp_path: Path) -> None:
    check = check_hashes(_seizure(tmp_path))
    status = dict(zip(check.table["file"], check.table["status"], strict=True))
    assert status == {"phone/notes.json": "match", "phone/empty.txt": "match",
                      "laptop/bookmarks.html": "mismatch", "phone/photo.jpg": "missing",
                      "laptop/cache.db": "extra"}
    assert check.mismatched == ["laptop/bookmarks.html"]
    assert check.missing == ["phone/photo.jpg"]
    assert check.extra == ["laptop/cache.db"]
    assert not check.ok
    row = check.table.set_index("file").loc["laptop/bookmarks.html"]
    assert (row["expected"], row["actual"]) == (SHA_ABC, SHA_ABD)


def test_all_match_is_ok(tmp_path: Path) -> None:
    root = tmp_path / "e"
    root.mkdir()
    (root / "a.txt").write_bytes(b"abc")
    check = check_hashes(root, {"a.txt": SHA_ABC.upper()})
    assert check.ok and check.mismatched == check.missing == check.extra == []


def test_day5_seizure_bookmarks_changed() -> None:
    check = check_hashes(DAY5)
    assert check.mismatched == ["laptop/bookmarks.html"]
    assert check.missing == [] and check.extra == []
    assert sorted(check.files("match")) == ["phone/messenger_export/result.json",
                                            "phone/notes.json"]


def test_missing_folder_is_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="No evidence folder"):
        check_hashes(tmp_path / "nowhere")


def _log(tmp_path: Path) -> CustodyLog:
    log = CustodyLog(tmp_path / "custody.jsonl")
    log.append("A", "seized", "warrant", when="2025-11-21T10:00:00+05:00")
    log.append("B", "imaged phone", "forensic copy", when="2025-11-21T12:30:00+05:00",
               item="phone/notes.json", item_sha256=SHA_ABC)
    log.append("C", "received copy", "analysis", when="2025-11-22T09:00:00Z")
    log.append("D", "returned", "end of analysis", when="2025-11-23T09:00:00Z")
    return log


def test_first_entry_hash_and_chain(tmp_path: Path) -> None:
    entries = _log(tmp_path).entries()
    first = entries[0]
    assert first["time_utc"] == "2025-11-21T05:00:00Z"          # +05:00 stored as UTC
    assert first["prev"] == GENESIS == "0" * 64
    # sha256sum of the entry's canonical JSON, computed outside the code under test
    assert first["hash"] == "c61909df8033f4a6dd9e84da70ce56a9700b928767818b7ccf1ff96dbab15062"
    assert [e["prev"] for e in entries[1:]] == [e["hash"] for e in entries[:-1]]
    assert [e["seq"] for e in entries] == [1, 2, 3, 4]


def test_intact_log_verifies(tmp_path: Path) -> None:
    log = _log(tmp_path)
    result = log.verify(expected_head=log.head())
    assert result.ok and result.entries == 4 and result.problem is None


def _rewrite(log: CustodyLog, lines: list[str]) -> None:
    log.path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def test_edited_entry_is_named(tmp_path: Path) -> None:
    log = _log(tmp_path)
    lines = log.path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace('"who": "B"', '"who": "X"')
    _rewrite(log, lines)
    result = log.verify()
    assert (result.ok, result.line, result.seq, result.problem) == (False, 2, 2, "edited")
    assert "line 2" in result.message


def test_edited_and_rehashed_entry_breaks_the_next(tmp_path: Path) -> None:
    log = _log(tmp_path)
    entries = log.entries()
    entries[1]["why"] = "curiosity"
    body = {k: v for k, v in entries[1].items() if k != "hash"}
    entries[1]["hash"] = hashlib.sha256(json.dumps(
        body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
    _rewrite(log, [json.dumps(e, ensure_ascii=False) for e in entries])
    result = log.verify()
    assert (result.ok, result.line, result.seq, result.problem) == (
        False, 3, 3, "removed_or_reordered")


def test_removed_entry_is_named(tmp_path: Path) -> None:
    log = _log(tmp_path)
    lines = log.path.read_text(encoding="utf-8").splitlines()
    _rewrite(log, [lines[0], lines[2], lines[3]])
    result = log.verify()
    assert (result.ok, result.line, result.seq, result.problem) == (
        False, 2, 3, "removed_or_reordered")


def test_reordered_entries_are_named(tmp_path: Path) -> None:
    log = _log(tmp_path)
    lines = log.path.read_text(encoding="utf-8").splitlines()
    _rewrite(log, [lines[0], lines[2], lines[1], lines[3]])
    result = log.verify()
    assert (result.ok, result.line, result.seq, result.problem) == (
        False, 2, 3, "removed_or_reordered")


def _forged(after: dict, seq: int, who: str) -> str:
    """An entry forged to follow ``after``: right ``prev``, its own hash recomputed."""
    body = {**after, "seq": seq, "prev": after["hash"], "who": who, "what": "planted"}
    body.pop("hash")
    body["hash"] = hashlib.sha256(json.dumps(
        body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
    return json.dumps(body, ensure_ascii=False)


def test_inserted_entry_is_named(tmp_path: Path) -> None:
    """An entry slipped in between two others, well formed and chained to the one
    before it: the entry after it no longer points at its predecessor."""
    log = _log(tmp_path)
    lines = log.path.read_text(encoding="utf-8").splitlines()
    entries = log.entries()
    _rewrite(log, [lines[0], lines[1], _forged(entries[1], 3, "X"), lines[2], lines[3]])
    result = log.verify()
    assert (result.ok, result.line, result.seq, result.problem) == (
        False, 4, 3, "removed_or_reordered")


def test_inserted_entry_at_the_end_needs_the_head(tmp_path: Path) -> None:
    """An entry added after the last one extends the chain: only the head recorded
    elsewhere (e.g. in the report) shows it."""
    log = _log(tmp_path)
    head = log.head()
    entries = log.entries()
    with log.path.open("a", encoding="utf-8") as stream:
        stream.write(_forged(entries[-1], 5, "X") + "\n")
    assert log.verify().ok
    result = log.verify(expected_head=head)
    assert (result.ok, result.entries, result.problem) == (False, 5, "head_differs")


def test_cut_off_end_needs_the_head(tmp_path: Path) -> None:
    log = _log(tmp_path)
    head = log.head()
    lines = log.path.read_text(encoding="utf-8").splitlines()
    _rewrite(log, lines[:3])
    assert log.verify().ok                       # a shorter chain is still a chain
    result = log.verify(expected_head=head)
    assert (result.ok, result.entries, result.problem) == (False, 3, "head_differs")


def test_garbage_line_is_unreadable(tmp_path: Path) -> None:
    log = _log(tmp_path)
    with log.path.open("a", encoding="utf-8") as stream:
        stream.write("{not json\n")
    result = log.verify()
    assert (result.ok, result.line, result.problem) == (False, 5, "unreadable")


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"who": " ", "what": "x", "why": "y"}, "'who'"),
    ({"who": "a", "what": "x", "why": "y", "when": "2025-11-21T10:00:00"}, "no time zone"),
    ({"who": "a", "what": "x", "why": "y", "item_sha256": "abc"}, "not a SHA-256"),
])
def test_bad_entries_refused_and_log_kept(tmp_path: Path, kwargs: dict, match: str) -> None:
    log = _log(tmp_path)
    before = log.path.read_bytes()
    with pytest.raises(ValueError, match=match):
        log.append(**kwargs)
    assert log.path.read_bytes() == before


def test_empty_log(tmp_path: Path) -> None:
    log = CustodyLog(tmp_path / "none.jsonl")
    assert log.entries() == [] and log.head() == GENESIS
    assert log.verify().ok and log.verify().entries == 0
