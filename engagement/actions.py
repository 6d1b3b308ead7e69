"""Actions after a self-check: tiered easy / medium / bigger, skipping what the household already does.

Actions are data (``data/actions.toml``). ``only_if`` is matched against the
resolved answers (defaults included) to decide relevance; ``skip_if`` only against
what the resident actually said, so an unanswered question never hides advice.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlencode

from engagement.questionnaire import read_toml

TIERS = ("easy", "medium", "bigger")


@dataclass(frozen=True)
class Action:
    id: str
    tier: str
    text: str
    pledge: str | None
    ask: str  # question for the Q&A page, city filled in


@lru_cache(maxsize=1)
def _data() -> dict:
    return read_toml("actions.toml")


def tier_labels() -> dict[str, str]:
    return dict(_data()["tiers"])


def _any_match(rule: dict[str, list[str]], answers: dict[str, str]) -> bool:
    return any(answers.get(qid) in allowed for qid, allowed in rule.items())


def pick_actions(
    topic: str, *, resolved: dict[str, str], explicit: dict[str, str], city_name: str | None
) -> dict[str, list[Action]]:
    out: dict[str, list[Action]] = {t: [] for t in TIERS}
    for raw in _data()[topic]:
        if "only_if" in raw and not _any_match(raw["only_if"], resolved):
            continue
        if "skip_if" in raw and _any_match(raw["skip_if"], explicit):
            continue
        ask = raw["ask"].replace("{city}", city_name or "本市")
        out[raw["tier"]].append(Action(id=raw["id"], tier=raw["tier"], text=raw["text"], pledge=raw.get("pledge"), ask=ask))
    return out


def pledge_items(actions: dict[str, list[Action]]) -> list[str]:
    """Distinct pledge item ids of the offered actions, in order."""
    seen: list[str] = []
    for tier in TIERS:
        for action in actions[tier]:
            if action.pledge and action.pledge not in seen:
                seen.append(action.pledge)
    return seen


def pledge_query(items: list[str], city_name: str | None) -> dict[str, str]:
    params = {"items": ",".join(items)}
    if city_name:
        params["city"] = city_name
    return params


def ask_query(question: str, city_name: str | None) -> dict[str, str]:
    params = {"q": question}
    if city_name:
        params["city"] = city_name
    return params


def as_url(path: str, params: dict[str, str]) -> str:
    return f"{path}?{urlencode(params)}"
