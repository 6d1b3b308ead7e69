"""Units of quotation: whole sentences, whole list items with their lead-in, department brackets."""

from retrieval.units import split_units


def test_a_semicolon_inside_brackets_does_not_cut_the_sentence():
    text = "按照“5432”标准（党政机关不低于50%；学校不低于40%；农村居民不低于20%），力争到2022年底建成。"
    units = split_units(text)
    assert len(units) == 1 and "农村居民不低于20%" in units[0][0] and "5432" in units[0][0]


def test_list_items_carry_their_lead_in():
    units = split_units("主要目标：到2025年，甲达到5%；乙达到6%；丙不低于7%。其他要求。")
    assert [u[0] for u in units] == ["主要目标：到2025年，甲达到5%；", "乙达到6%；", "丙不低于7%。", "其他要求。"]
    assert [u[1] for u in units] == ["", "主要目标：", "主要目标：", ""]


def test_department_bracket_is_its_own_unit():
    units = split_units("对浪费行为，依法严肃查处。(责任单位：市商务局、市市场监管局)")
    assert units == [("对浪费行为，依法严肃查处。", "", False), ("(责任单位：市商务局、市市场监管局)", "", True)]
