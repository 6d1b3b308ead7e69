"""Scoring rules: pure functions from resolved answers to category and overall scores.

A category's score is the mean of the option scores that count for it, plus any
adjustments (e.g. a coal backup stove lowers the heating-fuel score), clamped to
0-100. A category with no counting answer (e.g. "很少在外就餐") is left out, and the
overall score is the weighted mean of the categories that remain.
"""

from __future__ import annotations

from dataclasses import dataclass

from engagement.questionnaire import Questionnaire


@dataclass(frozen=True)
class CategoryScore:
    id: str
    label: str
    score: int | None  # None: not applicable to this household


def clamp(value: float, low: float = 0.0, high: float = 100.0) -> float:
    return max(low, min(high, value))


def category_scores(questionnaire: Questionnaire, resolved: dict[str, str]) -> list[CategoryScore]:
    scores: dict[str, list[float]] = {c.id: [] for c in questionnaire.categories}
    adjust: dict[str, float] = {c.id: 0.0 for c in questionnaire.categories}
    for q in questionnaire.questions:
        option = q.option(resolved.get(q.id))
        if option is None:
            continue
        for cat, value in option.score.items():
            scores[cat].append(float(value))
        for cat, value in option.adjust.items():
            adjust[cat] += float(value)
    out = []
    for c in questionnaire.categories:
        values = scores[c.id]
        score = round(clamp(sum(values) / len(values) + adjust[c.id])) if values else None
        out.append(CategoryScore(id=c.id, label=c.label, score=score))
    return out


def overall_score(questionnaire: Questionnaire, categories: list[CategoryScore]) -> int:
    weights = {c.id: c.weight for c in questionnaire.categories}
    counted = [(weights[c.id], c.score) for c in categories if c.score is not None]
    total = sum(w for w, _ in counted)
    if not total:
        return 0
    return round(sum(w * s for w, s in counted) / total)


def grade(score: int) -> str:
    """A plain-language band for the overall score."""
    if score >= 85:
        return "做得很好"
    if score >= 65:
        return "基本不错，还有提升空间"
    if score >= 40:
        return "有较多可以改进的地方"
    return "需要重点改进"
