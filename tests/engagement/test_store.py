"""Save and resume by short code; forged codes rejected; only answers stored."""

import json

import pytest
from sqlalchemy import select

from civic.db import default_engine, session_scope
from civic.settings import get_settings
from engagement.models import responses
from engagement.resume_codes import ResumeCodeError, new_code, normalise, verify
from engagement.store import issue_resume_code, load_by_code, save_response

SECRET = b"test-secret"


@pytest.fixture
def session(engine):
    with session_scope(engine) as s:
        yield s


def _save(session, **overrides):
    kwargs = dict(session=session, topic="heating", mode="express", answers={"city": "shizuishan", "area": "rural"},
                  city="shizuishan", district=None, overall=40, categories={"fuel": 0}, counted=True)
    kwargs.update(overrides)
    return save_response(**kwargs)


def test_store_uses_the_settings_database(data_dir):
    default_engine()
    assert get_settings().sqlalchemy_url.endswith("civic.sqlite3")
    assert (data_dir / "civic.sqlite3").exists()


def test_codes_are_short_random_and_self_checking():
    codes = {new_code(SECRET) for _ in range(50)}
    assert len(codes) == 50
    for code in codes:
        assert len(code) == 14 and code.count("-") == 2
        assert verify(code.lower().replace("-", " "), SECRET) == code  # forgiving about case and spaces


@pytest.mark.parametrize("bad", ["", "ABCD", "ABCD-EFGH-JKMN-PQRS", "ABCD-EFGH-JK!N", "0000-1111-2222"])
def test_malformed_codes_get_a_format_message(bad):
    with pytest.raises(ResumeCodeError, match="格式不对"):
        verify(bad, SECRET)


def test_forged_code_fails_the_check():
    code = normalise(new_code(SECRET))
    forged = code[:-1] + ("A" if code[-1] != "A" else "B")
    with pytest.raises(ResumeCodeError, match="校验未通过"):
        verify(forged, SECRET)
    with pytest.raises(ResumeCodeError, match="校验未通过"):
        verify(new_code(b"another-server"), SECRET)


def test_save_and_resume_round_trip(session):
    response_id = _save(session, answers={"city": "shizuishan", "area": "rural", "fuel_amount": "3"}, mode="full")
    code = issue_resume_code(session=session, response_id=response_id, secret=SECRET)
    saved = load_by_code(session=session, code=code, secret=SECRET, topic="heating")
    assert saved.id == response_id and saved.mode == "full"
    assert saved.answers == {"city": "shizuishan", "area": "rural", "fuel_amount": "3"}


def test_updating_keeps_one_row_and_a_new_code_replaces_the_old(session):
    response_id = _save(session)
    old = issue_resume_code(session=session, response_id=response_id, secret=SECRET)
    assert _save(session, answers={"city": "tianjin"}, response_id=response_id) == response_id
    new = issue_resume_code(session=session, response_id=response_id, secret=SECRET)
    assert load_by_code(session=session, code=new, secret=SECRET, topic="heating").answers == {"city": "tianjin"}
    with pytest.raises(ResumeCodeError, match="没有找到"):
        load_by_code(session=session, code=old, secret=SECRET, topic="heating")
    assert len(session.execute(select(responses.c.id)).all()) == 1


def test_valid_looking_code_that_was_never_issued(session):
    with pytest.raises(ResumeCodeError, match="没有找到"):
        load_by_code(session=session, code=new_code(SECRET), secret=SECRET, topic="heating")


def test_code_for_the_other_self_check(session):
    response_id = _save(session, topic="food", answers={"city": "dingzhou"})
    code = issue_resume_code(session=session, response_id=response_id, secret=SECRET)
    with pytest.raises(ResumeCodeError, match="餐桌浪费自查"):
        load_by_code(session=session, code=code, secret=SECRET, topic="heating")


def test_only_answers_are_stored_never_the_code(session):
    response_id = _save(session, answers={"city": "shizuishan", "name": "张三", "phone": "13800000000",
                                          "area": "x" * 500})
    code = issue_resume_code(session=session, response_id=response_id, secret=SECRET)
    row = session.execute(select(responses)).one()
    stored = json.loads(row.answers)
    assert set(stored) == {"city", "area"} and len(stored["area"]) == 40
    assert normalise(code) not in (row.resume_digest or "") and len(row.resume_digest) == 64
