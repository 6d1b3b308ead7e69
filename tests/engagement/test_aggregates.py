"""Anonymous aggregates: groups below ten responses are never shown."""

import pytest
from sqlalchemy.orm import Session

from engagement.aggregates import city_aggregates, min_group_size, summarise
from engagement.store import save_response


def _rows(city, district, n, overall=50, main_heating="coal"):
    return [(city, district, overall, {"fuel": overall}, {"main_heating": main_heating})] * n


def test_threshold_is_ten_from_the_data_file():
    assert min_group_size() == 10


@pytest.mark.parametrize(
    ("rows", "shown"),
    [
        (_rows("tianjin", None, 9), []),
        (_rows("tianjin", None, 10), [("tianjin", None, 10)]),
        (_rows("tianjin", "和平区", 10), [("tianjin", None, 10), ("tianjin", "和平区", 10)]),
        # the rest of the city (3) would be revealed by subtraction: hide the district
        (_rows("tianjin", "和平区", 10) + _rows("tianjin", "河东区", 3), [("tianjin", None, 13)]),
        (_rows("tianjin", "和平区", 10) + _rows("tianjin", "河东区", 10),
         [("tianjin", None, 20), ("tianjin", "和平区", 10), ("tianjin", "河东区", 10)]),
        (_rows("tianjin", None, 12) + _rows("dingzhou", None, 4), [("tianjin", None, 12)]),
    ],
)
def test_groups_below_ten_are_hidden(rows, shown):
    groups = summarise(rows, "heating", 10)
    assert [(g.city, g.district, g.responses) for g in groups] == shown


def test_means_are_rounded_and_labelled():
    rows = _rows("yuncheng", None, 5, overall=40) + _rows("yuncheng", None, 5, overall=61)
    (group,) = summarise(rows, "heating", 10)
    assert group.mean_overall == 50 and group.mean_by_category["取暖方式"] == 50
    assert group.mean_by_category["室温设定"] is None


def test_headline_share_counts_only_those_who_answered():
    rows = (_rows("yuncheng", None, 3) + _rows("yuncheng", None, 6, main_heating="central")
            + _rows("yuncheng", None, 3, main_heating="unknown"))
    (group,) = summarise(rows, "heating", 10)
    assert group.share_label == "以散煤为主要取暖方式（%）" and group.share_percent == 33


def test_only_counted_responses_are_aggregated(engine):
    with Session(engine) as session:
        for n in range(12):
            save_response(session=session, topic="food", mode="express", answers={"city": "dingzhou"},
                          city="dingzhou", district=None, overall=60, categories={"sorting": 55}, counted=n < 10)
        groups = city_aggregates(session=session, topic="food")
        assert [(g.city, g.responses) for g in groups] == [("dingzhou", 10)]
        assert groups[0].share_percent is None  # nobody answered the leftovers question
        assert city_aggregates(session=session, topic="heating") == []
