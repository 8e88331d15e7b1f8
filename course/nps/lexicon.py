"""The NPS lexicon: substances, their groups and the words markets use for them.

Groups follow the UNODC Early Warning Advisory (EWA) on NPS, plus ``classic``
for drugs under international control since the 1961/1971 conventions
(heroin, cocaine, cannabis ...). Each substance carries the terms a product
title may use for it, each with a *kind*:

``name``
    the chemical or common English name, or a standard code ("4-MMC");
``ru``
    the Russian name;
``street``
    a street or market name ("меф", "соль", "spice");
``misspelling``
    a common misspelling seen in listings ("mefedron", "мефидрон");
``generic``
    a word for a whole group rather than one substance ("микс", "bath salts").

The kind sets the classifier's confidence (:data:`KIND_CONFIDENCE`). Terms
that several groups share on the street ("кристаллы" is sold as alpha-PVP,
methamphetamine or mephedrone) are listed once, under the reading most common
in Central Asian shop markets, with kind ``street`` and a lower confidence.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Group ids (stable strings used in answers) -> (English label, Russian label).
GROUPS: dict[str, tuple[str, str]] = {
    "synthetic_cathinones": ("Synthetic cathinones", "Синтетические катиноны"),
    "synthetic_cannabinoids": ("Synthetic cannabinoids", "Синтетические каннабиноиды"),
    "phenethylamines": ("Phenethylamines", "Фенэтиламины"),
    "piperazines": ("Piperazines", "Пиперазины"),
    "tryptamines": ("Tryptamines", "Триптамины"),
    "aminoindanes": ("Aminoindanes", "Аминоинданы"),
    "ketamine_pcp": ("Ketamine and phencyclidine-type substances", "Кетамин и вещества типа ФЦП"),
    "plant_based": ("Plant-based substances", "Вещества растительного происхождения"),
    "synthetic_opioids": ("Synthetic opioids", "Синтетические опиоиды"),
    "benzodiazepines": ("Benzodiazepines", "Бензодиазепины"),
    "other_nps": ("Other substances", "Прочие вещества"),
    "classic": ("Classic controlled drugs", "Классические наркотики"),
    "unknown": ("Not a drug / not recognised", "Не наркотик / не распознано"),
}
UNKNOWN = "unknown"

#: Confidence of a match by the kind of term matched.
KIND_CONFIDENCE: dict[str, float] = {
    "name": 0.95,
    "ru": 0.95,
    "street": 0.8,
    "misspelling": 0.75,
    "generic": 0.6,
    "fuzzy": 0.5,
}
#: Street terms whose reading varies by region and shop (lower confidence).
AMBIGUOUS_STREET: frozenset[str] = frozenset(
    {"кристаллы", "кристалл", "крис", "скорость", "ск", "соль", "соли", "crystal", "crystals"}
)
AMBIGUOUS_CONFIDENCE = 0.6


@dataclass(frozen=True)
class Substance:
    """One substance of the lexicon and the terms that name it."""

    name: str
    name_ru: str
    group: str
    terms: tuple[tuple[str, str], ...]


def _s(canonical: str, canonical_ru: str, grp: str, /, **kinds: str) -> Substance:
    """Build a substance; ``kinds`` maps a kind to ``|``-separated terms."""
    terms = [("name", canonical.lower()), ("ru", canonical_ru.lower())]
    for kind, words in kinds.items():
        terms.extend((kind, w.strip()) for w in words.split("|") if w.strip())
    return Substance(canonical, canonical_ru, grp, tuple(terms))


CAT, SCRA = "synthetic_cathinones", "synthetic_cannabinoids"
PEA, PIP = "phenethylamines", "piperazines"
TRY, AMI, KET, PLANT = "tryptamines", "aminoindanes", "ketamine_pcp", "plant_based"
OPI, BZD, OTHER, CLASSIC = "synthetic_opioids", "benzodiazepines", "other_nps", "classic"

SUBSTANCES: tuple[Substance, ...] = (
    # synthetic cathinones
    _s("mephedrone", "мефедрон", CAT,
       name="4-mmc|4mmc|4-methylmethcathinone",
       street="меф|мефчик|мяу|мяу мяу|meow meow|mcat|m-cat|meph|mef",
       misspelling="mefedron|mefedrone|mephedron|mephadrone|мефидрон|мефедрн|мифедрон|мефф"),
    _s("alpha-PVP", "альфа-PVP", CAT,
       name="a-pvp|alpha pvp|apvp|α-pvp|alpha-pyrrolidinovalerophenone",
       ru="альфа пвп|альфа-пвп|а-пвп|апвп",
       street="альфа|соль|соли|скорость|ск|кристаллы|кристалл|крис|flakka|флакка|crystals",
       misspelling="alfa pvp|alpha-pvp crystal|альфапвп"),
    _s("alpha-PHP", "альфа-PHP", CAT, name="a-php|aphp|alpha php|a-pihp|alpha-pihp"),
    _s("3-MMC", "3-ММК", CAT, name="3mmc|3-methylmethcathinone", misspelling="3 mmc"),
    _s("4-CMC", "4-CMC", CAT, name="4cmc|clephedrone|4-chloromethcathinone", ru="клефедрон"),
    _s("N-ethylpentedrone", "N-этилпентедрон", CAT, name="nep|n-ethylpentedrone", ru="неп"),
    _s("MDPV", "МДПВ", CAT, name="methylenedioxypyrovalerone", ru="мдпв"),
    _s("methylone", "метилон", CAT, name="bk-mdma"),
    _s("synthetic cathinone (unspecified)", "синтетический катинон", CAT,
       generic="bath salts|bath salt|соль для ванн|cathinone|катинон"),
    # synthetic cannabinoids
    _s("MDMB-4en-PINACA", "MDMB-4en-PINACA", SCRA,
       name="mdmb 4en pinaca|mdmb4en|mdmb-4en|4en-pinaca|4en",
       misspelling="mdmb-4en-pinoca|mdmb-4-en-pinaca"),
    _s("ADB-BUTINACA", "ADB-BUTINACA", SCRA, name="adb butinaca|adbb|adb-b",
       misspelling="adb-butinaka|adb-butinca"),
    _s("5F-MDMB-PICA", "5F-MDMB-PICA", SCRA, name="5f mdmb pica|5f-mdmb-2201|5fmdmb"),
    _s("JWH-018", "JWH-018", SCRA, name="jwh018|jwh 018|jwh"),
    _s("AB-PINACA", "AB-PINACA", SCRA, name="ab pinaca"),
    _s("synthetic cannabinoid (unspecified)", "синтетический каннабиноид", SCRA,
       street="спайс|спайсы|spice|k2|микс|миксы|курительная смесь|шпак|"
              "синтетика|реагент|рега",
       generic="synthetic cannabinoid|synthetic cannabinoids|herbal incense|research chemical "
               "cannabinoid|jwh blend|k2 spice"),
    # phenethylamines
    _s("2C-B", "2C-B", PEA, name="2cb|2c b|nexus", street="тусибай|tusi|tucibi|pink cocaine",
       misspelling="2-cb|2c-b pills"),
    _s("25I-NBOMe", "25I-NBOMe", PEA, name="25i|nbome|25i nbome", street="n-bomb|нбомб"),
    _s("2C-E", "2C-E", PEA, name="2ce"),
    _s("DOC", "DOC", PEA, name="2,5-dimethoxy-4-chloroamphetamine"),
    # piperazines
    _s("BZP", "БЗП", PIP, name="benzylpiperazine|1-benzylpiperazine", ru="бензилпиперазин"),
    _s("TFMPP", "ТФМПП", PIP, name="trifluoromethylphenylpiperazine"),
    _s("mCPP", "мХФП", PIP, name="m-cpp|meta-chlorophenylpiperazine"),
    # tryptamines
    _s("DMT", "ДМТ", TRY, name="dimethyltryptamine|n,n-dmt", street="spirit molecule"),
    _s("5-MeO-DMT", "5-MeO-ДМТ", TRY, name="5meo dmt|5-meo|5meo"),
    _s("4-AcO-DMT", "4-AcO-ДМТ", TRY, name="4aco dmt|4-aco|psilacetin"),
    _s("DPT", "ДПТ", TRY, name="dipropyltryptamine"),
    _s("AMT", "АМТ", TRY, name="alpha-methyltryptamine"),
    # aminoindanes
    _s("MDAI", "МДАИ", AMI, name="5,6-methylenedioxy-2-aminoindane"),
    _s("5-IAI", "5-ИАИ", AMI, name="5iai|5-iodo-2-aminoindane"),
    _s("2-AI", "2-АИ", AMI, name="2-aminoindane"),
    # ketamine and PCP-type
    _s("ketamine", "кетамин", KET, street="кет|кета|кетос|ket|special k|k-hole|кетамин hcl",
       misspelling="ketamin|ketamine hcl|кетамен|китамин"),
    _s("3-MeO-PCP", "3-MeO-ПЦП", KET, name="3meo pcp|3-meo|3meo"),
    _s("methoxetamine", "метоксетамин", KET, name="mxe", ru="мхе|мксе"),
    _s("deschloroketamine", "дешлоркетамин", KET, name="dck|2-fdck|2f-dck|2fdck", ru="дск"),
    _s("PCP", "ФЦП", KET, name="phencyclidine|angel dust", ru="фенциклидин"),
    # plant-based
    _s("kratom", "кратом", PLANT, name="mitragyna speciosa|mitragynine", street="kratom powder",
       misspelling="kratum|кротом"),
    _s("Salvia divinorum", "сальвия", PLANT, name="salvia|salvinorin a",
       ru="шалфей предсказателей"),
    _s("khat", "кат", PLANT, name="qat|catha edulis"),
    # synthetic opioids
    _s("metonitazene", "метонитазен", OPI, misspelling="metonitazen|metonitazine|метонитазин"),
    _s("protonitazene", "протонитазен", OPI, misspelling="protonitazen|protonitazine|протонитазин"),
    _s("isotonitazene", "изотонитазен", OPI, name="isotonitazine",
       misspelling="isotonitazen|изотонитазин"),
    _s("N-pyrrolidino etonitazene", "этонитазепин", OPI,
       name="etonitazepyne|n-pyrrolidino-etonitazene"),
    _s("nitazene (unspecified)", "нитазен", OPI,
       generic="nitazene|nitazenes|нитазены|nitazine|ниты"),
    _s("fentanyl", "фентанил", OPI, street="фент|fent|китайский белый|china white",
       misspelling="fentanil|phentanyl|fentanly|фентонил"),
    _s("carfentanil", "карфентанил", OPI, misspelling="carfentanyl|карфентанил"),
    _s("acetylfentanyl", "ацетилфентанил", OPI, name="acetyl fentanyl"),
    _s("tramadol", "трамадол", OPI, street="трамик|трамал|tramal", misspelling="tramodol"),
    # benzodiazepines
    _s("bromazolam", "бромазолам", BZD, misspelling="bromazolam pellets|бромозолам"),
    _s("etizolam", "этизолам", BZD, name="etizest", misspelling="etizolan|этизолан"),
    _s("flualprazolam", "флуалпразолам", BZD, name="flualp"),
    _s("clonazolam", "клоназолам", BZD, misspelling="clonazolan"),
    _s("flubromazolam", "флубромазолам", BZD, name="flubrom|flubro"),
    _s("alprazolam", "алпразолам", BZD, name="xanax|xanax bars|ксанакс", street="ксаник|xannies",
       misspelling="alprazolan|xanex"),
    _s("designer benzodiazepine (unspecified)", "дизайнерский бензодиазепин", BZD,
       generic="benzo|benzos|бензы|бензо|designer benzo"),
    # other substances
    _s("phenibut", "фенибут", OTHER),
    _s("tianeptine", "тианептин", OTHER, name="coaxil", ru="коаксил"),
    _s("GBL", "ГБЛ", OTHER, name="gamma-butyrolactone|gbl", ru="гбл", street="бутик|бутират"),
    _s("pregabalin", "прегабалин", OTHER, name="lyrica", ru="лирика"),
    # classic drugs
    _s("heroin", "героин", CLASSIC, street="гера|герыч|хмурый|белый китаец",
       misspelling="heroine|geroin|героен"),
    _s("cocaine", "кокаин", CLASSIC, street="кокс|coke|charlie|блоу",
       misspelling="cocain|cocaina|kokain|кокаинум"),
    _s("cannabis", "каннабис", CLASSIC,
       name="marijuana|weed|cannabis flowers|buds|ganja", ru="марихуана|конопля",
       street="шишки|бошки|бошка|канабис|ганджа|гидропоника|og kush|kush|haze",
       misspelling="marihuana|mariuana|марехуана"),
    _s("hashish", "гашиш", CLASSIC, name="hash|charas", street="гаш|плюх|чарас",
       misspelling="hashis|гошиш"),
    _s("amphetamine", "амфетамин", CLASSIC, name="speed|amphetamine sulfate",
       street="фен|фенамин|амф|амфа|speed paste", misspelling="amfetamine|amphetamin|амфитамин"),
    _s("methamphetamine", "метамфетамин", CLASSIC, name="meth|crystal meth|ice|methamphetamine hcl",
       street="мет|первитин|винт|шабу|shabu|лед",
       misspelling="metamfetamin|methamfetamine|метамфитамин"),
    _s("MDMA", "МДМА", CLASSIC, name="ecstasy|molly|xtc|mdma crystals", ru="экстази",
       street="экси|экстаз|колеса|молли|e-pills",
       misspelling="extasy|ecstacy|mdma kristal|мдм"),
    _s("LSD", "ЛСД", CLASSIC, name="lsd-25|lysergide|acid|blotters", ru="лсд",
       street="марки|марка|кислота|acid tabs", misspelling="lsd25"),
    _s("psilocybin mushrooms", "псилоцибиновые грибы", CLASSIC,
       name="psilocybin|magic mushrooms|psilocybe cubensis|shrooms", ru="псилоцибин",
       street="грибы|грибочки|гриб|cubensis|golden teacher",
       misspelling="psylocibin|psilocibin|псилоцибы"),
    _s("opium", "опий", CLASSIC, ru="опиум|опиум-сырец", street="ханка|черняшка|кукнар"),
    _s("methadone", "метадон", CLASSIC, street="метадон сироп", misspelling="metadon"),
)

SUBSTANCE_BY_NAME: dict[str, Substance] = {s.name: s for s in SUBSTANCES}


def substances_in_group(group: str) -> list[Substance]:
    """Return the lexicon's substances of ``group`` (a key of :data:`GROUPS`)."""
    if group not in GROUPS:
        raise ValueError(f"unknown NPS group {group!r}; choose one of: {', '.join(GROUPS)}")
    return [s for s in SUBSTANCES if s.group == group]
