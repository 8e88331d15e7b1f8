"""The case timeline: every source converted to UTC, keeping file and position."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from course.case import timeline as tl

DAY5 = Path(__file__).resolve().parents[2] / "source/day5-building-the-case/data"


def _exchange(tmp_path: Path) -> Path:
    folder = tmp_path / "exchange_response"
    folder.mkdir()
    (folder / "response.json").write_text(json.dumps({
        "account": {"account_id": "U1", "holder": {"full_name": "Турсунов Ерлан"},
                    "registered_utc": "2024-12-03T11:42:09Z"},
        "files": {"deposits": "deposits.csv", "withdrawals": "withdrawals.csv",
                  "logins": "logins.csv"}}), encoding="utf-8")
    (folder / "deposits.csv").write_text(
        "txid,address,amount_btc,confirmed_utc\n"
        "aa11,3Abc,0.5,2025-04-11T06:46:43Z\n", encoding="utf-8")
    (folder / "withdrawals.csv").write_text(
        "withdrawal_id,created_utc,amount_kzt,card_masked,status\n"
        "W1,2025-04-14T11:46:43Z,2124000,4400 43** **** 3692,completed\n", encoding="utf-8")
    (folder / "logins.csv").write_text(
        "time_utc,ip,country,user_agent\n"
        "2025-04-10T20:00:00Z,212.154.71.159,KZ,Firefox\n"
        "2025-04-12T01:00:00Z,185.111.40.147,SE,Chrome\n", encoding="utf-8")
    return folder


def test_zone_and_to_utc() -> None:
    assert tl.to_utc("2025-09-02T16:05:00Z") == pd.Timestamp("2025-09-02 16:05:00", tz="UTC")
    assert tl.to_utc("2025-09-02T21:05:00", "+05:00") == pd.Timestamp("2025-09-02 16:05",
                                                                        tz="UTC")
    assert tl.to_utc("2025-09-02 00:30:00", "UTC-03:00") == pd.Timestamp("2025-09-02 03:30",
                                                                          tz="UTC")
    # an explicit offset in the text wins over tz
    assert tl.to_utc("2025-09-02T10:00:00+06:00", "+05:00") == pd.Timestamp("2025-09-02 04:00",
                                                                            tz="UTC")


def test_time_without_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        tl.to_utc("2025-09-02T16:05:00")
    with pytest.raises(ValueError, match="not a time zone"):
        tl.zone("Almaty")


def test_exchange_events_keep_line_numbers(tmp_path: Path) -> None:
    events = tl.from_exchange(_exchange(tmp_path), root=tmp_path)
    table = tl.build(events)
    assert list(table["kind"]) == ["exchange.registered", "exchange.login", "exchange.deposit",
                                   "exchange.login", "exchange.withdrawal"]
    assert list(table["position"]) == ["account.registered_utc", "line 2", "line 2",
                                       "line 3", "line 2"]
    assert list(table["source"]) == ["exchange_response/response.json",
                                     "exchange_response/logins.csv",
                                     "exchange_response/deposits.csv",
                                     "exchange_response/logins.csv",
                                     "exchange_response/withdrawals.csv"]
    assert table.loc[2, "actor"] == "3Abc"
    assert table.loc[4, "what"] == "2124000 KZT to card 4400 43** **** 3692"
    # 06:46:43 UTC is 11:46:43 in Kazakhstan (UTC+5)
    assert table.loc[2, "local_time"] == "2025-04-11T11:46:43+05:00"
    assert (table["source_tz"] == "UTC").all()


def test_messenger_uses_unix_time_and_records_the_local_offset(tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    # 1755935460 is 2025-08-23 07:51:00 UTC (date -u -d @1755935460); 'date' written at UTC+5
    path.write_text(json.dumps({"chats": {"list": [
        {"name": "Алмаз", "messages": [
            {"id": 7, "date": "2025-08-23T12:51:00", "date_unixtime": "1755935460",
             "from": "Ерлан", "text": ["Развези ", {"type": "bold", "text": "остаток"}]}]}]}},
        ensure_ascii=False), encoding="utf-8")
    event = tl.from_messenger(path, root=tmp_path).iloc[0]
    assert event["time_utc"] == pd.Timestamp("2025-08-23 07:51:00", tz="UTC")
    assert event["what"] == "[Алмаз] Развези остаток"
    assert event["position"] == "chats.list[0].messages[0] (id 7)"
    assert event["source_tz"].endswith("UTC+05:00")


def test_notes_need_their_zone(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    path.write_text('[{"id": 2, "title": "резерв", "created": "2025-09-02T23:12:41"}]',
                    encoding="utf-8")
    with pytest.raises(TypeError):
        tl.from_notes(path)   # tz is required: a phone's clock is never guessed
    event = tl.from_notes(path, tz="+05:00").iloc[0]
    assert event["time_utc"] == pd.Timestamp("2025-09-02 18:12:41", tz="UTC")
    assert (event["position"], event["source_tz"]) == ("[0] (id 2)", "+05:00")


def test_bookmarks_add_date(tmp_path: Path) -> None:
    path = tmp_path / "bookmarks.html"
    path.write_text('<DL>\n<DT><A HREF="http://x.onion/" ADD_DATE="1750000000">Saiga</A>\n',
                    encoding="utf-8")
    event = tl.from_bookmarks(path).iloc[0]
    # date -u -d @1750000000 -> 2025-06-15 15:06:40 UTC
    assert event["time_utc"] == pd.Timestamp("2025-06-15 15:06:40", tz="UTC")
    assert (event["position"], event["what"]) == ("line 2", "Saiga http://x.onion/")


def test_photos_skip_stripped_and_convert_camera_clock() -> None:
    photos = pd.DataFrame({"file": ["photos/a.jpg", "photos/b.jpg"],
                           "taken": pd.to_datetime(["2025-08-03 09:51:00", None]),
                           "lat": [51.184157, None], "lon": [71.49299, None],
                           "serial": ["R58A", None]})
    events = tl.from_photos(photos, tz="+05:00", source="day2/")
    assert len(events) == 1
    event = events.iloc[0]
    assert event["time_utc"] == pd.Timestamp("2025-08-03 04:51:00", tz="UTC")
    assert event["source"] == "day2/photos/a.jpg"
    assert event["what"] == "photo taken at 51.184157, 71.492990"


def test_market_dates_are_day_precision_with_record_numbers() -> None:
    feedback = pd.DataFrame({"vendor": ["QuietOwl", "QuietOwl", "AlmaLabz"],
                             "date": pd.to_datetime(["2025-09-01", "2025-08-01", "2025-07-01"]),
                             "item": ["a", "b", "c"],
                             "file": ["feedback_05.html", "feedback_05.html", "feedback_01.html"]})
    events = tl.from_market({"feedback": feedback}, tz="UTC")
    assert list(events["position"]) == ["record 1", "record 2", "record 1"]
    assert (events["precision"] == "day").all()
    assert events.iloc[1]["time_utc"] == pd.Timestamp("2025-08-01", tz="UTC")


def test_ledger_only_chosen_transactions(tmp_path: Path) -> None:
    path = tmp_path / "transactions.csv"
    path.write_text("txid,block_height,block_time,output_value,fee\n"
                    "t1,100,2025-01-01T22:26:45Z,5000,10\n"
                    "t2,101,2025-01-02T20:33:07Z,7000,20\n", encoding="utf-8")
    events = tl.from_ledger(path, {"t2"})
    assert list(events["actor"]) == ["t2"] and list(events["position"]) == ["line 3"]
    assert events.iloc[0]["what"] == "block 101, 7000 sat out, fee 20 sat"


def test_build_orders_all_sources_and_between(tmp_path: Path) -> None:
    notes = tmp_path / "notes.json"
    # 2025-04-11 11:00 at UTC+5 is 06:00 UTC: before the deposit at 06:46:43 UTC
    notes.write_text('[{"id": 1, "title": "n", "created": "2025-04-11T11:00:00"}]',
                     encoding="utf-8")
    table = tl.build(tl.from_exchange(_exchange(tmp_path)), tl.from_notes(notes, tz="+05:00"))
    assert list(table.columns) == tl.COLUMNS
    assert list(table["kind"])[2:4] == ["phone.note", "exchange.deposit"]
    window = tl.between(table, "2025-04-11T00:00:00", "2025-04-12T00:00:00")
    assert list(window["kind"]) == ["phone.note", "exchange.deposit"]
    assert tl.build().empty


def test_day5_sources_in_one_table() -> None:
    table = tl.build(
        tl.from_exchange(DAY5 / "exchange_response", root=DAY5),
        tl.from_messenger(DAY5 / "seized/phone/messenger_export/result.json", root=DAY5),
        tl.from_notes(DAY5 / "seized/phone/notes.json", tz="+05:00", root=DAY5),
        tl.from_bookmarks(DAY5 / "seized/laptop/bookmarks.html", root=DAY5))
    assert table["time_utc"].is_monotonic_increasing
    first_login = table[table["kind"] == "exchange.login"].iloc[0]
    assert first_login["time_utc"] == pd.Timestamp("2025-09-02 16:05:00", tz="UTC")
    assert first_login["actor"] == "212.154.71.159"
    assert first_login["position"] == "line 2"
    seed_note = table[(table["kind"] == "phone.note")].iloc[1]
    assert seed_note["what"] == "резерв"
    assert seed_note["time_utc"] == pd.Timestamp("2025-09-02 18:12:41", tz="UTC")


def test_plot_has_one_row_per_kind(tmp_path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    table = tl.build(tl.from_exchange(_exchange(tmp_path)))
    figure = tl.plot(table)
    labels = [label.get_text() for label in figure.axes[0].get_yticklabels()]
    assert labels == ["exchange: deposit", "exchange: login", "exchange: account opened",
                      "exchange: withdrawal"]


def test_plot_labels_in_russian(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import matplotlib

    matplotlib.use("Agg")
    monkeypatch.setenv("COURSE_LANG", "ru")
    table = tl.build(tl.from_exchange(_exchange(tmp_path)))
    labels = [label.get_text() for label in tl.plot(table).axes[0].get_yticklabels()]
    assert labels == ["биржа: пополнение", "биржа: вход в аккаунт", "биржа: открытие аккаунта",
                      "биржа: вывод средств"]


def test_day2_photos_and_feedback_through_the_market_readers() -> None:
    from course.market.photos import photo_table
    from course.market.specs import read_market

    day2 = DAY5.parents[1] / "day2-market-osint/data"
    photos = tl.from_photos(photo_table(day2 / "photos"), tz="UTC", source="day2/")
    drop = photos[photos["source"] == "day2/photos/drop_11.jpg"].iloc[0]
    # EXIF DateTimeOriginal of drop_11.jpg is 2025:08:03 14:51:00, read as UTC
    assert drop["time_utc"] == pd.Timestamp("2025-08-03 14:51:00", tz="UTC")
    assert (drop["actor"], drop["what"]) == ("R58A931A713F", "photo taken at 51.184157, 71.492990")
    market = tl.from_market(read_market(day2 / "pages/market_en", "market_en"), tz="UTC",
                            source="day2/pages/")
    first = market[market["source"] == "day2/pages/market_en/feedback_01.html"].iloc[0]
    # feedback_01.html: first row dated 2025-10-10, by vendor AlmaLabz
    assert (first["time_utc"], first["actor"], first["position"]) == (
        pd.Timestamp("2025-10-10", tz="UTC"), "AlmaLabz", "record 1")


def test_exchange_events_speak_the_course_language(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COURSE_LANG", "ru")
    table = tl.build(tl.from_exchange(_exchange(tmp_path), root=tmp_path))
    assert table.loc[4, "what"] == "2124000 KZT на карту 4400 43** **** 3692"
    assert table.loc[2, "what"] == "0.5 BTC, транзакция aa11..."
    assert table.loc[1, "what"].startswith("вход с ")
