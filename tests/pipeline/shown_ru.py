"""What the feedback of a Russian cohort shows for each wrong answer of
``wrong_answers.py``: the Russian text of its English ``shown`` part,
written here by hand (not computed by the translation machinery), so the
pipeline test proves that hints and grading messages reach the feedback in
Russian."""

from __future__ import annotations

SHOWN_RU: dict[str, str] = {
    "is not what the data gives": "данные дают другой ответ",
    "line breaks at the end must go too": "переводы строк в конце тоже нужно убрать",
    "divide the 2016 figure by the 2015 figure": (
        "разделите показатель 2016 года на показатель 2015 года"
    ),
    "a classic drug such as heroin is not an NPS": (
        "классический наркотик, например героин, — не НПВ"
    ),
    "heroin is under the 1961 Convention: a controlled drug, not an NPS": (
        "героин под контролем Конвенции 1961 года"
    ),
    "tramadol is a medicine outside international control: not an NPS": (
        "трамадол — лекарство вне международного контроля"
    ),
    "only the exit connects to the destination": "только выходной узел соединяется с адресатом",
    "compare the numbers, not the first characters": "сравнивайте числа, а не первые символы",
    "sets up its rendezvous point before it sends INTRODUCE1": "точка встречи клиента (F)",
    "INTRODUCE1 (C) needs both the descriptor and the client's rendezvous point": (
        "для INTRODUCE1 (C) нужны и дескриптор, и точка встречи клиента (F)"
    ),
    "use >, not >=": "используйте >, а не >=",
    "not its bandwidth by the sum of bandwidths": "а не его bandwidth на сумму bandwidth",
    "The Exit flag is not needed": "Флаг Exit не обязателен",
    "not against today's consensus": "а не по сегодняшнему",
    "whose checksum and version byte are right": "с правильной контрольной суммой и байтом версии",
    "A valid checksum is not enough": "Правильной контрольной суммы недостаточно",
}
