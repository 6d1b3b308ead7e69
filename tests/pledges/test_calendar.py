"""“加到手机日历”: the .ics file read back with the icalendar library."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar

from pledges.calendar import reminder_calendar
from pledges.tunables import local_zone

LINK = "https://lvse.example.cn/my-pledge?t=abcdefghijklmnopqrstuvwxyz012345"


def events(data: bytes):
    cal = Calendar.from_ical(data)
    return cal, list(cal.walk("VEVENT"))


def test_a_repeating_evening_reminder_with_an_alarm_and_the_private_link():
    data = reminder_calendar(link=LINK, campaign_title="葫芦岛绿色生活", item_titles=["光盘行动", "节约用水"],
                             ends_on=date(2026, 12, 31), today=date(2026, 12, 2), uid_seed="REF123")
    cal, found = events(data)
    assert len(found) == 1
    event = found[0]
    start = event.decoded("dtstart")
    assert start == datetime(2026, 12, 3, 20, 0, tzinfo=local_zone())  # from tomorrow, 20:00 local
    assert start.tzinfo is not None and cal.walk("VTIMEZONE")  # the zone travels with the file
    rule = event.get("rrule")
    assert rule["FREQ"] == ["DAILY"]
    assert rule["UNTIL"][0] == datetime(2026, 12, 31, 23, 59, tzinfo=local_zone()).astimezone(UTC)
    assert event.decoded("duration") == timedelta(minutes=10)
    alarms = event.walk("VALARM")
    assert len(alarms) == 1 and str(alarms[0]["action"]) == "DISPLAY"
    assert alarms[0].decoded("trigger") == timedelta(0)
    assert str(event["url"]) == LINK and LINK in str(event["description"])
    assert "光盘行动、节约用水" in str(event["description"])
    assert str(event["summary"]) == "绿色承诺打卡：葫芦岛绿色生活"
    assert "REF123" in str(event["uid"])


def test_without_an_end_date_it_repeats_a_fixed_number_of_times():
    _, (event,) = events(reminder_calendar(link=LINK, campaign_title="绿色生活", item_titles=["光盘行动"],
                                           ends_on=None, today=date(2026, 12, 2)))
    rule = event.get("rrule")
    assert rule["COUNT"] == [30] and "UNTIL" not in rule
