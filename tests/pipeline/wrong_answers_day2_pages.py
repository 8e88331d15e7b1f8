"""Day 2, part 1 (market pages and prices): a plausible wrong answer for every
autograded exercise, and the Russian of what its feedback shows (shapes of
``wrong_answers.py`` and ``shown_ru.py``)."""

from __future__ import annotations

WRONG_ANSWERS: dict[str, tuple[str, str]] = {
    # parses only the page looked at, not every page of the search results
    "day2_listing_count": (
        'FIELDS = {"title": "a.listing-title", "vendor": "div.vendor a"}\n'
        'PATTERN = "search_p1.html"\n'
        'RECORDS = "div.listing-card"\n'
        'FIELDS["price_usd"] = "span.usd"\n'
        'FIELDS["posted"] = "div.posted time"\n'
        'search_spec = PageSpec("listings", PATTERN, container="div.results", records=RECORDS,\n'
        "                       fields=FIELDS)\n"
        'search = parse_pages(pages / "market_en", search_spec)\n'
        "answer_1_1 = len(search)",
        "Parse every search_p*.html page",
    ),
    # counts the shops of the city instead of its offers
    "day2_city_offer_count": (
        'city = questions["city_for_offer_count"]\n'
        'in_city = cities[cities["city"] == city].drop_duplicates("shop")\n'
        "answer_1_2 = len(in_city)",
        "Count the cards on the city page",
    ),
    # takes the city of the showcase's first row, as if a shop had one city
    "day2_target_shop_cities": (
        'shop_rows = shops[shops["shop"] == questions["target_shop"]]\n'
        'answer_1_3 = [shop_rows["city"].iloc[0]]',
        "The distinct cities of the shop's showcase",
    ),
    # the mean, which one odd price moves, instead of the median
    "day2_price_per_gram_median": (
        'substance = questions["price_substance"]\n'
        'currency = questions["price_currency"]\n'
        'chosen = priced[(priced["substance"] == substance) & (priced["currency"] == currency)]\n'
        'answer_1_4 = chosen["per_gram"].mean()',
        "then the median (not the mean)",
    ),
    # the price of the listing, not divided by its grams
    "day2_price_per_gram_median_usd": (
        'listings["substance"] = [classify_title(title).substance for title in listings["title"]]\n'
        'chosen = listings[listings["substance"] == questions["usd_price_substance"]].copy()\n'
        'chosen["grams"] = [parse_quantity(title).grams for title in chosen["title"]]\n'
        'chosen["usd_per_gram"] = chosen["price_usd"]\n'
        'answer_1_5 = chosen["usd_per_gram"].median()',
        "USD price / grams",
    ),
    # keeps the groups the vendor does not offer, with a count of zero
    "day2_vendor_groups": (
        'row = offer.loc[questions["profile_vendor"]]\n'
        "answer_1_6 = {}\n"
        "for group, count in row.items():\n"
        "    answer_1_6[group] = int(count)",
        "leave out the groups with no listing",
    ),
    # the sales figure the market states, not the feedback entries counted
    "day2_feedback_count": (
        'vendor = questions["feedback_vendor"]\n'
        'answer_1_7 = int(profiles[profiles["alias"] == vendor]["sales"].iloc[0])',
        "Count the rows of the vendor's feedback table",
    ),
}

SHOWN_RU: dict[str, str] = {
    "Parse every search_p*.html page": "Разберите каждую страницу search_p*.html",
    "Count the cards on the city page": "Посчитайте карточки на странице города",
    "The distinct cities of the shop's showcase": "Различные города витрины магазина",
    "then the median (not the mean)": "затем медиана (не среднее)",
    "USD price / grams": "Цена в USD / граммы",
    "leave out the groups with no listing": "группы без объявлений не включайте",
    "Count the rows of the vendor's feedback table": (
        "Посчитайте строки таблицы отзывов этого продавца"
    ),
}

