"""The pledge pages under Streamlit's AppTest: messages for bad input, no browser needed."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from civic.db import dispose_engines, get_engine, session_scope
from civic.settings import get_settings, reset_settings
from pledges import campaigns
from tests.pages import page


@pytest.fixture(autouse=True)
def _fresh_engines():
    yield
    dispose_engines()




def messages(at: AppTest) -> list[str]:
    return [e.value for e in (*at.error, *at.warning, *at.success)]


def test_sign_page_prefills_from_query_params():
    at = page("pledge_sign", items="clean-plate,small-portions", city="定州")
    assert at.selectbox[0].value == "定州"
    ticked = {c.label for c in at.checkbox if c.value}
    assert {"光盘行动", "适量点餐，小份菜，剩菜打包"} <= ticked


def test_empty_form_gets_a_clear_message():
    at = page("pledge_sign")
    at.button[0].click().run()
    assert any("表单还是空的" in m for m in messages(at))


def test_missing_consent_and_unknown_campaign():
    at = page("pledge_sign", items="clean-plate", city="天津")
    at.selectbox[1].select("和平区")
    at.button[0].click().run()
    assert any("请阅读个人信息说明" in m for m in messages(at))
    at = page("pledge_sign", c="no-such-campaign")
    assert any("没有找到这个承诺活动" in m for m in messages(at))


def test_ended_campaign_is_closed_but_page_stays():
    with session_scope(get_engine(get_settings().sqlalchemy_url)) as session:
        campaigns.create_campaign(session=session, data=campaigns.CampaignInput(
            slug="old-one", title="去年的活动", city=None, starts_on=date(2020, 1, 1), ends_on=date(2020, 12, 31),
            goal=10, item_ids=("clean-plate",)))
    at = page("pledge_sign", c="old-one")
    assert any("已于 2020-12-31 结束" in m for m in messages(at))
    at = page("campaign", c="old-one")
    assert any("已于 2020-12-31 结束" in m for m in messages(at))
    assert not at.exception


def test_database_unreachable(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:9/none")
    reset_settings()
    at = page("pledge_sign")
    assert any("数据库暂时无法连接" in m for m in messages(at))
    assert not at.exception


def test_forged_token_on_my_pledge_page():
    at = page("pledge_mine", t="forged-token-forged-token-forged")
    assert any("私人链接无效" in m for m in messages(at))


def _staff_with_signature():
    from pledges.accounts import create_user
    from pledges.signing import SignForm, sign_pledge

    with session_scope(get_engine(get_settings().sqlalchemy_url)) as session:
        create_user(session=session, username="clerk", password="correct horse battery")
        campaigns.create_campaign(session=session, data=campaigns.CampaignInput(
            slug="sz-2026", title="石嘴山承诺", city="石嘴山", starts_on=None, ends_on=None, goal=10,
            item_ids=("clean-plate", "sort-waste")))
        return sign_pledge(session=session, campaign_slug="sz-2026", browser_token="browser-token-abcdefghijkl",
                           form=SignForm(city="石嘴山", district="惠农区", item_ids=("clean-plate",), consent=True,
                                         display_name="王小二")).ref


def _login(password: str) -> AppTest:
    at = page("staff")
    at.text_input[0].input("clerk")
    at.text_input[1].input(password)
    return at.button[0].click().run()


def test_staff_login_lockout_lock_and_moderation():
    ref = _staff_with_signature()
    for _ in range(4):
        assert any("用户名或密码错误" in m for m in messages(_login("wrong password")))
    assert any("已临时锁定" in m for m in messages(_login("wrong password")))
    from pledges.models import StaffUser

    with session_scope(get_engine(get_settings().sqlalchemy_url)) as session:  # what `admin unlock` does
        user = session.query(StaffUser).one()
        user.failed_logins, user.locked_until = 0, None
    at = _login("correct horse battery")
    assert not at.exception
    at.selectbox(key="staff_campaign").select("sz-2026").run()
    assert at.multiselect[0].disabled  # items locked: the campaign has a signature
    ref_box = next(t for t in at.text_input if t.label.startswith("签名编号"))
    ref_box.input(ref)
    next(b for b in at.button if b.label == "隐藏名称").click().run()
    assert not at.exception
    with session_scope(get_engine(get_settings().sqlalchemy_url)) as session:
        from pledges import stats

        campaign = campaigns.get_campaign(session=session, slug="sz-2026")
        assert stats.campaign_stats(session=session, campaign=campaign).recent[0][0] == "匿名"


def test_staff_see_self_check_aggregates_only_for_groups_of_ten():
    from engagement.store import save_response

    _staff_with_signature()
    with session_scope(get_engine(get_settings().sqlalchemy_url)) as session:
        for n in range(22):
            district = "惠农区" if n < 10 else "大武口区" if n < 20 else "平罗县"
            save_response(session=session, topic="heating", mode="express", answers={"city": "shizuishan"},
                          city="shizuishan", district=district, overall=40 + n, categories={}, counted=True)
    at = _login("correct horse battery")
    assert not at.exception
    tables = [df.value for df in at.dataframe]
    survey = next(t for t in tables if "份数" in t.columns)
    assert sorted(survey["份数"]) == [10, 10, 22]  # the city and two districts; 平罗县 (2) stays hidden
    assert "平罗县" not in set(survey["区县"])
