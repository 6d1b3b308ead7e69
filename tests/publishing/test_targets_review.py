"""Staff review the new notice's target rows: the table's checks on save, shown at once, recorded."""

from __future__ import annotations

import json

import pytest

from civic.db import session_scope
from publishing import notices, targets
from publishing.publish import publish
from retrieval.answer import Status, get_asker
from retrieval.corpus import load_corpus
from retrieval.index import sync
from retrieval.targets import load_targets
from tests.fixtures import newcity
from tests.publishing.conftest import STAFF, wangchuan_meta


@pytest.fixture
def published(db):
    sync()
    with session_scope(db) as session:
        notices.upload(session=session, data=newcity.make_notice().encode(), file_name="望川.txt",
                       meta=wangchuan_meta(), corpus=load_corpus(), user=STAFF)
    publish(engine=db, notice_id="wangchuan", user=STAFF)
    with session_scope(db) as session:
        return {r.indicator: r.id for r in targets.rows_for(session=session, notice_id="wangchuan")}


def act(engine, row_id, action, **changes):
    with session_scope(engine) as session:
        return targets.review(session=session, row_id=row_id, action=action, user=STAFF, corpus=load_corpus(),
                              changes=changes)


def shown(city="望川"):
    return {t.indicator: t for t in load_targets() if t.city == city}


def test_confirmed_rows_are_in_comparisons_at_once(db, published):
    assert "望川" not in {t.city for t in load_targets()}
    act(db, published["新能源汽车新车销售量占比"], "confirmed")
    assert shown()["新能源汽车新车销售量占比"].display_value == "30%左右"
    answer = get_asker().ask("望川和天津的新能源汽车新车销售量占比目标哪个更高？")
    assert answer.status is Status.ANSWERED, answer.text
    assert "望川：新能源汽车新车销售量占比 30%左右" in answer.text
    assert "25%左右" in answer.text and "望川的目标数值最高（30%）" in answer.text


def test_a_correction_must_keep_the_quote_in_its_clause(db, published):
    row_id = published["公共停车场按"]
    with pytest.raises(ValueError, match="原文引用必须是条款 三、（三）2. 里一字不差的一段"):
        act(db, row_id, "corrected", indicator="公共停车场充电桩配建比例", quote="公共停车场按15%配建充电桩")
    with pytest.raises(ValueError, match="目标值 16 不在原文引用里"):
        act(db, row_id, "corrected", value="16")
    with pytest.raises(ValueError, match="请选“保存更正”"):
        act(db, row_id, "confirmed", indicator="公共停车场充电桩配建比例")
    with session_scope(db) as session:
        assert targets.rows_for(session=session, notice_id="wangchuan")[6].review == "pending"  # nothing saved
    saved = act(db, row_id, "corrected", indicator="公共停车场充电桩配建比例", year="2025")
    assert (saved.review, saved.note) == ("corrected", "改了指标、目标年份")
    assert shown()["公共停车场充电桩配建比例"].display_value == "15%"


def test_rejected_rows_stay_hidden_and_rows_can_be_added(db, published):
    act(db, published["规模以上工业单位增加值能耗"], "rejected")
    assert "规模以上工业单位增加值能耗" not in shown()
    values = {"clause": "三、（三）2.", "theme": "交通与新能源汽车", "indicator": "新建住宅小区停车位充电设施建设比例",
              "value": "100", "unit": "%", "year": "", "baseline": "", "qualifier": "", "quote": "新建住宅小区停车位全部建设充电设施"}
    with pytest.raises(ValueError, match="目标值 100 不在原文引用里"), session_scope(db) as session:
        targets.add_row(session=session, notice_id="wangchuan", values=values, user=STAFF, corpus=load_corpus())
    values.update(value="15", unit="%", indicator="公共停车场充电桩配建比例（人工）",
                  quote="公共停车场按不低于15%的比例配建充电桩")
    with session_scope(db) as session:
        targets.add_row(session=session, notice_id="wangchuan", values=values, user=STAFF, corpus=load_corpus())
    assert shown()["公共停车场充电桩配建比例（人工）"].review == "added"


def test_who_reviewed_what_and_when_is_recorded(db, published):
    act(db, published["城镇清洁取暖率"], "confirmed")
    act(db, published["城镇清洁取暖率"], "corrected", year="2025年")
    with session_scope(db) as session:
        events = targets.events_for(session=session, notice_id="wangchuan")
    assert [(e.action, e.user) for e in events] == [("corrected", STAFF), ("confirmed", STAFF)]
    assert json.loads(events[0].changes) == {"year": ["2025", "2025年"]}
    assert events[0].at >= events[1].at and events[0].row_key.startswith("wangchuan|三、（二）1.|85%")
