"""Links and word pairs move between deployments as JSON; importing twice changes nothing."""

from __future__ import annotations

import pytest

from civic.db import get_engine, session_scope
from desk.export import import_teachings, teachings_json
from desk.messages import DeskError
from desk.teach import add_link, add_pair, current_teachings, undo_pair
from tests.databases import database
from tests.desk.conftest import CLAUSE, NOTICE, QUOTE


def test_export_then_import_into_another_database(desk, corpus, tmp_path):
    with desk.session() as s:
        add_link(session=s, question="定州饭店浪费粮食归谁管", notice_id=NOTICE, clause_path=CLAUSE, quote=QUOTE,
                 created_by="xuanchuan", corpus=corpus)
        add_pair(session=s, everyday="米糠麸皮", notice_words="粮食加工副产物", created_by="xuanchuan", corpus=corpus)
        gone = add_pair(session=s, everyday="烧柴火", notice_words="生物质能", created_by="xuanchuan", corpus=corpus)
    with desk.session() as s:
        undo_pair(session=s, pair_id=gone.id, undone_by="xuanchuan")
    with desk.session() as s:
        data = teachings_json(session=s)
    assert len(data["links"]) == 1 and [p["everyday"] for p in data["pairs"]] == ["米糠麸皮"]
    with database("sqlite", tmp_path, "other.sqlite3") as other:
        engine = get_engine(other)
        for added in (1, 0):
            with session_scope(engine) as s:
                report = import_teachings(session=s, data=data, imported_by="ops", corpus=corpus)
            assert (report.links, report.pairs, report.skipped, report.refused) == (added, added, 2 - 2 * added, [])
        with session_scope(engine) as s:
            taught = current_teachings(session=s)
        assert [link.quote for link in taught.links] == [QUOTE] and taught.pairs[0].notice_words == ("粮食加工副产物",)


def test_an_import_refuses_what_this_deployment_cannot_answer_and_keeps_the_rest(desk, corpus):
    data = {"format": "civic-desk-teachings", "version": 1, "links": [
        {"question": "定州饭店浪费粮食归谁管", "notice_id": NOTICE, "clause_path": CLAUSE, "quote": QUOTE,
         "created_by": "<script>"},
        {"question": "改过的通知", "notice_id": NOTICE, "clause_path": CLAUSE, "quote": "通知里没有这句。"},
    ], "pairs": [{"everyday": "=cmd", "notice_words": ["散煤"]}, {"everyday": "煤球炉", "notice_words": "散煤"}]}
    with desk.session() as s:
        report = import_teachings(session=s, data=data, imported_by="ops", corpus=corpus)
    assert report.links == 1 and report.pairs == 0 and len(report.refused) == 3
    with desk.session() as s:
        taught = current_teachings(session=s)
    assert len(taught.links) == 1 and taught.pairs == ()
    with desk.session() as s:
        from desk.teach import list_links

        assert list_links(session=s)[0].created_by == "ops"  # a name that is not an account name is not kept
    for bad in ({"format": "other"}, [], {"format": "civic-desk-teachings", "links": "x"}):
        with pytest.raises(DeskError) as err, desk.session() as s:
            import_teachings(session=s, data=bad, imported_by="ops", corpus=corpus)
        assert err.value.code == "import_invalid"
