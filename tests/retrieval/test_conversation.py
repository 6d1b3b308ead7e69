"""Follow-ups written out from the conversation, by rules; new subjects left alone."""

import pytest

from retrieval.conversation import resolve

CITIES = ["定州", "葫芦岛", "石嘴山", "运城", "天津"]
FIRST = "石嘴山农村清洁取暖率目标是多少？"


@pytest.mark.parametrize(
    ("history", "turn", "expected"),
    [
        ([FIRST], "那天津呢？", "天津农村清洁取暖率目标是多少？"),
        ([FIRST, "那天津呢？"], "这个谁负责？", "天津农村清洁取暖率目标，谁负责？"),
        (["运城钢铁行业单位增加值能耗到2025年降多少？"], "有色行业呢？", "运城有色行业单位增加值能耗到2025年降多少？"),
        (["定州城镇新建的房子要执行啥标准？"], "农村呢？", "定州农村新建的房子要执行啥标准？"),
        (["天津街道、乡镇的环境治理能交给公司托管吗？"], "那工业园区呢？", "天津工业园区的环境治理能交给公司托管吗？"),
        (["石嘴山挖掘机这类非道路柴油机械，执行什么排放标准？"], "那汽车呢？", "石嘴山汽车，执行什么排放标准？"),
        (["运城排放挥发性有机物的单位，要装在线监测设施吗？"], "有时间要求吗？",
         "运城排放挥发性有机物的单位，要装在线监测设施，有时间要求吗？"),
    ],
)
def test_follow_up_is_written_out(history, turn, expected):
    resolved = resolve(turn, history, CITIES)
    assert resolved.rewritten and resolved.question == expected


def test_a_new_subject_keeps_only_the_city():
    resolved = resolve("秸秆禁烧有什么规定？", [FIRST], CITIES)
    assert resolved.question == "石嘴山秸秆禁烧有什么规定？" and resolved.city == "石嘴山"


@pytest.mark.parametrize("turn", ["葫芦岛秸秆禁烧有什么规定？", "哪些城市提到了自愿承诺？", "天津农村生活污水治理率目标是多少？"])
def test_a_complete_question_is_not_rewritten(turn):
    resolved = resolve(turn, [FIRST], CITIES)
    assert not resolved.rewritten and resolved.question == turn


def test_no_history_no_rewriting():
    assert resolve("那天津呢？", [], CITIES).rewritten is False
