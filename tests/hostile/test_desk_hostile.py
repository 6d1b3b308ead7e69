"""Hostile input on the desk: residents' comments neutralised, staff word pairs and links refused, pages inert."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from civic.db import get_engine, session_scope
from civic.settings import REPO_ROOT, reset_settings
from desk.export import log_csv
from desk.feedback import set_feedback
from desk.messages import DeskError
from desk.models import LoggedQuestion
from desk.review import QueueFilter, rows
from desk.teach import add_link, add_pair, list_links, list_pairs, read_version
from pledges import accounts
from tests.databases import database
from tests.desk.conftest import CLAUSE, NOTICE, QUOTE, corpus, desk  # noqa: F401  (fixtures)
from tests.hostile.payloads import MARK, PAYLOADS, emitted_markdown, inert

FORMULAS = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A9)", "＝HYPERLINK(\"http://evil.example\")",
            "\t=1", "\r=1"]
HUGE = "烧煤" * 2500  # 5,000 characters


@pytest.mark.parametrize("comment", [*PAYLOADS, *FORMULAS])
def test_a_comment_is_stored_inert_and_exported_formula_safe(desk, comment):  # noqa: F811
    ref = desk.log(f"定州秸秆能烧吗{comment}")
    try:
        with desk.session() as s:
            set_feedback(session=s, ref=ref, useful=False, reasons_given=["其他"], comment=comment)
    except DeskError as err:  # only for over-long text
        assert err.code == "comment_too_long"
        return
    with desk.session() as s:
        stored = s.scalar(select(LoggedQuestion.comment).where(LoggedQuestion.ref == ref))
        data = log_csv(rows(session=s, filter=QueueFilter(statuses=(), reviewed=None)))
    assert "<" not in stored and ">" not in stored and "\t" not in stored and "\r" not in stored
    cells = [c for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for c in row]
    assert not any(c.startswith(("=", "+", "-", "@", "＝", "\t", "\r")) for c in cells)


def test_a_5000_character_comment_is_refused_and_changes_nothing(desk):  # noqa: F811
    ref = desk.log("定州秸秆能烧吗")
    with pytest.raises(DeskError) as err, desk.session() as s:
        set_feedback(session=s, ref=ref, useful=False, comment=HUGE)
    assert err.value.code == "comment_too_long"
    with desk.session() as s:
        assert s.scalar(select(LoggedQuestion.useful).where(LoggedQuestion.ref == ref)) is None


@pytest.mark.parametrize("hostile", [*PAYLOADS, *FORMULAS, HUGE, "米糠\x00麸皮", "米糠\u202e麸皮"])
def test_a_hostile_word_pair_or_link_is_refused(desk, corpus, hostile):  # noqa: F811
    attempts = [
        lambda s: add_pair(session=s, everyday=hostile, notice_words="粮食加工副产物", created_by="a", corpus=corpus),
        lambda s: add_pair(session=s, everyday="米糠麸皮", notice_words=hostile, created_by="a", corpus=corpus),
        lambda s: add_link(session=s, question=hostile, notice_id=NOTICE, clause_path=CLAUSE, quote=QUOTE,
                           created_by="a", corpus=corpus),
        lambda s: add_link(session=s, question="定州饭店浪费归谁管", notice_id=NOTICE, clause_path=CLAUSE,
                           quote=hostile, created_by="a", corpus=corpus),
    ]
    for attempt in attempts:
        with pytest.raises(DeskError), desk.session() as s:
            attempt(s)
    with desk.session() as s:
        assert list_pairs(session=s) == [] and list_links(session=s) == [] and read_version(s) == 0


@pytest.fixture
def staff_app(tmp_path, monkeypatch, indexed):
    """The app on a scratch SQLite database with a signed-in staff member and hostile questions logged."""
    from desk.questions import Entry, new_ref, write_entries
    from desk.tunables import utcnow

    with database("sqlite", tmp_path) as url:
        monkeypatch.setenv("DATABASE_URL", url)
        reset_settings()
        engine = get_engine(url)
        with session_scope(engine) as s:
            accounts.create_user(session=s, username="xuanchuan", password="correct horse battery")
        with session_scope(engine) as s:
            token = accounts.login(session=s, username="xuanchuan", password="correct horse battery").token
        refs = []
        with session_scope(engine) as s:
            entries = [Entry(ref=new_ref(), conversation="c", asked_at=utcnow(), question=f"定州秸秆{p}",
                             city_chosen="定州", status="no_evidence") for p in PAYLOADS]
            write_entries(session=s, entries=entries)
            refs = [e.ref for e in entries]
        for ref, p in zip(refs, PAYLOADS, strict=True):
            with session_scope(engine) as s:
                set_feedback(session=s, ref=ref, useful=False, reasons_given=["其他"], comment=p)
        with session_scope(engine) as s:
            first = s.scalar(select(LoggedQuestion.id).order_by(LoggedQuestion.id))

        def run(page: str, **params: str) -> AppTest:
            at = AppTest.from_file(str(REPO_ROOT / "streamlit_app.py"), default_timeout=120)
            at.session_state["staff_token"] = token
            for k, v in params.items():
                at.query_params[k] = v
            at.run()
            return at.switch_page(f"app_pages/{page}.py").run()

        yield run, first


def assert_inert(at: AppTest) -> None:
    assert not at.exception, at.exception
    for text in emitted_markdown(at):
        if MARK in text or "javascript" in text or "onerror" in text:
            assert inert(text), text


def test_staff_pages_show_hostile_questions_and_comments_as_text(staff_app):
    run, first = staff_app
    at = run("staff_desk")
    assert_inert(at)
    assert any("共" in c.value for c in at.caption)
    assert_inert(run("staff_overview"))
    at = run("staff_teach", q=str(first))
    assert_inert(at)
    assert MARK in at.text_input(key="teach_question").value
