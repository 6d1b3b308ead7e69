"""A database made by the code before the shared layer upgrades in place, on SQLite and PostgreSQL.

The old schema is built by the frozen old migration and the old ``create_all``
(tests/civic/legacy), filled, upgraded by ``civic.db``, and then: every row is still
there, the schema is exactly what a fresh database gets, and the app reads and writes it.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import inspect

from civic.db import current_revision, get_engine, head_revision, migrate, new_engine, session_scope
from civic.db.schema import LEGACY_VERSION_TABLE, VERSION_TABLE
from engagement.resume_codes import digest, new_code
from engagement.store import load_by_code, save_response
from pledges import campaigns
from pledges.signing import SignForm, sign_pledge
from tests.civic import legacy
from tests.civic.test_schema import differences

SECRET = b"test-secret"
PLEDGE_TABLES = ["pledge_campaigns", "pledge_campaign_items", "pledge_signatures", "pledge_signature_items",
                 "pledge_checkins", "pledge_staff_users", "pledge_staff_sessions", "pledge_rate_events"]
SELFCHECK_TABLES = ["selfcheck_responses"]

# What the old code could have left: both packages used, or only one of them.
SCENARIOS = {"both": (True, True), "pledges only": (True, False), "self-checks only": (False, True)}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_old_database_upgrades_in_place_without_losing_a_row(database_url, scenario):
    with_pledges, with_selfcheck = SCENARIOS[scenario]
    code = new_code(SECRET)
    old = legacy.build(database_url, pledges=with_pledges, selfcheck=with_selfcheck)
    legacy.fill(old, pledges=with_pledges, selfcheck=with_selfcheck, resume_digest=digest(code, SECRET))
    kept = PLEDGE_TABLES * with_pledges + SELFCHECK_TABLES * with_selfcheck
    before = legacy.snapshot(old, kept)
    assert current_revision(old) == ("0001" if with_pledges else None)
    old.dispose()

    engine = get_engine(database_url)  # what the app does on first use: migrate

    assert legacy.snapshot(engine, kept) == before
    assert all(before.values())  # every old table had rows
    names = set(inspect(engine).get_table_names())
    assert LEGACY_VERSION_TABLE not in names and VERSION_TABLE in names
    assert current_revision(engine) == head_revision()
    assert differences(engine) == []  # the same schema a fresh database gets
    if with_pledges:  # contacts kept in clear for reminders never sent are gone with their column
        assert "reminder_contact" not in {c["name"] for c in inspect(engine).get_columns("pledge_signatures")}
    migrate(engine)  # a second run changes nothing
    assert legacy.snapshot(engine, kept) == before

    # The app carries on with the old rows: new ids do not collide, old ones are found.
    with session_scope(engine) as session:
        if with_pledges:
            campaign = campaigns.get_campaign(session=session, slug="green-life")
            assert campaigns.signature_count(session=session, campaign_id=campaign.id) == 3
            sign_pledge(session=session, campaign_slug="green-life", browser_token="browser-token-abcdefghijkl",
                        form=SignForm(city="石嘴山", district="惠农区", item_ids=("clean-plate",), consent=True))
            assert campaigns.signature_count(session=session, campaign_id=campaign.id) == 4
        if with_selfcheck:
            saved = load_by_code(session=session, code=code, secret=SECRET, topic="heating")
            assert saved.answers == {"city": "shizuishan", "fuel": "coal"}
            new_id = save_response(session=session, topic="food", mode="express", answers={}, city=None,
                                   district=None, overall=None, categories={}, counted=False)
            assert new_id > saved.id


def test_processes_starting_together_upgrade_an_old_database_once(database_url):
    """Several app processes start at once on an old database: one migrates, the rest wait."""
    old = legacy.build(database_url)
    legacy.fill(old)
    before = legacy.snapshot(old, PLEDGE_TABLES + SELFCHECK_TABLES)
    old.dispose()
    engines = [new_engine(database_url) for _ in range(4)]
    errors: list[BaseException] = []

    def start(engine) -> None:
        try:
            migrate(engine)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(e,)) for e in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert current_revision(engines[0]) == head_revision()
    assert legacy.snapshot(engines[0], PLEDGE_TABLES + SELFCHECK_TABLES) == before
    for engine in engines:
        engine.dispose()
