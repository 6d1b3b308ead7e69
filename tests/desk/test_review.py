"""The review queue: filters, near-identical questions grouped with a count, marking reviewed."""

from __future__ import annotations

from datetime import timedelta

from desk.feedback import set_feedback
from desk.review import QueueFilter, mark_reviewed, queue
from desk.tunables import local_day, utcnow

COAL = ["农村冬天烧煤取暖有什么要求？", "我家还烧煤炉子，以后还让烧吗", "烧散煤取暖犯法吗", "冬天烧煤会不会被罚款",
        "村里还能烧煤吗？", "石嘴山烧煤取暖政策", "天津烧煤取暖有啥规定", "散煤还能用吗", "石嘴山烧煤取暖政策！"]
OTHERS = ["电动车充电桩哪里有", "剩饭剩菜怎么处理", "垃圾分类怎么分", "暖气费怎么算", "定州秸秆能烧吗",
          "新能源汽车有补贴吗", "暖气费按面积还是按热量收"]


def test_twenty_ways_of_asking_about_coal_are_one_line(desk):
    for n, q in enumerate(COAL + OTHERS):
        desk.log(q, city=("石嘴山", "天津", None)[n % 3], status="no_evidence")
    with desk.session() as s:
        groups = queue(session=s, filter=QueueFilter())
    top = groups[0]
    assert top.count == len(COAL) and {r.question for r in top.rows} == set(COAL)
    assert top.question == "石嘴山烧煤取暖政策！"  # asked twice (once without the "！"), the newest wording shown
    assert sum(g.count for g in groups) == len(COAL) + len(OTHERS)
    heating_fee = next(g for g in groups if "暖气费怎么算" in {r.question for r in g.rows})
    assert {r.question for r in heating_fee.rows} == {"暖气费怎么算", "暖气费按面积还是按热量收"}
    assert all(not ({"剩饭剩菜怎么处理", "垃圾分类怎么分"} <= {r.question for r in g.rows}) for g in groups)


def test_filters_status_not_useful_city_date_and_reviewed(desk):
    now = utcnow()
    old = desk.log("定州秸秆能烧吗", city="定州", status="no_evidence", asked_at=now - timedelta(days=10))
    unhappy = desk.log("定州秸秆禁烧吗", city="定州", status="answered")
    desk.log("天津烧煤有什么规定", city=None, cities=("天津",), status="not_specified")
    desk.log("北京有什么政策", city=None, status="out_of_scope")
    with desk.session() as s:
        set_feedback(session=s, ref=unhappy, useful=False, reasons_given=["答非所问"])

    def asked(**kw) -> set[str]:
        with desk.session() as s:
            return {r.question for g in queue(session=s, filter=QueueFilter(**kw)) for r in g.rows}

    assert asked() == {"定州秸秆能烧吗", "天津烧煤有什么规定", "北京有什么政策"}
    assert asked(statuses=("not_specified",)) == {"天津烧煤有什么规定"}
    assert asked(statuses=(), not_useful_only=True) == {"定州秸秆禁烧吗"}
    assert asked(city="天津") == {"天津烧煤有什么规定"}
    assert asked(statuses=(), city="定州", start=local_day(now) - timedelta(days=1)) == {"定州秸秆禁烧吗"}
    assert asked(statuses=(), end=local_day(now) - timedelta(days=5)) == {"定州秸秆能烧吗"}
    with desk.session() as s:
        (g,) = [g for g in queue(session=s, filter=QueueFilter(city="定州"))]
        assert g.rows[0].ref == old
        assert mark_reviewed(session=s, ids=g.ids, by="shenhe") == 1
    assert asked(city="定州") == set()
    assert asked(city="定州", reviewed=True) == {"定州秸秆能烧吗"}
    with desk.session() as s:
        (g,) = queue(session=s, filter=QueueFilter(city="定州", reviewed=True))
        assert g.rows[0].reviewed_by == "shenhe"
        mark_reviewed(session=s, ids=g.ids, by="shenhe", reviewed=False)
    assert asked(city="定州") == {"定州秸秆能烧吗"}
