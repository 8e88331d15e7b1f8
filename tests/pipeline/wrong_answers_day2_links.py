"""Plausible wrong answers of day 2, part 2 (indicators, links, photos, capture),
and the Russian of what their feedback shows (see ``wrong_answers.py``)."""

from __future__ import annotations

WRONG_ANSWERS: dict[str, tuple[str, str]] = {
    # keeps whatever looks like a bitcoin address: no checksum
    "day2_valid_btc_addresses_in_page": (
        "valid_btc = []\n"
        "for candidate in candidates:\n"
        '    if candidate.startswith("bc1"):\n'
        "        valid_btc.append(candidate)",
        "keep those whose checksum is valid",
    ),
    # "at least one market" instead of "more than one"
    "day2_shared_pgp_fingerprints": (
        "markets_of = {}\n"
        'for fingerprint, market in zip(keys["value"], keys["market"]):\n'
        "    markets_of.setdefault(fingerprint, set()).add(market)\n\n"
        "shared_fingerprints = []\n"
        "for fingerprint, markets in markets_of.items():\n"
        "    if len(markets) >= 1:\n"
        "        shared_fingerprints.append(fingerprint)",
        "not those seen on one market only",
    ),
    # keeps every link, the look-alike names' lead included
    "day2_linked_aliases": (
        "linked = {}\n"
        "for link in links:\n"
        "    shop, vendor = link.subject\n"
        "    linked[shop] = vendor",
        "Similar names are not enough",
    ),
    # "one or more photos": every serial qualifies, the last one wins
    "day2_photo_camera_serial_shared": (
        'counts = photos["serial"].value_counts()\n'
        "shared_serial = None\n"
        "for serial, count in counts.items():\n"
        "    if count >= 1:\n"
        "        shared_serial = serial",
        "one serial appears more than once",
    ),
    # counts the photos that have EXIF (forgets the ~)
    "day2_photo_stripped_count": (
        'stripped_count = len(photos[photos["has_exif"]])',
        "Count the photos with no EXIF at all",
    ),
    # reads minutes and seconds as decimals (the commonest DMS mistake)
    "day2_photo_to_degrees": (
        "def to_degrees(dms, ref):\n"
        "    degrees, minutes, seconds = (float(x) for x in dms)\n"
        "    value = degrees + minutes / 100 + seconds / 10000\n"
        '    if ref in ("S", "W"):\n'
        "        value = -value\n"
        "    return round(value, 6)",
        "divide the minutes by 60 and the seconds by 3600",
    ),
    # compares lower-case hashlib output with the log's upper-case hex
    "day2_capture_changed_files": (
        "changed = []\n"
        'for saved_file, logged in zip(handover_log["saved_file"], handover_log["sha256"]):\n'
        "    actual = sha256_file(handover / saved_file)\n"
        "    if actual != logged:\n"
        "        changed.append(saved_file)",
        "in the same case",
    ),
}

SHOWN_RU: dict[str, str] = {
    "keep those whose checksum is valid": "оставьте те, у которых контрольная сумма верна",
    "not those seen on one market only": "а не те, что встречаются только на одной площадке",
    "Similar names are not enough": "Похожих имён недостаточно",
    "one serial appears more than once": "один серийный номер встречается больше одного раза",
    "Count the photos with no EXIF at all": "Посчитайте фотографии совсем без EXIF",
    "divide the minutes by 60 and the seconds by 3600": "разделите минуты на 60, а секунды на 3600",
    "in the same case": "в одном регистре",
}
