"""The app through Debian's nginx with two processes: routing, the journeys, a crash, a rolling restart.

All against one local deployment (tests/deploy/conftest.py), in this order: sessions are
spread and their images follow them; the e2e journeys pass through nginx; a process killed
mid-journey costs the resident at most a page reload and no confirmed signature; a rolling
restart while scripts/load.py signs loses nothing and fails no request the page did not retry.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from civic.db import dispose_engines
from civic.settings import REPO_ROOT
from deploy.services import run_async
from scripts import load
from scripts.stclient import StreamlitSession
from tests.deploy.conftest import all_live
from tests.e2e import test_ask_journey as ask_journey
from tests.e2e import test_pledge_journey as pledge_journey
from tests.e2e.steps import count_in, goto, main_text, pick, screenshot, settle

pytestmark = [pytest.mark.nginx, pytest.mark.postgres]
SIGNED = r"感谢您的承诺！本活动已有 (\d+) 人签署。"


def access_log(deployment) -> list[dict]:
    """nginx's access log for this deployment (deploy/nginx/civic.conf's civic format), parsed."""
    pattern = re.compile(r'"(?P<method>\S+) (?P<uri>\S+)" (?P<status>\d+) \d+ node=(?P<node>\S*) up=(?P<up>\S+)')
    text = (deployment.root / "nginx" / "access.log").read_text("utf-8")
    return [m.groupdict() for m in map(pattern.search, text.splitlines()) if m]


def new_campaign(deployment) -> str:
    try:
        return load.create_campaign(deployment.state()["database_url"], secrets.token_hex(3))
    finally:
        dispose_engines()


def test_sessions_are_spread_and_their_images_follow_them(deployment):
    all_live(deployment)
    slug, url = new_campaign(deployment), deployment.url

    async def visit() -> None:
        async with httpx.AsyncClient(trust_env=False, timeout=60) as http:
            browsers = [StreamlitSession(url, http=http, timeout=60) for _ in range(4)]
            for browser in browsers:  # four new browsers at once: least_conn spreads them
                await browser.__aenter__()
            try:
                assert {b.node for b in browsers} == {"n1", "n2"}
                first = browsers[0]
                run = await first.open("campaign", urlencode({"c": slug}))  # its images are fetched with its cookie
                images = run.media_urls()
                assert images and not run.errors()
                other = {"n1": "n2", "n2": "n1"}[first.node]
                astray = await http.get(url + images[0], headers={"Cookie": f"civic_node={other}"})
                assert astray.status_code == 404  # only the process that drew an image has it
                tab = StreamlitSession(url, http=http, timeout=60)
                tab.cookies = dict(first.cookies)  # a second tab of the same browser
                async with tab:
                    assert tab.node == first.node
                    assert not (await tab.open("campaign", urlencode({"c": slug}))).errors()
            finally:
                for browser in browsers:
                    await browser.__aexit__(None, None, None)

    run_async(visit())


@pytest.mark.browser
def test_the_ask_journey_passes_through_nginx(deployment, served, new_page, shoot, check):
    """tests/e2e's resident asking in two cities, unchanged, against nginx in front of two processes."""
    ask_journey.test_resident_asks_in_two_cities_and_opens_a_citation(served, new_page(), shoot, check)


@pytest.mark.browser
def test_the_staff_and_citizen_journey_passes_through_nginx(deployment, served, new_page, shoot, check):
    """tests/e2e's staff campaign, citizen signing and check-in, CSV export, unchanged, through nginx."""
    before = len(access_log(deployment))
    pledge_journey.test_staff_run_a_campaign_a_citizen_signs_it_and_the_csv_holds_it(served, new_page, shoot,
                                                                                     check, "desktop")
    media = [r for r in access_log(deployment)[before:] if r["uri"].startswith("/media/")]
    assert media and all(r["status"] in {"200", "206", "304"} for r in media), media  # certificate, poster, CSV
    nodes = {c["value"] for context in new_page.contexts for c in context.cookies() if c["name"] == "civic_node"}
    assert nodes == {"n1", "n2"}  # staff and citizen, two browsers at once: one on each process


def thanks(page):
    """The thank-you message (the screen reader's live region says it too)."""
    return page.get_by_test_id("stAlertContentSuccess").get_by_text(re.compile(SIGNED))


def _sign_on_form(page, name: str) -> None:
    """On the pledge form of a load campaign (定州): district, one item, name, consent."""
    page.get_by_text("我承诺做到").wait_for()
    pick(page, "区县", "南城区街道")
    page.get_by_role("checkbox", name="节约用水", exact=True).click(force=True)
    page.get_by_label("显示名称（选填，留空即匿名）").fill(name)
    page.get_by_text("我已阅读并同意上述个人信息说明").click()
    settle(page)


def _errors_shown(page) -> list[str]:
    alerts = page.locator('[data-testid="stAlert"], [data-testid="stException"]').all_inner_texts()
    return [a for a in alerts if "错误" in a or "Traceback" in a or "Error" in a] + (
        ["nginx's unavailable page"] if page.get_by_text("服务暂时繁忙").count() else [])


@pytest.mark.browser
def test_a_process_killed_mid_journey_costs_a_reload_and_no_confirmed_signature(deployment, served, new_page):
    slug = new_campaign(deployment)
    page = new_page()
    goto(page, f"{served.url}/campaign?c={slug}")
    page.get_by_role("button", name="立即签署承诺").click()
    _sign_on_form(page, "老张")
    page.get_by_role("button", name="签署承诺").click()
    thanks(page).wait_for()
    assert count_in(main_text(page), SIGNED) == 1
    link = page.locator("#civic-private-link").inner_text().strip()  # the thank-you page's copy box

    # The same browser starts a second signature, and its process dies before it is submitted.
    goto(page, f"{served.url}/campaign?c={slug}")
    page.get_by_role("button", name="立即签署承诺").click()
    _sign_on_form(page, "小李")
    node = {c["name"]: c["value"] for c in page.context.cookies()}["civic_node"]
    os.kill(deployment.pids()[node], signal.SIGKILL)

    # The page reconnects through nginx to the other process by itself; the form keeps what was typed.
    page.get_by_role("button", name="签署承诺").click()
    clicks = 1
    for _ in range(3):  # a click made while the page was reconnecting is lost: the resident clicks again
        try:  # wait for the run the click asked for, so that a slow answer is not taken for a lost click
            thanks(page).wait_for(timeout=15_000)
            break
        except PlaywrightTimeoutError:
            settle(page)
        if clicks == 1:
            screenshot(page, "nginx_after_crash_desktop")
        clicks += 1
        assert not _errors_shown(page)
        if page.get_by_role("button", name="签署承诺").count():
            page.get_by_role("button", name="签署承诺").click()
        else:  # the page started over: sign again from the campaign page
            goto(page, f"{served.url}/campaign?c={slug}")
            page.get_by_role("button", name="立即签署承诺").click()
            _sign_on_form(page, "小李")
            page.get_by_role("button", name="签署承诺").click()
    thanks(page).wait_for()
    print(f"\nafter {node} was killed the resident pressed 签署承诺 {clicks} time(s)")
    assert count_in(main_text(page), SIGNED) == 2  # the first, confirmed before the crash, is kept
    assert {c["name"]: c["value"] for c in page.context.cookies()}["civic_node"] != node
    assert not _errors_shown(page)

    # The private link from before the crash works on the surviving process: check in.
    goto(page, link)
    page.get_by_text("今日打卡").wait_for()
    page.get_by_text("节约用水", exact=True).click()
    page.get_by_role("button", name="打卡").click()
    expect(page.get_by_role("checkbox", name="节约用水（今天已打卡）")).to_be_checked()
    all_live(deployment)  # the health check restarted the killed process and put it back
    assert f"{node} has exited; starting it again" in (deployment.logs / "watch.log").read_text()


@pytest.mark.browser
def test_a_rolling_restart_under_load_loses_nothing(deployment, tmp_path: Path):
    all_live(deployment)
    before = deployment.pids()
    out = tmp_path / "load.json"
    restart = f"{sys.executable} -m deploy --dir {deployment.root} restart --drain-seconds 1"
    cmd = [sys.executable, str(REPO_ROOT / "scripts" / "load.py"), "--deployment", str(deployment.root),
           "--sessions", "4", "--sign-share", "0.75", "--requests-per-session", "1000", "--duration", "150",
           "--timeout", "30", "--during", restart, "--json", str(out)]
    done = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=330)
    print(done.stdout[-3000:])
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    result = json.loads(out.read_text("utf-8"))
    level = result["phases"][0]
    assert level["during"]["returncode"] == 0
    assert level["kinds"]["all"]["errors"] == 0, level["error_samples"]  # cut requests only count as moved
    assert result["check"]["ok"] and result["check"]["confirmed"] > 0  # every confirmed signature stored once
    after = deployment.pids()
    assert all(after[name] != pid for name, pid in before.items())  # each process was restarted
    assert set(level["sessions_per_node"]) >= {"n1", "n2"}
