"""A plausible wrong answer for every autograded exercise of every day.

``test grade_id -> (code for its answer cell, text the hidden test's failure shows)``.
Each is a mistake a trainee really makes; each must pass the visible tests
and fail the hidden one.
"""

from __future__ import annotations

WRONG_ANSWERS: dict[str, tuple[str, str]] = {
    # counting the header line as a row
    "day0_seizure_count": ("answer_0_1 = len(seizures) + 1", "is not what the data gives"),
    # strips spaces only, not line breaks or tabs
    "day0_normalise_city": (
        'def normalise_city(text):\n    return text.strip(" ").title()',
        "line breaks at the end must go too",
    ),
    # takes the neighbouring column: every country once, instead of every city
    "day0_cities": (
        'answer_0_3 = sorted(seizures["country"].unique())',
        "is not what the data gives",
    ),
    # compares with >= where the exercise says "more than"
    "day0_weights_over": (
        "def weights_over(weights, limit):\n"
        "    found = []\n"
        "    for weight in weights:\n"
        "        if weight >= limit:\n"
        "            found.append(weight)\n"
        "    return found",
        "use >, not >=",
    ),
    # overwrites the total with each row's weight instead of adding it
    "day0_grams_by_substance": (
        "grams_by_substance = {}\n"
        'for substance, weight in zip(seizures["substance"], seizures["weight_g"]):\n'
        "    grams_by_substance[substance] = weight",
        "is not what the data gives",
    ),
    # forgets the weight condition
    "day0_heavy_mephedrone_almaty": (
        'heavy = seizures[(seizures["city"] == "Almaty")\n'
        '                 & (seizures["substance"] == "mephedrone")]\n'
        "answer_0_6 = len(heavy)",
        "is not what the data gives",
    ),
    # -- day 1 -----------------------------------------------------------------------
    # a difference ("how many more") instead of a factor ("how many times more")
    "day1_nps_growth": (
        "answer_1_1 = CENTRAL_ASIA_NPS_REPORTED[2016] - CENTRAL_ASIA_NPS_REPORTED[2015]",
        "divide the 2016 figure by the 2015 figure",
    ),
    # treats every recognised drug as an NPS, controlled drugs and medicines included
    "day1_is_nps": (
        "from course.nps import NPS_GROUPS\n\n\n"
        "def is_nps(title):\n"
        "    group = classify_title(title).group\n"
        '    return group != "unknown" and group != "controlled"',
        "tramadol is a medicine outside international control: not an NPS",
    ),
    # classifies the title id instead of the title
    "day1_title_groups": (
        "answer_1_3 = {}\n"
        'for title_id, title in zip(asked["title_id"], asked["title"]):\n'
        "    answer_1_3[title_id] = classify_title(title_id).group",
        "is not what the data gives",
    ),
    # classifies only the first word of each title ("the drug name comes first")
    "day1_listings_per_group": (
        'titles["group"] = [classify_title(title.split()[0]).group for title in titles["title"]]\n'
        "listings_per_group = {}\n"
        'for group in titles["group"]:\n'
        "    listings_per_group[group] = listings_per_group.get(group, 0) + 1",
        "is not what the data gives",
    ),
    # thinks the guard, which routes the traffic, knows where it goes
    "day1_relay_knowledge": (
        'who_knows = {"your_ip_address": "guard", "destination": "guard",\n'
        '             "request_content": "exit", "both_you_and_destination": "none"}',
        "only the exit connects to the destination",
    ),
    # counts the columns of the table instead of its rows
    "day1_relay_count": ("answer_2_3 = len(relays.columns)", "is not what the data gives"),
    # counts only the relays that are guards and not exits
    "day1_guard_count": (
        'answer_2_4 = len(relays[has_flag("Guard") & ~has_flag("Exit")])',
        "is not what the data gives",
    ),
    # leaves out the exits that also carry BadExit
    "day1_exit_count": (
        'answer_2_5 = len(relays[has_flag("Exit") & ~has_flag("BadExit")])',
        "is not what the data gives",
    ),
    # confuses the two directory flags
    "day1_hsdir_count": (
        'answer_2_6 = len(relays[has_flag("V2Dir")])',
        "is not what the data gives",
    ),
    # writes the flag in lower case, which matches no relay
    "day1_badexit_count": (
        'answer_2_7 = len(relays[has_flag("badexit")])',
        "is not what the data gives",
    ),
    # compares the first characters of the text instead of the first two numbers
    "day1_same_subnet16": (
        "def same_16(address_a, address_b):\n    return address_a[:6] == address_b[:6]",
        "compare the numbers, not the first characters",
    ),
    # the relay's share of the guards' bandwidth, ignoring the consensus weights
    "day1_guard_probability": (
        'named_bw = guards[guards["nickname"] == name]["bandwidth"].iloc[0]\n'
        'answer_2_9 = named_bw / guards["bandwidth"].sum()',
        "not its bandwidth by the sum of bandwidths",
    ),
    # requires the Exit flag, which a client does not need (path-spec 2.2.1)
    "day1_exits_port_443": (
        'port = questions["exit_port"]\n'
        "exits_443 = []\n"
        "for row in relays.itertuples():\n"
        "    if row.is_exit and not row.is_badexit and accepts_port(row.policy, port):\n"
        "        exits_443.append(row.nickname)",
        "The Exit flag is not needed",
    ),
    # looks the addresses up in today's consensus instead of the one valid at the post
    "day1_tor_ips": (
        "tor_ips = []\n"
        "for row in posts.itertuples():\n"
        '    if row.ip in set(relays["address"]):\n'
        "        tor_ips.append(row.ip)",
        "not against today's consensus",
    ),
    # the client introduces itself before it has set up its rendezvous point
    "day1_rendezvous_order": (
        'rendezvous_order = ["D", "G", "A", "C", "F", "H", "B", "E"]',
        "INTRODUCE1 (C) needs both the descriptor and the client's rendezvous point",
    ),
    # checks the version byte only, never the checksum: typo clones pass
    "day1_valid_addresses": (
        "def checksum_ok(address):\n"
        "    public_key, checksum, version = address_parts(address)\n"
        '    return version == b"\\x03"\n\n\n'
        'valid_addresses = [a for a in candidates["address"] if checksum_ok(a)]',
        "whose checksum and version byte are right",
    ),
    # puts the version before the checksum
    "day1_derived_address": (
        'version = b"\\x03"\n'
        'checksum = hashlib.sha3_256(b".onion checksum" + public_key + version).digest()[:2]\n'
        "derived_address = base64.b32encode(public_key + version + checksum)"
        '.decode("ascii").lower() + ".onion"',
        "is not what the data gives",
    ),
    # judges the lists by where they were posted instead of by their signature
    "day1_tampered_mirror_lists": (
        'tampered = [p.name for p in mirror_lists if "forum" in p.name]',
        "is not what the data gives",
    ),
    # only the addresses with a broken checksum; the valid lookalikes are kept as if verified
    "day1_unverified_addresses": (
        "from course.tor.onion import is_valid_address\n\n"
        "unverified = []\n"
        'for address in candidates["address"]:\n'
        "    if not is_valid_address(address):\n"
        "        unverified.append(address)",
        "A valid checksum is not enough",
    ),
}

#: Answers that differ from the solution and are right: each must get the exercise's
#: full points. ``grade_id -> [code for its answer cell, ...]``.
ALSO_RIGHT: dict[str, list[str]] = {
    # the solution follows rend-spec-v3 1.1 (rendezvous point first, then the descriptor);
    # tor fetches a missing descriptor first; and the client's preparation does not wait
    # for the service's
    "day1_rendezvous_order": [
        'rendezvous_order = ["D", "G", "A", "F", "C", "H", "B", "E"]',
        'rendezvous_order = ["F", "D", "G", "A", "C", "H", "B", "E"]',
    ],
    # the exercise asks for 4 decimal places: the worked example's rounding passes
    "day1_guard_probability": [
        'named_weight = guards[guards["nickname"] == name]["guard_weight"].iloc[0]\n'
        'answer_2_9 = round(named_weight / guards["guard_weight"].sum(), 4)',
        'answer_2_9 = float(f\'{guards.set_index("nickname").loc[name, "guard_weight"]'
        ' / guards["guard_weight"].sum():.4f}\')',
    ],
    # the same two conditions, written as a list comprehension
    "day1_exits_port_443": [
        'port = questions["exit_port"]\n'
        "exits_443 = [r.nickname for r in relays.itertuples()\n"
        "             if not r.is_badexit and accepts_port(r.policy, port)]",
    ],
}


def _merge_day_modules() -> None:
    """Add each later day's entries, kept in ``wrong_answers_dayN.py`` beside this file.

    A day module defines ``WRONG_ANSWERS`` and ``SHOWN_RU`` (and may define
    ``ALSO_RIGHT``) in the shape of this module's and of ``shown_ru.py``'s.
    """
    import importlib
    from pathlib import Path

    from pipeline.shown_ru import SHOWN_RU

    for path in sorted(Path(__file__).parent.glob("wrong_answers_day*.py")):
        module = importlib.import_module(f"pipeline.{path.stem}")
        for name, target in (("WRONG_ANSWERS", WRONG_ANSWERS), ("ALSO_RIGHT", ALSO_RIGHT),
                             ("SHOWN_RU", SHOWN_RU)):
            extra = getattr(module, name, {})
            clash = set(extra) & set(target)
            if clash and name != "SHOWN_RU":
                raise ValueError(f"{path.name}: {name} entries defined twice: {sorted(clash)}")
            target.update(extra)


_merge_day_modules()
