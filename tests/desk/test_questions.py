"""The question log and residents' votes, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from desk.feedback import set_feedback
from desk.masking import HOUSE, PHONE
from desk.messages import DeskError
from desk.models import LoggedQuestion
from desk.questions import entry_for
from retrieval.answer import Answer, Status


def stored(desk, ref: str) -> LoggedQuestion:
    with desk.session() as session:
        return session.scalar(select(LoggedQuestion).where(LoggedQuestion.ref == ref))


def test_a_question_is_stored_masked_with_its_outcome(desk):
    ref = desk.log("我电话13812345678，住建设路18号，烧煤取暖还让吗？", status="answered", cities=("定州",),
                   cited=(("dingzhou", "三、（五）4."),), kind="practical", latency_ms=12)
    row = stored(desk, ref)
    assert row.question == f"我电话{PHONE}，住建设路{HOUSE}，烧煤取暖还让吗？"
    assert "13812345678" not in row.question
    assert (row.status, row.cities, row.kind, row.latency_ms) == ("answered", "定州", "practical", 12)
    assert json.loads(row.cited) == [["dingzhou", "三、（五）4."]]
    assert row.useful is None and row.reviewed_at is None


def test_an_entry_is_made_from_the_answer(asker):
    answer = asker.ask("那天津呢？", history=["石嘴山农村生活污水治理率目标是多少？"])
    entry = entry_for(answer, question="那天津呢？", city=None, latency_s=0.0123, conversation="c9")
    assert entry.rewritten and "天津" in entry.rewritten and entry.question == "那天津呢？"
    assert entry.status == answer.status.value and entry.latency_ms == 12
    assert entry.cited and all(n == "tianjin" for n, _ in entry.cited)
    plain = entry_for(Answer(status=Status.NO_EVIDENCE, text="…"), question="x", city="定州", latency_s=0,
                      conversation="c9")
    assert plain.rewritten is None and plain.cited == () and plain.taught_link is None


def test_a_vote_is_recorded_and_can_be_changed(desk):
    ref = desk.log("定州秸秆能烧吗")
    with desk.session() as s:
        set_feedback(session=s, ref=ref, useful=True)
    assert stored(desk, ref).useful is True
    with desk.session() as s:
        set_feedback(session=s, ref=ref, useful=False, reasons_given=["答非所问", "看不懂"],
                     comment="没说我们村<b>能不能</b>烧，电话13812345678")
    row = stored(desk, ref)
    assert row.useful is False and row.reasons == "答非所问、看不懂" and row.voted_at is not None
    assert row.comment == f"没说我们村＜b＞能不能＜/b＞烧，电话{PHONE}"
    with desk.session() as s:
        set_feedback(session=s, ref=ref, useful=True, reasons_given=[], comment="ignored")
    row = stored(desk, ref)
    assert (row.useful, row.reasons, row.comment) == (True, "", "")


@pytest.mark.parametrize(("kwargs", "code"), [
    (dict(useful=False, reasons_given=["乱选的原因"]), "reason_unknown"),
    (dict(useful=False, comment="长" * 201), "comment_too_long"),
    (dict(useful=False, comment="=1+1" * 5000), "comment_too_long"),
])
def test_a_bad_vote_changes_nothing(desk, kwargs, code):
    ref = desk.log("定州秸秆能烧吗")
    with desk.session() as s:
        set_feedback(session=s, ref=ref, useful=True)
    with pytest.raises(DeskError) as err, desk.session() as s:
        set_feedback(session=s, ref=ref, **kwargs)
    assert err.value.code == code and stored(desk, ref).useful is True


def test_a_vote_for_an_unknown_answer_is_refused(desk):
    with pytest.raises(DeskError) as err, desk.session() as s:
        set_feedback(session=s, ref="no-such-ref", useful=False)
    assert err.value.code == "vote_unknown"
