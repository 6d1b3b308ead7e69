"""Campaign CRUD, locked wording, stats, moderation, deletion and CSV export."""

import csv
import io
from datetime import date

import pytest

from pledges import campaigns, stats
from pledges.export import signatures_csv
from pledges.messages import PledgeError
from pledges.signing import SignForm, sign_pledge


def data(**overrides):
    base = dict(slug="dz-2026", title="定州绿色生活", city="定州", starts_on=date(2026, 1, 1),
                ends_on=None, goal=10, item_ids=("clean-plate", "sort-waste"), intro="**一起来**", colour="#1565C0")
    base.update(overrides)
    return campaigns.CampaignInput(**base)


def add_signature(db, slug, name=None, district="南城区街道", browser="browser-token-aaaaaaaaaaaa"):
    with db.session() as session:
        return sign_pledge(session=session, campaign_slug=slug, browser_token=browser,
                           form=SignForm(city="定州", district=district, item_ids=("clean-plate",),
                                         consent=True, display_name=name))


def test_create_edit_and_lock(db):
    with db.session() as session:
        cid = campaigns.create_campaign(session=session, data=data()).id
    with db.session() as session:  # free to change items before anyone signs
        campaigns.update_campaign(session=session, campaign_id=cid, data=data(item_ids=("clean-plate",)))
    add_signature(db, "dz-2026")
    with pytest.raises(PledgeError, match="items_locked"), db.session() as session:
        campaigns.update_campaign(session=session, campaign_id=cid, data=data())
    with db.session() as session:  # other fields stay editable
        campaigns.update_campaign(session=session, campaign_id=cid,
                                  data=data(item_ids=("clean-plate",), title="新标题", goal=50))
    with db.session() as session:
        campaign = campaigns.get_campaign(session=session, slug="dz-2026")
        assert (campaign.title, campaign.goal, campaign.colour) == ("新标题", 50, "#1565c0")
        assert [ci.item_id for ci in campaign.items] == ["clean-plate"]


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        (dict(slug="Bad Slug!"), "slug_invalid"),
        (dict(slug="<script>"), "slug_invalid"),
        (dict(title=""), "title_empty"),
        (dict(title="=cmd|' /C calc'!A0"), "formula"),
        (dict(title="<b>活动</b>"), "markup"),
        (dict(title="长" * 61), "title_too_long"),
        (dict(goal=0), "goal_invalid"),
        (dict(ends_on=date(2025, 1, 1)), "dates_invalid"),
        (dict(item_ids=()), "no_items"),
        (dict(item_ids=("nope",)), "unknown_item"),
        (dict(city="北京"), "unknown_city"),
        (dict(colour="red"), "colour_invalid"),
    ],
)
def test_bad_campaign_input(db, overrides, code):
    with pytest.raises(PledgeError) as err, db.session() as session:
        campaigns.create_campaign(session=session, data=data(**overrides))
    assert err.value.code == code
    with db.session() as session:
        assert campaigns.list_campaigns(session=session) == []


def test_slug_taken_and_intro_sanitised(db):
    with db.session() as session:
        c = campaigns.create_campaign(session=session, data=data(intro="<script>x</script>**好**"))
        assert c.intro == "x**好**"
    with pytest.raises(PledgeError, match="slug_taken"), db.session() as session:
        campaigns.create_campaign(session=session, data=data())


def test_stats_moderation_deletion_and_export(db):
    with db.session() as session:
        campaigns.create_campaign(session=session, data=data())
    first = add_signature(db, "dz-2026", name="张三丰", browser="browser-token-111111111111")
    add_signature(db, "dz-2026", name="=cmd|' /C calc'!A0"[1:], district="留早镇",
                  browser="browser-token-222222222222")
    with db.session() as session:
        campaign = campaigns.get_campaign(session=session, slug="dz-2026")
        s = stats.campaign_stats(session=session, campaign=campaign)
        assert s.count == 2 and s.progress == 0.2
        assert s.by_district == {"南城区街道": 1, "留早镇": 1}
        assert s.by_item == {"光盘行动": 2, "生活垃圾分类": 0}
        assert sum(s.by_day.values()) == 2
        assert {r[0] for r in s.recent} == {"张**", "c***"}
        stats.set_name_hidden(session=session, campaign_id=campaign.id, ref=first.ref)
    with db.session() as session:
        campaign = campaigns.get_campaign(session=session, slug="dz-2026")
        s = stats.campaign_stats(session=session, campaign=campaign)
        assert "匿名" in {r[0] for r in s.recent}
        body = signatures_csv(stats.signature_rows(session=session, campaign=campaign)).decode("utf-8-sig")
        table = list(csv.reader(io.StringIO(body)))
        assert table[0][0] == "编号" and len(table) == 3
        assert all(not cell.startswith(("=", "+", "-", "@")) for row in table for cell in row)
        stats.delete_signature(session=session, campaign_id=campaign.id, ref=first.ref.lower())
    with db.session() as session:
        campaign = campaigns.get_campaign(session=session, slug="dz-2026")
        assert campaigns.signature_count(session=session, campaign_id=campaign.id) == 1
        with pytest.raises(PledgeError, match="signature_not_found"):
            stats.delete_signature(session=session, campaign_id=campaign.id, ref="NOPE")
