"""Storage for self-check answers: save, resume by short code, feed the aggregates.

The table (``engagement/models.py``) lives in the app's database through the shared
layer (``civic.db``: SQLite in the data dir by default, PostgreSQL when DATABASE_URL is
set). Only answers are stored: question ids and option ids, never names, phones or
addresses. Functions take a session and keyword arguments.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engagement import messages
from engagement.models import responses
from engagement.questionnaire import load_questionnaire
from engagement.resume_codes import ResumeCodeError, digest, new_code, verify


@dataclass(frozen=True)
class Saved:
    id: int
    topic: str
    mode: str
    answers: dict[str, str]


def clean_for_storage(topic: str, answers: dict[str, object]) -> dict[str, str]:
    """Keep only known question ids, as short strings: answers and nothing else."""
    known = {q.id for q in load_questionnaire(topic).questions}
    out = {}
    for key, value in answers.items():
        if key in known and value is not None and str(value).strip():
            out[key] = str(value).strip()[:40]
    return out


def save_response(
    *,
    session: Session,
    topic: str,
    mode: str,
    answers: dict[str, object],
    city: str | None,
    district: str | None,
    overall: int | None,
    categories: dict[str, int | None],
    counted: bool,
    response_id: int | None = None,
) -> int:
    """Insert a response, or update the one this visitor saved before; returns its id."""
    now = datetime.now(UTC)
    values = {
        "topic": topic, "mode": mode, "city": city, "district": district,
        "answers": json.dumps(clean_for_storage(topic, answers), ensure_ascii=False),
        "overall": overall, "categories": json.dumps(categories), "updated_at": now,
    }
    if response_id is not None:
        row = session.execute(select(responses.c.counted).where(responses.c.id == response_id)).first()
        if row is not None:
            values["counted"] = bool(row.counted) or counted
            session.execute(responses.update().where(responses.c.id == response_id).values(**values))
            session.commit()
            return response_id
    result = session.execute(responses.insert().values(created_at=now, counted=counted, **values))
    session.commit()
    return int(result.inserted_primary_key[0])


def issue_resume_code(*, session: Session, response_id: int, secret: bytes) -> str:
    """A fresh code for this response (any earlier code for it stops working)."""
    code = new_code(secret)
    session.execute(responses.update().where(responses.c.id == response_id).values(resume_digest=digest(code, secret)))
    session.commit()
    return code


def load_by_code(*, session: Session, code: str, secret: bytes, topic: str) -> Saved:
    """The saved answers for a code; ResumeCodeError with a Chinese message otherwise."""
    canonical = verify(code, secret)
    row = session.execute(select(responses).where(responses.c.resume_digest == digest(canonical, secret))).first()
    if row is None:
        raise ResumeCodeError(messages.RESUME_NOT_FOUND)
    if row.topic != topic:
        raise ResumeCodeError(messages.RESUME_WRONG_TOPIC.format(title=load_questionnaire(row.topic).title))
    return Saved(id=row.id, topic=row.topic, mode=row.mode, answers=json.loads(row.answers))
