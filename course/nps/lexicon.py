"""The NPS lexicon: substances, their groups and the words markets use for them.

Every substance belongs to one *group*, and every group to one of three
*categories*:

``nps``
    New psychoactive substances. The UNODC defines NPS as substances of abuse
    not controlled by the 1961 Single Convention or the 1971 Convention on
    Psychotropic Substances that may pose a public health threat. Its Early
    Warning Advisory (EWA) sorts them two ways: by chemical structure (nine
    substance groups: aminoindanes, synthetic cannabinoids, synthetic
    cathinones, ketamine and phencyclidine-type substances, phenethylamines,
    piperazines, plant-based substances, tryptamines, other substances) and
    by effect (stimulants, synthetic cannabinoid receptor agonists, classic
    hallucinogens, dissociatives, sedatives/hypnotics, synthetic opioids).
    The course uses the *structural* groups, with two families of "other
    substances" as groups of their own because they matter in the case:
    synthetic opioids (nitazenes, fentanyl analogues) and designer
    benzodiazepines. Many NPS have since been placed under international
    control (mephedrone in 2015, alpha-PVP in 2016, isotonitazene in 2021);
    the UNODC keeps counting them in the EWA, and so does the course.
``controlled``
    Drugs under the 1961 or 1971 convention that never were NPS: the classic
    drugs (heroin, cocaine, cannabis, amphetamine, MDMA, LSD ...) and
    controlled medicines and older synthetics (fentanyl, methadone,
    alprazolam, phencyclidine, DMT, 2C-B, GHB) - INCB Yellow and Green Lists.
``pharmaceutical``
    Medicines not under international control that are misused (tramadol,
    pregabalin, tianeptine): not NPS either; control is national.

Each substance carries the terms a product title may use for it, each with
a *kind*:

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
that several substances share on the street ("кристаллы" is sold as
alpha-PVP, methamphetamine or mephedrone) are listed once, under the reading
most common in the region's shop markets, with a lower confidence
(:data:`AMBIGUOUS_STREET`). Names that do not say what is inside are left
out on purpose (:data:`UNASSIGNED_TERMS`): a title using only them is
``unknown`` and must be read by a person.
"""

from __future__ import annotations

from dataclasses import dataclass

NPS, CONTROLLED, PHARMACEUTICAL, UNKNOWN = "nps", "controlled", "pharmaceutical", "unknown"

#: Category ids -> (English label, Russian label).
CATEGORIES: dict[str, tuple[str, str]] = {
    NPS: ("New psychoactive substances (NPS)", "Новые психоактивные вещества (НПВ)"),
    CONTROLLED: (
        "Internationally controlled drugs (1961/1971 conventions), not NPS",
        "Наркотики под международным контролем (конвенции 1961/1971 гг.), не НПВ",
    ),
    PHARMACEUTICAL: (
        "Pharmaceuticals not under international control, not NPS",
        "Лекарственные средства вне международного контроля, не НПВ",
    ),
    UNKNOWN: ("Not a drug / not recognised", "Не наркотик / не распознано"),
}

#: Group ids (stable strings used in answers) -> (English label, Russian label).
GROUPS: dict[str, tuple[str, str]] = {
    "synthetic_cathinones": ("Synthetic cathinones", "Синтетические катиноны"),
    "synthetic_cannabinoids": ("Synthetic cannabinoids", "Синтетические каннабиноиды"),
    "phenethylamines": ("Phenethylamines", "Фенэтиламины"),
    "piperazines": ("Piperazines", "Пиперазины"),
    "tryptamines": ("Tryptamines", "Триптамины"),
    "aminoindanes": ("Aminoindanes", "Аминоинданы"),
    "ketamine_pcp": (
        "Ketamine and phencyclidine-type substances",
        "Кетамин и вещества типа фенциклидина (ФЦП)",
    ),
    "plant_based": ("Plant-based substances", "Вещества растительного происхождения"),
    "synthetic_opioids": (
        "Synthetic opioids (nitazenes, fentanyl analogues)",
        "Синтетические опиоиды (нитазены, аналоги фентанила)",
    ),
    "benzodiazepines": ("Designer benzodiazepines", "Дизайнерские бензодиазепины"),
    "other_nps": ("Other NPS", "Прочие НПВ"),
    CONTROLLED: CATEGORIES[CONTROLLED],
    PHARMACEUTICAL: CATEGORIES[PHARMACEUTICAL],
    UNKNOWN: CATEGORIES[UNKNOWN],
}
#: The groups of the ``nps`` category (every group but the last three).
NPS_GROUPS: tuple[str, ...] = tuple(g for g in GROUPS if g not in CATEGORIES)


def category_of(group: str) -> str:
    """Return the category (``nps``, ``controlled``, ``pharmaceutical``, ``unknown``) of a group.

    Raises
    ------
    ValueError
        If ``group`` is not a key of :data:`GROUPS`.
    """
    if group not in GROUPS:
        raise ValueError(f"unknown NPS group {group!r}; choose one of: {', '.join(GROUPS)}")
    return NPS if group in NPS_GROUPS else group


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
    {"кристаллы", "кристалл", "крис", "скорость", "ск", "соль", "соли", "crystal", "crystals",
     "китайский белый", "china white", "бутират", "бутик"}
)
AMBIGUOUS_CONFIDENCE = 0.6

_TUSI = (
    "named after 2C-B, but a mixture, mostly ketamine and MDMA, rarely 2C-B "
    "(Barbaro and Bouchard, J. Med. Chem. 2024, doi:10.1021/acs.jmedchem.4c02821)"
)
#: Market names deliberately left unclassified, and why. The classifier removes them
#: from a title before matching, so "Pink cocaine" is not read as cocaine.
UNASSIGNED_TERMS: dict[str, str] = {
    "pink cocaine": _TUSI,
    "розовый кокаин": _TUSI,
    "tusi": _TUSI,
    "tusibi": _TUSI,
    "tucibi": _TUSI,
    "тусиби": _TUSI,
    "тусибай": _TUSI,
    "колеса": "any pills, not one substance",
    "синтетика": "any synthetic drug, not one substance",
}


@dataclass(frozen=True)
class Substance:
    """One substance of the lexicon and the terms that name it."""

    name: str
    name_ru: str
    group: str
    terms: tuple[tuple[str, str], ...]

    @property
    def category(self) -> str:
        """``nps``, ``controlled`` or ``pharmaceutical`` (see :func:`category_of`)."""
        return category_of(self.group)


def _s(canonical: str, canonical_ru: str, grp: str, /, **kinds: str) -> Substance:
    """Build a substance; ``kinds`` maps a kind to ``|``-separated terms."""
    terms = [("name", canonical.lower()), ("ru", canonical_ru.lower())]
    for kind, words in kinds.items():
        terms.extend((kind, w.strip()) for w in words.split("|") if w.strip())
    return Substance(canonical, canonical_ru, grp, tuple(terms))


CAT, SCRA = "synthetic_cathinones", "synthetic_cannabinoids"
PEA, PIP = "phenethylamines", "piperazines"
TRY, AMI, KET, PLANT = "tryptamines", "aminoindanes", "ketamine_pcp", "plant_based"
OPI, BZD, OTHER = "synthetic_opioids", "benzodiazepines", "other_nps"
CTRL, PHARM = CONTROLLED, PHARMACEUTICAL

SUBSTANCES: tuple[Substance, ...] = (
    # -- NPS ---------------------------------------------------------------------
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
       generic="bath salts|bath salt|соль для ванн|соли для ванн|cathinone|катинон"),
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
       street="спайс|спайсы|spice|k2|микс|миксы|курительная смесь|реагент|рега",
       generic="synthetic cannabinoid|synthetic cannabinoids|herbal incense|research chemical "
               "cannabinoid|jwh blend|k2 spice"),
    # phenethylamines
    _s("25I-NBOMe", "25I-NBOMe", PEA, name="25i|nbome|25i nbome", street="n-bomb|нбомб"),
    _s("2C-E", "2C-E", PEA, name="2ce"),
    _s("DOC", "DOC", PEA, name="2,5-dimethoxy-4-chloroamphetamine"),
    # piperazines
    _s("BZP", "БЗП", PIP, name="benzylpiperazine|1-benzylpiperazine", ru="бензилпиперазин"),
    _s("TFMPP", "ТФМПП", PIP, name="trifluoromethylphenylpiperazine"),
    _s("mCPP", "мХФП", PIP, name="m-cpp|meta-chlorophenylpiperazine"),
    # tryptamines
    _s("5-MeO-DMT", "5-MeO-ДМТ", TRY, name="5meo dmt|5-meo|5meo"),
    _s("4-AcO-DMT", "4-AcO-ДМТ", TRY, name="4aco dmt|4-aco|psilacetin"),
    _s("DPT", "ДПТ", TRY, name="dipropyltryptamine"),
    _s("AMT", "АМТ", TRY, name="alpha-methyltryptamine"),
    # aminoindanes
    _s("MDAI", "МДАИ", AMI, name="5,6-methylenedioxy-2-aminoindane"),
    _s("5-IAI", "5-ИАИ", AMI, name="5iai|5-iodo-2-aminoindane"),
    _s("2-AI", "2-АИ", AMI, name="2-aminoindane"),
    # ketamine and phencyclidine-type substances
    _s("ketamine", "кетамин", KET, street="кет|кета|кетос|ket|special k|k-hole|кетамин hcl",
       misspelling="ketamin|ketamine hcl|кетамен|китамин"),
    _s("3-MeO-PCP", "3-MeO-ФЦП", KET, name="3meo pcp|3-meo pcp|3-methoxyphencyclidine"),
    _s("methoxetamine", "метоксетамин", KET, name="mxe", ru="мхе|мксе"),
    _s("deschloroketamine", "дешлоркетамин", KET, name="dck", ru="дск"),
    _s("2F-DCK", "2-фтордешлоркетамин", KET,
       name="2-fdck|2f-dck|2fdck|2-fluorodeschloroketamine"),
    # plant-based substances
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
    _s("nitazene (unspecified)", "нитазен", OPI, generic="nitazene|nitazenes|нитазены|nitazine"),
    _s("carfentanil", "карфентанил", OPI, misspelling="carfentanyl"),
    _s("acetylfentanyl", "ацетилфентанил", OPI, name="acetyl fentanyl"),
    # designer benzodiazepines
    _s("bromazolam", "бромазолам", BZD, misspelling="bromazolam pellets|бромозолам"),
    _s("etizolam", "этизолам", BZD, name="etizest", misspelling="etizolan|этизолан"),
    _s("flualprazolam", "флуалпразолам", BZD, name="flualp"),
    _s("clonazolam", "клоназолам", BZD, misspelling="clonazolan"),
    _s("flubromazolam", "флубромазолам", BZD, name="flubrom|flubro"),
    _s("designer benzodiazepine (unspecified)", "дизайнерский бензодиазепин", BZD,
       generic="designer benzo|designer benzos|дизайнерские бензо"),
    # other NPS
    _s("phenibut", "фенибут", OTHER),
    # -- internationally controlled drugs (1961 / 1971), not NPS --------------------
    _s("heroin", "героин", CTRL, street="гера|герыч|хмурый",
       misspelling="heroine|geroin|героен"),
    _s("cocaine", "кокаин", CTRL, street="кокс|coke|charlie|блоу",
       misspelling="cocain|cocaina|kokain|кокаинум"),
    _s("cannabis", "каннабис", CTRL,
       name="marijuana|weed|cannabis flowers|buds|ganja", ru="марихуана|конопля",
       street="шишки|бошки|бошка|канабис|ганджа|гидропоника|og kush|kush|haze",
       misspelling="marihuana|mariuana|марехуана"),
    _s("hashish", "гашиш", CTRL, name="hash|charas", street="гаш|плюх|чарас",
       misspelling="hashis|гошиш"),
    _s("opium", "опий", CTRL, ru="опиум|опиум-сырец", street="ханка|черняшка|кукнар"),
    _s("methadone", "метадон", CTRL, street="метадон сироп", misspelling="metadon"),
    _s("fentanyl", "фентанил", CTRL, street="фент|fent|китайский белый|china white",
       misspelling="fentanil|phentanyl|fentanly|фентонил"),
    _s("amphetamine", "амфетамин", CTRL, name="speed|amphetamine sulfate",
       street="фен|фенамин|амф|амфа|speed paste", misspelling="amfetamine|amphetamin|амфитамин"),
    _s("methamphetamine", "метамфетамин", CTRL,
       name="meth|crystal meth|ice|methamphetamine hcl",
       street="мет|первитин|винт|шабу|shabu|лед",
       misspelling="metamfetamin|methamfetamine|метамфитамин"),
    _s("MDMA", "МДМА", CTRL, name="ecstasy|molly|xtc|mdma crystals", ru="экстази",
       street="экси|экстаз|молли|e-pills",
       misspelling="extasy|ecstacy|mdma kristal|мдм"),
    _s("LSD", "ЛСД", CTRL, name="lsd-25|lysergide|acid|blotters", ru="лсд",
       street="марки|марка|кислота|acid tabs", misspelling="lsd25"),
    _s("psilocybin mushrooms", "псилоцибиновые грибы", CTRL,
       name="psilocybin|magic mushrooms|psilocybe cubensis|shrooms", ru="псилоцибин",
       street="грибы|грибочки|гриб|cubensis|golden teacher",
       misspelling="psylocibin|psilocibin|псилоцибы"),
    _s("DMT", "ДМТ", CTRL, name="dimethyltryptamine|n,n-dmt", street="spirit molecule"),
    _s("2C-B", "2C-B", CTRL, name="2cb|2c b|nexus", misspelling="2-cb|2c-b pills"),
    _s("PCP", "фенциклидин", CTRL, name="phencyclidine|angel dust", ru="фцп"),
    _s("alprazolam", "алпразолам", CTRL, name="xanax|xanax bars|ксанакс",
       street="ксаник|xannies", misspelling="alprazolan|xanex"),
    _s("GHB", "ГОМК", CTRL, name="gamma-hydroxybutyrate|sodium oxybate",
       ru="оксибутират натрия|натрия оксибутират", street="бутират|бутик"),
    # -- pharmaceuticals not under international control, not NPS ------------------
    _s("tramadol", "трамадол", PHARM, street="трамик|трамал|tramal", misspelling="tramodol"),
    _s("pregabalin", "прегабалин", PHARM, name="lyrica", ru="лирика"),
    _s("tianeptine", "тианептин", PHARM, name="coaxil", ru="коаксил"),
)

SUBSTANCE_BY_NAME: dict[str, Substance] = {s.name: s for s in SUBSTANCES}


def substances_in_group(group: str) -> list[Substance]:
    """Return the lexicon's substances of ``group`` (a key of :data:`GROUPS`)."""
    if group not in GROUPS:
        raise ValueError(f"unknown NPS group {group!r}; choose one of: {', '.join(GROUPS)}")
    return [s for s in SUBSTANCES if s.group == group]
