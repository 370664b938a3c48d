"""How well the goal check does on a scenario suite: ``python -m bot.goals.scorecard [path]``.

Each line of the suite (default ``tests/data/scenarios.jsonl``) is a scenario of the batch
``check`` command with an ``expect`` object: the ``kind``, the acceptable ``verdict`` set (experts
may differ between neighbouring verdicts) and the ``relevance``. The card prints accuracy per kind
and per language, then every miss and every failed text check:

* no negative number in the arithmetic;
* the goal's unit is in the text: its currency sign for money, its noun for counts, % for ratios;
* a budget's currency sign is shown when the budget is counted;
* every counter-proposal differs from the goal and is itself judged realistic.

It runs the very code of the dialog (``bot.goals.scenario``); the unit test of the suite calls
:func:`score` and requires at least 90 % on kind and on verdict.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter as Tally
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Final

from bot.goals.check import check_goal
from bot.goals.explain import explain, money
from bot.goals.scenario import Evaluated, evaluate, run_scenario

__all__ = ["Card", "score", "text_problems"]

DEFAULT_SUITE: Final = Path(__file__).resolve().parents[2] / "tests" / "data" / "scenarios.jsonl"
_NEGATIVE_RE: Final = re.compile(r"(?<![\w–-])[-−]\s?\d")
_COUNT_NOUNS: Final = {
    "followers": ("подписчик", "follower"),
    "subscribers": ("подписчик", "subscriber"),
    "reach": ("человек", "people", "person"),
    "views": ("просмотр", "view"),
    "engagement": ("реакци", "interaction"),
    "traffic": ("переход", "visit"),
    "leads": ("заяв", "lead"),
    "sales": ("продаж", "sale"),
    "units_sold": ("штук", "unit"),
    "content": ("публикац", "post"),
}
_SIGNS: Final = {"RUB": "₽", "USD": "$", "EUR": "€", "KZT": "₸", "BYN": "Br", "UAH": "₴"}


@dataclass
class Card:
    """Counts per class and the lines to print."""

    total: int = 0
    kind_ok: int = 0
    verdict_ok: int = 0
    relevance_ok: int = 0
    per_class: Tally[str] = field(default_factory=Tally)
    per_class_ok: Tally[str] = field(default_factory=Tally)
    misses: list[str] = field(default_factory=list)
    text_failures: list[str] = field(default_factory=list)

    def share(self, count: int) -> float:
        return count / self.total if self.total else 0.0


def text_problems(done: Evaluated) -> list[str]:
    """What is wrong with the text the person would read (see the module docstring)."""
    j, draft = done.check.judgement, done.draft
    if j is None or j.need is None or draft.metric is None:
        return []
    text = explain(done.i18n, draft, j).replace("\xa0", " ")
    problems = []
    if _NEGATIVE_RE.search(text):
        problems.append("negative number")
    unit = (draft.unit or "").upper()
    if unit in _SIGNS and _SIGNS[unit] not in text:
        problems.append(f"no {unit} sign")
    elif draft.unit == "percent" and "%" not in text:
        problems.append("no %")
    elif draft.unit not in ("percent", None) and unit not in _SIGNS:
        nouns = _COUNT_NOUNS.get(draft.metric, ())
        if nouns and not any(noun in text.lower() for noun in nouns):
            problems.append("no unit noun")
    if j.budget is not None and j.paid_low is not None:
        sign = money(done.i18n, j.budget.amount, j.budget.currency).replace("\xa0", " ")
        if sign not in text:
            problems.append("budget not in its currency")
    for counter in j.counters:
        proposal, facts = draft, done.facts
        if counter.target is not None:
            if counter.target == draft.target:
                problems.append("counter equals the goal")
            proposal = replace(draft, target=counter.target)
        if counter.deadline is not None:
            proposal = replace(proposal, deadline=counter.deadline)
        if counter.budget is not None:
            facts = replace(facts, budget=counter.budget)
        again = check_goal(proposal, facts, done.today).judgement
        if again is None or again.verdict != "realistic":
            problems.append("counter not realistic")
    return problems


def score(items: Iterable[Mapping[str, Any]]) -> Card:
    card = Card()
    for item in items:
        expect = item["expect"]
        done = evaluate(item)
        out = run_scenario(item)
        card.total += 1
        kind_ok = out["kind"] == expect["kind"]
        verdict_ok = out["attainability"] in expect["verdict"]
        card.kind_ok += kind_ok
        card.verdict_ok += verdict_ok
        card.relevance_ok += out["relevance"] == expect["relevance"]
        for name in (f"kind:{expect['kind']}", f"lang:{item.get('lang')}"):
            card.per_class[name] += 1
            card.per_class_ok[name] += kind_ok and verdict_ok
        if not (kind_ok and verdict_ok):
            card.misses.append(
                f"{item['id']} «{item['goal']}»: kind {out['kind']} (want {expect['kind']}), "
                f"verdict {out['attainability']} (want {'/'.join(expect['verdict'])})"
            )
        problems = text_problems(done)
        if problems:
            card.text_failures.append(f"{item['id']} «{item['goal']}»: {', '.join(problems)}")
    return card


def read_suite(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    card = score(read_suite(Path(args[0]) if args else DEFAULT_SUITE))
    print(f"scenarios: {card.total}")
    print(f"kind exact: {card.share(card.kind_ok):.1%}")
    print(f"verdict in the acceptable set: {card.share(card.verdict_ok):.1%}")
    print(f"relevance: {card.share(card.relevance_ok):.1%}")
    print("kind and verdict right, per class:")
    for name in sorted(card.per_class):
        ok, n = card.per_class_ok[name], card.per_class[name]
        print(f"  {name:14} {ok}/{n} = {ok / n:.1%}")
    print(f"misses ({len(card.misses)}):")
    for line in card.misses:
        print(f"  {line}")
    print(f"text-check failures ({len(card.text_failures)}):")
    for line in card.text_failures:
        print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
