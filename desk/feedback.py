"""A resident's vote on one answer: 有用, or 没用 with reasons and an optional comment.

The browser that asked holds the answer's random ``ref``; voting again replaces the vote, so each
answer has at most one vote per browser and it can be changed. Reasons come from a fixed list;
the comment is neutralised and masked (``desk.text.neutral_comment``).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.messages import DeskError
from desk.models import LoggedQuestion
from desk.text import neutral_comment
from desk.tunables import tunables, utcnow


def reasons() -> list[str]:
    return list(tunables()["feedback"]["reasons"])


def set_feedback(*, session: Session, ref: str, useful: bool, reasons_given: list[str] | tuple[str, ...] = (),
                 comment: str | None = None) -> None:
    """Record (or replace) the vote on the answer named by ``ref``; DeskError and no change otherwise."""
    known = reasons()
    chosen = [r for r in known if r in set(reasons_given or ())]
    if len(chosen) != len(set(reasons_given or ())):
        raise DeskError("reason_unknown")
    text = neutral_comment(comment, tunables()["feedback"]["comment_max"]) if not useful else ""
    row = session.scalar(select(LoggedQuestion).where(LoggedQuestion.ref == (ref or "")[:64]))
    if row is None:
        raise DeskError("vote_unknown")
    row.useful = useful
    row.reasons = "" if useful else "、".join(chosen)
    row.comment = text
    row.voted_at = utcnow()
