"""One self-check, start to finish, as a visible list of steps over plain data.

``run_check(topic, raw_answers, mode)``: clean answers → score → compare with the
city's target → cite the city's notice → estimate CO2 and cost → pick actions.
Nothing here raises on bad input: problems become Chinese messages in the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engagement import messages
from engagement.actions import Action, pick_actions, pledge_items
from engagement.answers import AnswerSet, clean_answers, fuel_of
from engagement.cities import (
    CitedQuote,
    cited_quotes,
    city_target,
    mark_relevant,
    notice_title,
    silent_subjects,
)
from engagement.estimates import Estimate, food_estimate, heating_estimate
from engagement.questionnaire import MODES, load_questionnaire
from engagement.scoring import CategoryScore, category_scores, grade, overall_score

# Which category stands for the household when set against the city's target.
TARGET_CATEGORY = {"heating": "fuel", "food": "sorting"}
HOUSEHOLD_LABEL = {"heating": "您家取暖清洁度", "food": "您家厨余分类"}


@dataclass(frozen=True)
class TargetComparison:
    label: str  # e.g. 清洁取暖率（2025年）
    city_value: float
    household_label: str
    household_value: int
    clause: str
    quote: str


@dataclass
class CheckResult:
    topic: str
    title: str
    mode: str
    answers: AnswerSet
    categories: list[CategoryScore]
    overall: int
    grade: str
    city_name: str | None = None
    notice_title: str = ""
    quotes: list[CitedQuote] = field(default_factory=list)
    silent_message: str | None = None
    target: TargetComparison | None = None
    target_note: str | None = None
    headline: str | None = None  # a plain first sentence for the commonest worry (loose coal)
    estimate: Estimate | None = None
    actions: dict[str, list[Action]] = field(default_factory=dict)
    pledge_items: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        return self.answers.problems

    @property
    def confirmations(self) -> list[str]:
        return self.answers.confirmations


def run_check(topic: str, raw: dict[str, object], mode: str = "express") -> CheckResult:
    questionnaire = load_questionnaire(topic)
    mode = mode if mode in MODES else "express"
    answers = clean_answers(questionnaire, raw, mode)
    categories = category_scores(questionnaire, answers.resolved)
    overall = overall_score(questionnaire, categories)
    result = CheckResult(
        topic=topic, title=questionnaire.title, mode=mode, answers=answers,
        categories=categories, overall=overall, grade=grade(overall),
    )
    _tailor(result)
    result.headline = _headline(result)
    result.estimate = _estimate(result)
    city_name = answers.city.name if answers.city else None
    result.actions = pick_actions(topic, resolved=answers.resolved, explicit=answers.explicit, city_name=city_name)
    result.pledge_items = pledge_items(result.actions)
    return result


def _tailor(result: CheckResult) -> None:
    city = result.answers.city
    if city is None:
        return
    result.city_name = city.name
    result.notice_title = notice_title(city)
    result.quotes = mark_relevant(cited_quotes(city, result.topic), result.topic, result.answers.explicit)
    silent = silent_subjects(city, result.topic)
    if silent:
        result.silent_message = messages.NOTICE_SILENT.format(title=result.notice_title, subjects="、".join(silent))
    area = result.answers.resolved.get("area", "all")
    found = city_target(city, result.topic, area)
    household = next((c for c in result.categories if c.id == TARGET_CATEGORY[result.topic]), None)
    if found and household and household.score is not None:
        value, label, citation = found
        result.target = TargetComparison(
            label=label, city_value=value, household_label=HOUSEHOLD_LABEL[result.topic],
            household_value=household.score, clause=citation.clause, quote=citation.quote,
        )
    else:
        template = messages.NO_TARGET if result.topic == "heating" else messages.NO_FOOD_TARGET
        result.target_note = template.format(title=result.notice_title)


def _headline(result: CheckResult) -> str | None:
    if result.topic != "heating" or result.answers.explicit.get("main_heating") != "coal":
        return None
    parts = [messages.COAL_HEADLINE]
    if result.city_name:
        if result.target:
            t = result.target
            parts.append(messages.COAL_TARGET.format(city=result.city_name, label=t.label, value=f"{t.city_value:g}",
                                                     clause=t.clause))
        else:
            parts.append(messages.COAL_NO_TARGET.format(city=result.city_name))
        parts.append(messages.COAL_SEE_QUOTES)
    return "".join(parts)


def _estimate(result: CheckResult) -> Estimate:
    answers = result.answers
    questionnaire = load_questionnaire(result.topic)
    if result.topic == "heating":
        q = questionnaire.question("main_heating")
        option = q.option(answers.resolved.get("main_heating")) if q else None
        return heating_estimate(
            fuel=fuel_of(questionnaire, answers.resolved),
            device=option.device if option else None,
            amount=answers.numbers.get("fuel_amount"),
            cost=answers.numbers.get("yearly_cost"),
            grid_key=answers.city.grid if answers.city else None,
        )
    size = questionnaire.question("household_size")
    option = size.option(answers.resolved.get("household_size")) if size else None
    persons = option.value if option and option.value else 3
    behaviour = [c.score for c in result.categories if c.id in ("planning", "leftovers", "storage") and c.score is not None]
    score = sum(behaviour) / len(behaviour) if behaviour else 50.0
    return food_estimate(persons=persons, behaviour_score=score, monthly_spend=answers.numbers.get("food_spend"))
