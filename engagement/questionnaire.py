"""The self-check questionnaires: data files in ``engagement/data`` turned into objects.

A questionnaire is questions (choice, number, city, district), scoring categories
with weights, and "checks": answer combinations that are possible but rare, for
which we ask the resident to confirm rather than fail.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
TOPICS = ("heating", "food")
UNKNOWN = "unknown"
MODES = ("express", "full")


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    score: dict[str, float] = field(default_factory=dict)
    adjust: dict[str, float] = field(default_factory=dict)
    value: float | None = None  # e.g. number of people
    fuel: str | None = None  # key into factors.toml [fuels]
    device: str | None = None  # key into factors.toml [efficiency]


@dataclass(frozen=True)
class Question:
    id: str
    kind: str  # "choice" | "number" | "city" | "district"
    text: str
    help: str
    express: bool
    default: str | None = None
    options: tuple[Option, ...] = ()
    units: dict[str, str] = field(default_factory=dict)
    max: dict[str, float] = field(default_factory=dict)

    def option(self, option_id: str | None) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)

    @property
    def option_ids(self) -> list[str]:
        return [o.id for o in self.options]


@dataclass(frozen=True)
class Check:
    when: dict[str, list[str]]
    ask: str


@dataclass(frozen=True)
class Category:
    id: str
    label: str
    weight: float


@dataclass(frozen=True)
class Questionnaire:
    topic: str
    title: str
    intro: str
    categories: tuple[Category, ...]
    questions: tuple[Question, ...]
    checks: tuple[Check, ...]

    def question(self, qid: str) -> Question | None:
        return next((q for q in self.questions if q.id == qid), None)

    def questions_for(self, mode: str) -> list[Question]:
        if mode == "express":
            return [q for q in self.questions if q.express]
        return list(self.questions)


def _question(raw: dict) -> Question:
    options = tuple(
        Option(
            id=o["id"],
            label=o["label"],
            score=dict(o.get("score", {})),
            adjust=dict(o.get("adjust", {})),
            value=o.get("value"),
            fuel=o.get("fuel"),
            device=o.get("device"),
        )
        for o in raw.get("options", [])
    )
    return Question(
        id=raw["id"],
        kind=raw["kind"],
        text=raw["text"],
        help=raw.get("help", ""),
        express=bool(raw.get("express", False)),
        default=raw.get("default"),
        options=options,
        units=dict(raw.get("units", {})),
        max=dict(raw.get("max", {})),
    )


def parse_questionnaire(data: dict) -> Questionnaire:
    categories = tuple(
        Category(id=cid, label=c["label"], weight=float(c["weight"])) for cid, c in data["categories"].items()
    )
    return Questionnaire(
        topic=data["topic"],
        title=data["title"],
        intro=data["intro"],
        categories=categories,
        questions=tuple(_question(q) for q in data["questions"]),
        checks=tuple(Check(when=dict(c["when"]), ask=c["ask"]) for c in data.get("checks", [])),
    )


def read_toml(name: str) -> dict:
    with open(DATA_DIR / name, "rb") as fh:
        return tomllib.load(fh)


@lru_cache(maxsize=4)
def load_questionnaire(topic: str) -> Questionnaire:
    if topic not in TOPICS:
        raise ValueError(f"unknown self-check topic: {topic}")
    return parse_questionnaire(read_toml(f"{topic}.toml"))


@lru_cache(maxsize=1)
def tunables() -> dict:
    return read_toml("tunables.toml")
