"""Parse cases a new city's notice brings: title-only parts, reprint leads, cut-off department brackets."""

from retrieval.corpus import load_corpus
from retrieval.parse import parse_notice, split_departments
from tests.fixtures import newcity

BODY = "一、总体要求\n\n坚持节约优先，推动绿色转型。\n\n二、重点任务\n\n（一）推广节能灯具。到2025年公共机构节能灯具使用率达到95%。\n"


def paths(parsed) -> list[str]:
    return [c.path for c in parsed.clauses]


def test_a_title_alone_is_not_a_clause():
    parsed = parse_notice("望川市节能工作方案\n\n" + BODY)
    assert paths(parsed)[0] == "一、"
    assert parsed.dropped_title_only == ["望川市节能工作方案"]


def test_the_bundled_title_only_cover_line_is_gone():
    yuncheng = load_corpus().notices["yuncheng"]
    assert yuncheng.clause("通知") is None
    assert "关于印发" in yuncheng.title_only[0]
    assert yuncheng.clause("前言") is not None


def test_a_cover_letter_with_sentences_stays():
    parsed = parse_notice("某市人民政府关于印发某市节能工作方案的通知\n\n各区人民政府，市政府各部门：\n\n"
                          "现将《某市节能工作方案》印发给你们，请认真贯彻执行。\n\n" + BODY)
    assert paths(parsed)[0] == "通知"
    assert "印发给你们" in parsed.clauses[0].text


def test_reprint_lead_before_the_plan_title_is_dropped():
    parsed = parse_notice(newcity.make_notice(), title=newcity.TITLE)
    assert parsed.dropped_lead.startswith("近日，望川市人民政府印发")
    assert "详情如下" not in "".join(c.text for c in parsed.clauses)
    assert paths(parsed)[:2] == ["前言", "一、"]


def test_reprint_lead_is_recognised_by_what_it_is_not_by_wording():
    """Other papers' wording, with and without a title after the lead."""
    leads = [
        "本报讯（记者 李明）日前，某市出台节能工作方案，明确了今后五年的目标。全文如下：\n\n",
        "新华网某地6月1日电 某市政府近期发布节能方案。\n\n以下为方案原文：\n\n",
        "日前，某市政府办公室公布了《某市节能工作方案》，提出到2025年公共机构节能灯具使用率达到95%。\n\n",
    ]
    for lead in leads:
        parsed = parse_notice(lead + BODY)
        assert parsed.dropped_lead, lead
        assert "某市" not in "".join(c.text for c in parsed.clauses), lead
        assert paths(parsed)[0] == "一、", lead
    titled = parse_notice(leads[2] + "某市节能工作方案\n\n" + BODY, title="某市节能工作方案")
    assert "公布了" in titled.dropped_lead and paths(titled)[0] == "一、"


def test_an_opening_paragraph_without_a_title_is_not_a_lead():
    parsed = parse_notice("为深入贯彻落实国家节能减排决策部署，推进经济社会发展全面绿色转型，结合我市实际，制定本方案。\n\n" + BODY)
    assert parsed.dropped_lead == ""
    assert paths(parsed)[0] == "前言"


def test_department_bracket_cut_by_the_end_of_the_file_is_metadata():
    parsed = parse_notice(BODY + "（二）强化考核。对未完成目标的区县进行约谈。（责任单位：市发展改革委、市统计局")
    last = parsed.clauses[-1]
    assert last.path == "二、（二）"
    assert last.departments == ["市发展改革委", "市统计局"]
    # The bracket stays in the clause as the notice's own words; search leaves it out.
    assert split_departments(last.text)[0].endswith("约谈。")


def test_a_bracket_left_open_does_not_swallow_the_next_heading():
    parsed = parse_notice(BODY + "（二）强化考核。开展评价（责任单位：市统计局\n\n（三）加强宣传。开展节能宣传周活动。\n")
    assert paths(parsed)[-2:] == ["二、（二）", "二、（三）"]
    assert "节能宣传周" in parsed.clauses[-1].text
