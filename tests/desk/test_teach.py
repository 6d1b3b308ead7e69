"""What staff teach: links and word pairs, checked, undoable, counted, seen by every process."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from civic.db import get_engine
from desk.messages import DeskError
from desk.provider import TeachingsSource
from desk.teach import (
    add_link,
    add_pair,
    check_link,
    current_teachings,
    list_links,
    list_pairs,
    read_version,
    undo_link,
    undo_pair,
    with_draft,
)
from tests.desk.conftest import CLAUSE, NOTICE, QUOTE

ASKED = "定州管饭店浪费粮食这摊事的，是哪几个部门？"


def test_a_link_is_saved_listed_and_undone_with_who_and_when(desk, corpus):
    with desk.session() as s:
        link = add_link(session=s, question=ASKED, notice_id=NOTICE, clause_path=CLAUSE, quote=QUOTE,
                        created_by="xuanchuan", corpus=corpus)
        link_id = link.id
    with desk.session() as s:
        (row,) = list_links(session=s)
        assert (row.city, row.created_by, row.uses, row.undone_at) == ("定州", "xuanchuan", 0, None)
        taught = current_teachings(session=s)
        assert [link.id for link in taught.links] == [f"L{link_id}"] and taught.version == "1"
    with desk.session() as s:
        undo_link(session=s, link_id=link_id, undone_by="shenhe")
    with desk.session() as s:
        assert current_teachings(session=s).links == () and read_version(s) == 2
        (row,) = list_links(session=s)
        assert row.undone_by == "shenhe" and row.undone_at is not None
    with pytest.raises(DeskError) as err, desk.session() as s:
        undo_link(session=s, link_id=link_id, undone_by="shenhe")
    assert err.value.code == "already_undone"


@pytest.mark.parametrize(("change", "code"), [
    (dict(quote="这句话不在通知里。"), "quote_not_in_clause"),
    (dict(quote="加强餐饮行业经营行为管理"), "quote_not_in_clause"),  # a piece of a sentence, not the sentence
    (dict(clause_path="三、（一）"), "quote_not_in_clause"),
    (dict(notice_id="beijing"), "notice_unknown"),
    (dict(question=""), "text_empty"),
    (dict(question="<script>alert(1)</script>饭店"), "markup"),
    (dict(question="=HYPERLINK(\"http://x\")饭店"), "formula"),
    (dict(question="饭店" * 2500), "text_too_long"),
])
def test_a_link_that_cannot_answer_is_refused(desk, corpus, change, code):
    fields = dict(question=ASKED, notice_id=NOTICE, clause_path=CLAUSE, quote=QUOTE) | change
    with pytest.raises(DeskError) as err, desk.session() as s:
        add_link(session=s, created_by="xuanchuan", corpus=corpus, **fields)
    assert err.value.code == code
    with desk.session() as s:
        assert list_links(session=s) == [] and read_version(s) == 0


def test_the_same_link_twice_is_refused(desk, corpus):
    for expected in (None, "link_exists"):
        try:
            with desk.session() as s:
                add_link(session=s, question=ASKED, notice_id=NOTICE, clause_path=CLAUSE, quote=QUOTE,
                         created_by="a", corpus=corpus)
            assert expected is None
        except DeskError as err:
            assert err.code == expected


def test_a_word_pair_is_checked_against_the_notices(desk, corpus):
    with desk.session() as s:
        pair = add_pair(session=s, everyday="米糠麸皮", notice_words="粮食加工副产物", created_by="a", corpus=corpus)
        pair_id = pair.id
    with desk.session() as s:
        (p,) = current_teachings(session=s).pairs
        assert (p.id, p.everyday, p.notice_words) == (f"P{pair_id}", "米糠麸皮", ("粮食加工副产物",))
    with pytest.raises(DeskError) as err, desk.session() as s:
        add_pair(session=s, everyday="米糠麸皮", notice_words="粮食", created_by="a", corpus=corpus)
    assert err.value.code == "pair_exists"
    with desk.session() as s:
        undo_pair(session=s, pair_id=pair_id, undone_by="b")
    with desk.session() as s:
        assert current_teachings(session=s).pairs == () and len(list_pairs(session=s)) == 1


@pytest.mark.parametrize(("everyday", "words", "code"), [
    ("米糠麸皮", "这词通知里没有", "notice_word_missing"),
    ("米糠麸皮", "", "notice_words_empty"),
    ("米", "粮食", "everyday_length"),
    ("<b>米糠</b>", "粮食", "markup"),
    ("米糠", "<img src=x onerror=alert(1)>", "markup"),
    ("=cmd|' /C calc'!A0", "粮食", "formula"),
    ("＋米糠", "粮食", "formula"),
    ("米糠", "@SUM(A1)", "formula"),
    ("米糠\n麸皮", "粮食", "control_chars"),
    ("米糠" * 2500, "粮食", "text_too_long"),
    ("米糠", "粮食、" * 2500, "notice_words_too_many"),
    ("散煤", "散煤", "pair_same"),
    ("米糠", "a、b、c、d、e、f", "notice_words_too_many"),
])
def test_a_hostile_or_useless_word_pair_is_refused(desk, corpus, everyday, words, code):
    with pytest.raises(DeskError) as err, desk.session() as s:
        add_pair(session=s, everyday=everyday, notice_words=words, created_by="a", corpus=corpus)
    assert err.value.code == code
    with desk.session() as s:
        assert list_pairs(session=s) == [] and read_version(s) == 0


def test_a_link_answers_other_wordings_and_undoing_it_restores_the_answer(desk, corpus, asker):
    other_words = "定州饭店浪费粮食归哪些部门管？"
    source = TeachingsSource(lambda: get_engine(desk.url), interval=3600)
    asker.teachings = source
    try:
        before = asker.ask(other_words, "定州")
        assert before.taught_link is None
        draft = check_link(question=ASKED, notice_id=NOTICE, clause_path=CLAUSE, quote=QUOTE, corpus=corpus)
        tested = asker.ask(other_words, "定州", teachings=with_draft(source(), link=draft))
        assert tested.taught_link == "L-draft" and tested.citations[0].quote == QUOTE
        assert asker.ask(other_words, "定州").taught_link is None  # testing saved nothing
        with desk.session() as s:
            link_id = add_link(session=s, question=ASKED, notice_id=NOTICE, clause_path=CLAUSE, quote=QUOTE,
                               created_by="a", corpus=corpus).id
        source.refresh()
        after = asker.ask(other_words, "定州")
        assert after.taught_link == f"L{link_id}" and after.citations[0].quote == QUOTE
        with desk.session() as s:
            undo_link(session=s, link_id=link_id, undone_by="a")
        source.refresh()
        again = asker.ask(other_words, "定州")
        assert again.taught_link is None and again.text == before.text
    finally:
        asker.teachings = None
        source.stop()


def test_every_process_sees_a_change_without_a_restart(desk, corpus, tmp_path):
    """Another process (the import command) teaches; this process's provider picks it up by itself."""
    source = TeachingsSource(lambda: get_engine(desk.url), interval=0.2)
    assert source().links == ()
    data = {"format": "civic-desk-teachings", "version": 1, "pairs": [],
            "links": [{"question": ASKED, "notice_id": NOTICE, "clause_path": CLAUSE, "quote": QUOTE}]}
    path = tmp_path / "teachings.json"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    env = {"DATABASE_URL": desk.url, "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "desk", "import-teachings", str(path), "--by", "ops"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    try:
        deadline = time.monotonic() + 30
        while not source().links and time.monotonic() < deadline:
            time.sleep(0.05)
        (link,) = source().links
        assert link.quote == QUOTE
    finally:
        source.stop()
