"""What a message asks: the ask apart from the background, and the kind of fact wanted."""

import pytest

from retrieval.question import gives, kind_of, quoted_terms, split_ask, understand


def test_short_message_is_all_ask():
    ask, background = split_ask("定州旧光伏板回收")
    assert ask == "定州旧光伏板回收" and background == ""


def test_long_message_keeps_the_question_after_the_marker():
    text = ("我家住在城里一个老小区，楼下就俩垃圾桶，一到夏天臭得窗户都不敢开，物业说他们也管不了。"
            "我就想问问，市里对这些吃剩的东西有没有单独收的打算？")
    q = understand(text)
    assert q.ask == "市里对这些吃剩的东西有没有单独收的打算？"
    assert "物业" in q.background and "物业" not in q.ask
    assert q.refers_back  # "这些" points back at the background


def test_long_message_without_marker_takes_the_last_asking_clause():
    text = "我在一个小厂子干喷漆，干了十来年了，车间里那味儿特别冲，戴俩口罩都不管用，老板最近说上面要查，市里的方案到底是不是让换漆？"
    ask, background = split_ask(text)
    assert ask.endswith("市里的方案到底是不是让换漆？") and "口罩" in background


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("葫芦岛企业把燃煤锅炉拆了，政府给多少补偿款？", "money"),
        ("定州管饭店浪费粮食的，是哪几个部门？", "who"),
        ("运城说的十大产业集群，具体是哪十个产业？", "list"),
        ("有时间要求吗？", "when"),
        ("这三个全覆盖到底指啥？", "definition"),
        ("企业信用差了会受啥处罚？", "consequence"),
        ("绿色产品馆在哪个网站上？", "website"),
        ("要办啥手续？", "procedure"),
        ("石嘴山执行什么排放标准？", "standard"),
        ("天津到2025年单位GDP能耗要比2020年降多少？", "figure"),
        ("俺在石嘴山包了几个鱼塘，养鱼这块政府有啥新说法？", None),  # "几个" is background, not the ask
        ("天津哪个区要是完成了目标，它的能源消费总量还考核吗？", None),  # the asking clause decides
    ],
)
def test_kind_of_the_asking_clause(question, kind):
    found = kind_of(question)
    assert (found.name if found else None) == kind


def test_a_year_is_not_the_figure_asked_for():
    figure = kind_of("新能源汽车销量占比目标是多少？")
    assert not gives(figure, "到2025年，推广新能源汽车。")
    assert gives(figure, "到2025年，新能源汽车占比达到20%。")


def test_a_list_answer_enumerates_enough_items_of_the_asked_kind():
    listing = kind_of("具体是哪十个产业？")
    q = "具体是哪十个产业？"
    assert not gives(listing, "重点推动装备制造、新材料、新能源、数字经济等新兴产业。", question=q)  # 4 < 10
    streets = "禁煤区具体包括哪几个街道、哪些小区？"
    assert not gives(kind_of(streets), "以城中村、棚户区、城市周边等为重点推进散煤治理。", question=streets)
    districts = "哪几个区县在搞屋顶光伏试点？"
    assert gives(kind_of(districts), "实施大武口区、惠农区、平罗县整县推进屋顶分布式光伏试点。", question=districts)


def test_money_is_not_a_percentage():
    money = kind_of("每瓦补贴多少钱？")
    assert not gives(money, "党政机关建筑屋顶安装比例不低于50%。")
    assert gives(money, "每千瓦时补贴0.1元。")


def test_a_generic_name_does_not_answer_which_one():
    which = kind_of("打算放在哪个园区？")
    question = "石嘴山要搞“绿电园区”试点，打算放在哪个园区？"
    assert not gives(which, "积极争取“绿电园区”试点，建成一批节能环保示范园区。", question=question)
    assert gives(which, "在石嘴山经济技术开发区园区开展试点。", question=question)


def test_quoted_terms():
    assert quoted_terms("运城说的“415”十大工业产业集群是哪十个？") == ["415"]


def test_a_stance_only_clause_defers_to_the_clause_that_asks():
    """"…开多少度合适，政府有规定不？": the last clause only asks for the stance; the kind is the temperature."""
    assert kind_of("夏天空调温度开多少度合适，政府有规定不？").name == "temperature"
    assert kind_of("天津农村的厕所改了吗，政府有规定不？") is None
