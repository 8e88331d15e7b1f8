"""Answers that do not depend on the seed: facts and function behaviours.

Every hidden test goes through the key, so that no verdict is reached inside
a trainee's kernel: the literal checks of the notebooks (a growth factor from
published figures, which relay learns what, the behaviour of a small function
on fixed inputs) are recorded here, with the hint a trainee sees when the
answer is wrong. Function answers use the ``calls`` comparison: the key holds
the arguments and the expected result of each case, and the hidden test calls
the trainee's function with the same arguments (a test checks they agree).
"""

from __future__ import annotations

from course.world.context import WorldContext


def _calls(*cases: tuple[tuple, object, str]) -> list[dict]:
    return [{"args": list(args), "result": result, "hint": hint} for args, result, hint in cases]


def generate(ctx: WorldContext) -> None:
    """Record the seed-independent answers of Day 0 and Day 1."""
    ctx.add_answer(
        "day0_normalise_city",
        _calls(
            (("SHYMKENT\n",), "Shymkent", "line breaks at the end must go too"),
            (("\tbishkek  ",), "Bishkek", "tabs at the start must go too"),
            (("  алматы",), "Алматы", "Russian names must work the same way"),
        ),
        compare="calls",
        hint="use .strip() and .title()",
    )
    ctx.add_answer(
        "day0_weights_over",
        _calls(
            (([50.0, 50.1, 3.0], 50), [50.1],
             "'more than 50' leaves 50.0 out: use >, not >="),
            (([7.5, 120.0], 0), [7.5, 120.0], "keep the weights in their order"),
            (([], 5), [], "no weights in, no weights out: return an empty list"),
        ),
        compare="calls",
        hint="loop over the weights, and append each one that is more than the limit",
    )
    ctx.add_answer(
        "day1_nps_growth",
        48 / 31,
        compare="float",
        tolerance=0.01,
        hint=(
            "divide the 2016 figure by the 2015 figure (a difference says 'how many more', "
            "a factor 'how many times more')"
        ),
    )
    ctx.add_answer(
        "day1_is_nps",
        _calls(
            (("Heroin 1g",), False,
             "heroin is under the 1961 Convention: a controlled drug, not an NPS"),
            (("Metonitazene 10mg",), True,
             "a nitazene is an NPS (synthetic opioid); the UNODC counts it even after scheduling"),
            (("спайс 3г",), True, "spice is a synthetic cannabinoid, an NPS"),
            (("Fentanyl 1g",), False,
             "fentanyl is under the 1961 Convention: a controlled drug, not an NPS"),
            (("Трамадол 50мг x10",), False,
             "tramadol is a medicine outside international control: not an NPS"),
            (("Кетамин 1г",), True,
             "ketamine is not under international control; the UNODC counts it as an NPS"),
        ),
        compare="calls",
    )
    ctx.add_answer(
        "day1_relay_knowledge",
        {
            "your_ip_address": "guard",
            "destination": "exit",
            "request_content": "exit",
            "both_you_and_destination": "none",
        },
        hint=(
            "only the guard talks with your computer; only the exit connects to the destination "
            "and reads the request; no single relay knows both ends"
        ),
    )
    ctx.add_answer(
        "day1_same_subnet16",
        _calls(
            (("85.12.1.1", "85.12.250.9"), True, "85.12.x.x twice is the same /16"),
            (
                ("192.168.1.1", "192.16.81.1"),
                False,
                "192.168 and 192.16 are different networks: compare the numbers, "
                "not the first characters",
            ),
            (("5.1.1.1", "1.5.1.1"), False, "the order of the numbers matters"),
        ),
        compare="calls",
    )
    # rend-spec-v3 1.1 and 4: a step comes after every step it needs, and only then.
    # The client's two preparations (F: rendezvous point, A: descriptor) need each other
    # in neither order: the spec's overview sets up the rendezvous circuit first, tor
    # fetches a missing descriptor first; both orders (and F before the service's D, G)
    # are right.
    ctx.add_answer(
        "day1_rendezvous_order",
        {
            "items": list("ABCDEFGH"),
            "before": [
                ["D", "G"],  # the descriptor lists the introduction points
                ["G", "A"],  # a descriptor is fetched after it was uploaded
                ["A", "C"],  # INTRODUCE1 goes to an introduction point the descriptor names
                ["F", "C"],  # INTRODUCE1 names the rendezvous point, set up before
                ["C", "H"],
                ["H", "B"],
                ["B", "E"],
            ],
        },
        compare="order",
        hint=(
            "a step comes after the steps it needs: the descriptor (G) lists the introduction "
            "points (D) and is fetched (A) after it was uploaded; INTRODUCE1 (C) needs both the "
            "descriptor and the client's rendezvous point (F); then INTRODUCE2 (H), RENDEZVOUS1 "
            "(B), RENDEZVOUS2 (E)"
        ),
    )
