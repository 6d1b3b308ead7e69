"""The overview figures and the CSV export of the masked log."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from desk.export import log_csv
from desk.feedback import set_feedback
from desk.overview import overview
from desk.review import QueueFilter, rows
from desk.tunables import local_day, utcnow


def test_figures_per_day_outcome_city_clause_and_vote(desk):
    now = utcnow()
    yesterday = now - timedelta(days=1)
    a = desk.log("石嘴山污水处理率多少", city="石嘴山", status="answered", cited=(("shizuishan", "二、（二）"),))
    desk.log("石嘴山污水处理率目标", city="石嘴山", status="answered", cited=(("shizuishan", "二、（二）"),),
             asked_at=yesterday)
    b = desk.log("天津烧煤罚多少钱", city="天津", status="not_specified", asked_at=yesterday)
    desk.log("天津烧煤罚款多少", city="天津", status="no_evidence")
    desk.log("北京有补贴吗", city=None, status="out_of_scope")
    with desk.session() as s:
        set_feedback(session=s, ref=a, useful=True)
        set_feedback(session=s, ref=b, useful=False, reasons_given=["没回答我的问题"])
        o = overview(session=s, start=local_day(now) - timedelta(days=7), end=local_day(now))
    assert o.total == 5
    assert (o.outcomes["answered"], o.outcomes["not_answered"], o.outcomes["out_of_scope"]) == (2, 2, 1)
    assert o.share("answered") == 0.4 and o.not_useful_share == 0.5 and o.reasons["没回答我的问题"] == 1
    assert sum(sum(c.values()) for c in o.by_day.values()) == 5 and len(o.by_day) == 2
    assert o.top_clauses == [(("shizuishan", "二、（二）"), 2)]
    assert o.top_unanswered[0].count == 2 and {r.city for r in o.top_unanswered[0].rows} == {"天津"}
    assert o.per_city["天津"].total == 2 and o.per_city["天津"].not_useful == 1 and o.per_city["未指定"].total == 1
    with desk.session() as s:
        only = overview(session=s, start=None, end=None, city="石嘴山")
    assert only.total == 2


def test_the_csv_is_masked_and_formula_safe(desk):
    ref = desk.log("=HYPERLINK(\"http://evil.example\",\"点我\") 电话13812345678", status="no_evidence")
    desk.log("+SUM(A1:A9)", status="no_evidence")
    desk.log("@cmd", status="no_evidence")
    with desk.session() as s:
        set_feedback(session=s, ref=ref, useful=False, reasons_given=["其他"], comment="-2+3 住建设路18号")
        data = log_csv(rows(session=s, filter=QueueFilter(statuses=(), reviewed=None)))
    assert data.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    cells = [c for row in table[1:] for c in row]
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    assert "13812345678" not in data.decode() and "18号" not in data.decode()
    assert any(c.startswith("'=HYPERLINK") for c in cells) and any(c.startswith("'-2+3") for c in cells)
