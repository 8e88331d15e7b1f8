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
    # sorted but with every repetition kept
    "day0_cities": ('answer_0_3 = sorted(seizures["city"])', "is not what the data gives"),
    # counts seizures instead of adding up their weights
    "day0_grams_by_substance": (
        "grams_by_substance = {}\n"
        'for substance, weight in zip(seizures["substance"], seizures["weight_g"]):\n'
        "    grams_by_substance[substance] = grams_by_substance.get(substance, 0) + 1",
        "is not what the data gives",
    ),
    # forgets the weight condition
    "day0_heavy_mephedrone_almaty": (
        'heavy = seizures[(seizures["city"] == "Almaty") & (seizures["substance"] == "mephedrone")]\n'
        "answer_0_5 = len(heavy)",
        "is not what the data gives",
    ),
}
