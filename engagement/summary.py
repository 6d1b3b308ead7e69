"""A printable plain-text (Markdown) summary of one self-check result."""

from __future__ import annotations

from collections.abc import Callable

from engagement import messages
from engagement.actions import TIERS, Action, tier_labels
from engagement.estimates import fmt_option
from engagement.selfcheck import CheckResult


def summary_markdown(result: CheckResult) -> str:
    lines = [f"# {result.title}结果", ""]
    lines.append(f"城市：{result.city_name or '未选择'}　模式：{'快速' if result.mode == 'express' else '完整'}")
    if result.headline:
        lines += ["", result.headline]
    lines += ["", f"## 总分：{result.overall} 分（{result.grade}）", ""]
    for c in result.categories:
        lines.append(f"- {c.label}：{'不适用' if c.score is None else f'{c.score} 分'}")
    if result.target:
        t = result.target
        lines += ["", f"{t.household_label}：{t.household_value} 分；本市目标（{t.label}）：{t.city_value:g}%"]
    if result.quotes:
        lines += ["", f"## 本市通知怎么说（《{result.notice_title}》）", ""]
        for q in result.quotes:
            mark = "【与您家相关】" if q.relevant else ""
            lines.append(f"- {mark}{q.subject_label}：“{q.quote}”（{q.clause}）")
            if q.note:
                lines.append(f"  说明：{q.note}")
    if result.silent_message:
        lines += ["", result.silent_message]
    est = result.estimate
    if est and est.current:
        lines += ["", "## 年度排放和费用估算（估算，仅供参考）", ""]
        for opt in [est.current, *est.alternatives]:
            lines.append(f"- {fmt_option(opt, est.gas)}")
    if est:
        lines += [f"- {n}" for n in est.notes]
        if est.sources:
            lines += ["", "数据来源："] + [f"- {s}" for s in est.sources]
    labels = tier_labels()
    lines += ["", "## 可以做什么", ""]
    for tier in TIERS:
        for a in result.actions.get(tier, []):
            lines.append(f"- [{labels[tier]}] {a.text}")
    if result.confirmations or result.problems:
        lines += ["", "## 提示", ""] + [f"- {m}" for m in result.problems + result.confirmations]
    lines += ["", "估算，仅供参考。"]
    return "\n".join(lines) + "\n"


def first_action(result: CheckResult) -> Action | None:
    """The easiest thing the household can do next (the first action of the lowest tier)."""
    return next((a for tier in TIERS for a in result.actions.get(tier, [])), None)


def key_lines(result: CheckResult, quote: Callable[[str], str] = str) -> list[str]:
    """The three most useful lines of a result, for the 长辈版 to show first.

    How the household stands (score and grade, or the plain loose-coal sentence);
    what its own city's notice says (the quote nearest its answers, or that it is
    silent); and the easiest next step. ``quote`` turns a notice's quote into its
    display form (Simplified for a Traditional notice).
    """
    lines = [f"总分 {result.overall} 分：{result.grade}"]
    if result.headline:  # loose coal: its plain first sentence, the rest is further down
        lines[0] = f"{lines[0]}。{messages.COAL_HEADLINE}"
    if result.quotes:
        q = result.quotes[0]
        lines.append(f"{result.city_name}的通知说：“{quote(q.quote)}”（{q.clause}）")
    elif result.silent_message:
        lines.append(result.silent_message)
    elif not result.city_name:
        lines.append("选择您家所在的城市，就能看到本市通知怎么说。")
    action = first_action(result)
    if action:
        lines.append(f"{tier_labels()[action.tier]}：{action.text}")
    return lines[:3]
