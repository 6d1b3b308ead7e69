"""The self-check tables (prefix ``selfcheck_``) on the app's shared schema.

Only answers are stored: question ids and option ids, never names, phones or
addresses. Schema changes go through the shared migrations (``civic/migrations``).
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Integer, String, Table, Text

from civic.db import Base

responses = Table(
    "selfcheck_responses",
    Base.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("topic", String(16), nullable=False, index=True),
    Column("mode", String(8), nullable=False),
    Column("city", String(32), index=True),
    Column("district", String(32)),
    Column("answers", Text, nullable=False),  # JSON: question id -> option id or number text
    Column("overall", Integer),
    Column("categories", Text),  # JSON: category id -> score or null
    Column("counted", Boolean, nullable=False, default=False),  # a viewed result, counted in aggregates
    Column("resume_digest", String(64), unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
