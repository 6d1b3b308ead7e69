"""Turning raw form answers into a clean answer set, without losing anything.

Skipped questions and "不清楚" fall back to the question's default; numbers are
parsed and range-checked; unknown cities and districts are flagged; rare answer
combinations produce a request to confirm. Each problem becomes a Chinese message
and the rest of the answers are kept as given.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from engagement import messages
from engagement.cities import City, find_city, load_cities
from engagement.questionnaire import UNKNOWN, Question, Questionnaire


@dataclass
class AnswerSet:
    raw: dict[str, object]  # exactly what was submitted (kept for save and resume)
    explicit: dict[str, str]  # choice answers the resident actually gave (not unknown)
    resolved: dict[str, str]  # every choice question: explicit answer or default
    numbers: dict[str, float]  # valid numbers only
    city: City | None = None
    district: str | None = None
    skipped: list[str] = field(default_factory=list)  # question ids
    defaulted: list[str] = field(default_factory=list)  # question ids answered 不清楚
    problems: list[str] = field(default_factory=list)  # Chinese messages
    confirmations: list[str] = field(default_factory=list)  # Chinese "please confirm" asks


def parse_number(question: Question, value: object, unit_key: str) -> tuple[float | None, str | None]:
    """A valid number, or None with the reason as a Chinese message (None, None for blank)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    text = str(value).strip().replace(",", "").replace("，", "").replace("¥", "").replace("￥", "")
    try:
        number = float(text)
    except ValueError:
        return None, messages.NUMBER_NOT_A_NUMBER.format(question=question.text, value=str(value)[:40])
    if math.isnan(number) or math.isinf(number):
        return None, messages.NUMBER_NOT_A_NUMBER.format(question=question.text, value=str(value)[:40])
    unit = question.units.get(unit_key) or question.units.get("all", "")
    limit = question.max.get(unit_key) or question.max.get("all")
    if number < 0:
        return None, messages.NUMBER_NEGATIVE.format(question=question.text, value=_fmt(number))
    if limit is not None and number > limit:
        return None, messages.NUMBER_TOO_LARGE.format(
            question=question.text, value=_fmt(number), unit=unit, limit=_fmt(limit)
        )
    if number == 0:
        return None, messages.NUMBER_ZERO.format(question=question.text)
    return number, None


def _fmt(number: float) -> str:
    if abs(number) >= 1e9:  # "1e308" must not become a message with 300 digits
        return f"{number:.3g}"
    return f"{number:,.0f}" if abs(number) >= 100 else f"{number:g}"


def _matches(when: dict[str, list[str]], explicit: dict[str, str]) -> bool:
    return all(explicit.get(qid) in allowed for qid, allowed in when.items())


def clean_answers(questionnaire: Questionnaire, raw: dict[str, object], mode: str = "full") -> AnswerSet:
    asked = {q.id for q in questionnaire.questions_for(mode)}
    out = AnswerSet(raw=dict(raw), explicit={}, resolved={}, numbers={})
    for q in questionnaire.questions:
        value = raw.get(q.id)
        if q.kind == "choice":
            if value in q.option_ids and value != UNKNOWN:
                out.explicit[q.id] = str(value)
                out.resolved[q.id] = str(value)
                continue
            if value == UNKNOWN:
                out.defaulted.append(q.id)
            elif q.id in asked:
                out.skipped.append(q.id)
            out.resolved[q.id] = q.default or UNKNOWN
    _clean_place(questionnaire, raw, out)
    _clean_numbers(questionnaire, raw, out)
    for check in questionnaire.checks:
        if _matches(check.when, out.explicit):
            out.confirmations.append(check.ask)
    labels = {q.id: q.text.rstrip("：:？?") for q in questionnaire.questions}
    if out.skipped:
        out.problems.append(messages.SKIPPED.format(questions="、".join(labels[i] for i in out.skipped)))
    if out.defaulted:
        out.problems.append(messages.DEFAULTED.format(questions="、".join(labels[i] for i in out.defaulted)))
    return out


def _clean_place(questionnaire: Questionnaire, raw: dict[str, object], out: AnswerSet) -> None:
    city_value = raw.get("city")
    if city_value in (None, "", UNKNOWN):
        out.problems.append(messages.NO_CITY)
        return
    out.city = find_city(str(city_value))
    if out.city is None:
        supported = "、".join(c.name for c in load_cities().values())
        out.problems.append(messages.UNKNOWN_CITY.format(city=str(city_value)[:20], supported=supported))
        return
    district = raw.get("district")
    if district in (None, "", UNKNOWN):
        return
    if district in out.city.districts:
        out.district = str(district)
    else:
        out.problems.append(messages.UNKNOWN_DISTRICT.format(district=str(district)[:20], city=out.city.name))


def fuel_of(questionnaire: Questionnaire, resolved: dict[str, str]) -> str | None:
    """The fuel key of the main heating answer (units of the amount question depend on it)."""
    q = questionnaire.question("main_heating")
    option = q.option(resolved.get("main_heating")) if q else None
    return option.fuel if option else None


def _clean_numbers(questionnaire: Questionnaire, raw: dict[str, object], out: AnswerSet) -> None:
    unit_key = fuel_of(questionnaire, out.resolved) or "all"
    for q in questionnaire.questions:
        if q.kind != "number":
            continue
        number, problem = parse_number(q, raw.get(q.id), unit_key)
        if problem:
            out.problems.append(problem)
        if number is not None:
            out.numbers[q.id] = number
