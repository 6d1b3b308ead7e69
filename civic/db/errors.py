"""The one error the database layer raises on its own: the database cannot be reached.

Packages map it to their own wording at their boundary (pledges: ``PledgeError('db_unavailable')``,
self-checks: ``engagement.messages.DB_UNAVAILABLE``); ``message`` is a neutral Chinese
fallback for callers without one (the ``python -m civic.db`` command).
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

MESSAGE = "数据库暂时无法连接，请稍后再试。"


class DatabaseUnavailable(Exception):
    """The database is down, unreachable, or every pooled connection stayed busy too long.

    Raised by :func:`civic.db.get_engine` and :func:`civic.db.session_scope`; the
    transaction in progress was rolled back, so nothing of it was written.
    """

    message = MESSAGE

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or MESSAGE)


class CommitOutcomeUnknown(DatabaseUnavailable):
    """The connection was lost while COMMIT was under way: the transaction may or may not be written.

    Raised by :func:`civic.db.session_scope` instead of plain :class:`DatabaseUnavailable`
    when the body ran and only the commit failed. "Nothing was saved" would be a guess; a
    caller that can repeat the transaction safely (an idempotency key) repeats it to learn
    the outcome, the others say the outcome is unknown.
    """


def is_unavailable(exc: BaseException) -> bool:
    """Whether ``exc`` means the database cannot be reached (rather than a bug or a bad row)."""
    if isinstance(exc, (OperationalError, InterfaceError, PoolTimeout)):
        return True
    return isinstance(exc, DBAPIError) and exc.connection_invalidated
