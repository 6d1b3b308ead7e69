"""“加到手机日历”: check-in reminders as an iCalendar file, needing no contact at all.

One repeating event (daily or weekly, ``[reminders]`` in tunables.toml) at a local
evening hour, until the campaign's last day (or a fixed number of times), with a
display alarm and the private link in the event, so the phone reminds the signer
and one tap opens the check-in page. Nothing about the signer is stored for it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from icalendar import Alarm, Calendar, Event, vRecur

from pledges.tunables import local_date, local_zone, tunables, utcnow


def reminder_calendar(*, link: str, campaign_title: str, item_titles: list[str], ends_on: date | None,
                      today: date | None = None, uid_seed: str = "") -> bytes:
    conf = tunables()["reminders"]
    zone = local_zone()
    first = (today or local_date()) + timedelta(days=1)
    start = datetime.combine(first, time(int(conf["calendar_hour"])), tzinfo=zone)
    rule: dict = {"FREQ": str(conf["calendar_rule"]).upper()}
    if ends_on is not None and ends_on >= first:
        rule["UNTIL"] = datetime.combine(ends_on, time(23, 59), tzinfo=zone).astimezone(UTC)  # RFC 5545: UTC
    else:
        rule["COUNT"] = int(conf["calendar_count"])
    items = "、".join(item_titles)

    cal = Calendar()
    cal.add("prodid", "-//civic-energy-notices//green pledges//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "绿色承诺打卡提醒")
    event = Event()
    event.add("uid", f"pledge-checkin-{uid_seed or start.isoformat()}@civic-energy-notices")
    event.add("dtstamp", utcnow().replace(tzinfo=UTC))
    event.add("dtstart", start)
    event.add("duration", timedelta(minutes=int(conf["calendar_minutes"])))
    event.add("rrule", vRecur(rule))
    event.add("summary", f"绿色承诺打卡：{campaign_title}")
    event.add("description", f"今天做到了吗？{items}\n打开私人链接打卡（请勿分享给别人）：{link}")
    event.add("url", link)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", "绿色承诺打卡时间到了")
    alarm.add("trigger", timedelta(0))
    event.add_component(alarm)
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
