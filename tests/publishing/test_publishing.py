"""Staff upload, preview, publish and unpublish a notice; the app answers from it at once, and stops."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from civic.db import session_scope
from civic.settings import REPO_ROOT
from publishing import notices, targets
from publishing.models import Notice
from publishing.publish import publish, unpublish
from retrieval.answer import Status, get_asker
from retrieval.corpus import load_corpus
from retrieval.index import sync
from retrieval.places import places
from retrieval.targets import load_targets
from tests.fixtures import newcity
from tests.publishing.conftest import STAFF, wangchuan_meta

TEXT = newcity.make_notice().encode()


def upload(engine, data: bytes = TEXT, name: str = "望川方案.txt", **meta):
    with session_scope(engine) as session:
        return notices.upload(session=session, data=data, file_name=name, meta=wangchuan_meta(**meta),
                              corpus=load_corpus(), user=STAFF)


def count(engine) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(Notice))


def test_upload_keeps_a_draft_with_its_preview(db):
    preview = upload(db)
    assert preview.report.lead.startswith("近日，望川市人民政府印发")
    assert preview.report.clauses_by_level == {0: 1, 1: 4, 2: 7, 3: 10}
    with session_scope(db) as session:
        row = notices.get_notice(session=session, notice_id="wangchuan")
        assert (row.status, row.uploaded_by, row.content) == ("draft", STAFF, TEXT)
    assert "wangchuan" not in load_corpus().notices  # a draft answers nothing
    assert "望川" not in places()["cities"]


@pytest.mark.parametrize(("data", "meta", "words"), [
    (TEXT, {"id": "Bad Id"}, "编号只能使用"),
    (TEXT, {"city": "天津"}, "天津已有通知（编号 tianjin）"),
    (TEXT, {"title": "<b>方案</b>"}, "标题（--title）"),
    ((REPO_ROOT / "corpus" / "tianjin.txt").read_bytes(), {}, "与已有通知 tianjin（天津）的文字完全相同"),
    (b"", {}, "文件是空的"),
    (b"\xff\xfe\x00\x00", {}, "UTF-8"),
])
def test_bad_uploads_are_refused_and_write_nothing(db, data, meta, words):
    with pytest.raises(ValueError, match=words):
        upload(db, data=data, **meta)
    assert count(db) == 0


def test_the_same_file_or_id_twice_is_refused(db):
    upload(db)
    with pytest.raises(ValueError, match="这个文件已经上传过（编号 wangchuan，待发布）"):
        upload(db, id="wangchuan2", city="望川二")
    with pytest.raises(ValueError, match="编号 wangchuan 已被另一份上传的通知使用"):
        upload(db, data=TEXT + "\n（此件公开发布）".encode(), city="望川二")
    assert count(db) == 1


def test_publish_answers_at_once_and_unpublish_removes_it(db):
    sync()  # the bundled notices, indexed
    upload(db)
    seen = []
    embedded = publish(engine=db, notice_id="wangchuan", user=STAFF, progress=lambda d, t: seen.append((d, t)))
    assert embedded == len(load_corpus().notices["wangchuan"].chunks) and seen[-1][0] == seen[-1][1] > embedded
    assert places()["cities"]["望川"]["districts"] == list(newcity.DISTRICTS)
    answer = get_asker().ask("我住在柳营区农村，冬天还能烧散煤吗？")
    assert answer.status is Status.ANSWERED and answer.citations[0].chunk.notice_id == "wangchuan"
    with session_scope(db) as session:
        rows = targets.rows_for(session=session, notice_id="wangchuan")
    assert {r.review for r in rows} == {"pending"} and len(rows) == 8
    assert not [t for t in load_targets() if t.city == "望川"]  # pending rows are never shown

    unpublish(engine=db, notice_id="wangchuan", user=STAFF)
    assert "wangchuan" not in load_corpus().notices and "望川" not in places()["cities"]
    answer = get_asker().ask("望川市到2025年城镇清洁取暖率要达到多少？")
    assert all(c.chunk.notice_id != "wangchuan" for c in answer.citations)
    with session_scope(db) as session:
        row = notices.get_notice(session=session, notice_id="wangchuan")
        assert row.status == "unpublished" and row.content == TEXT and row.unpublished_by == STAFF
    publish(engine=db, notice_id="wangchuan", user=STAFF)  # published again: its rows were kept
    with session_scope(db) as session:
        assert len(targets.rows_for(session=session, notice_id="wangchuan")) == 8


def test_a_draft_can_be_deleted_a_published_notice_cannot(db):
    sync()
    upload(db)
    publish(engine=db, notice_id="wangchuan", user=STAFF)
    with pytest.raises(ValueError, match="只有从未发布过的草稿可以删除"), session_scope(db) as session:
        notices.delete_draft(session=session, notice_id="wangchuan")
    assert count(db) == 1
