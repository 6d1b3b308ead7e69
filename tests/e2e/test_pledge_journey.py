"""Staff create a campaign; a citizen signs it and sees the count rise, checks in, withdraws; staff export the CSV."""

from __future__ import annotations

import contextlib
import csv
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.e2e.steps import (
    add_to_multiselect,
    confirm_and_press,
    count_in,
    fits_width,
    goto,
    main_text,
    pick,
    settle,
)

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
SIGNED = r"感谢您的承诺！本活动已有 (\d+) 人签署。"
NAME_FIELD = "显示名称（选填，留空即匿名）"
NAMES = {"desktop": ("xuanchuan", "yc-2026"), "phone": ("xuanchuan-yc", "yc-green-2026")}  # staff user, campaign


def signed_count(page) -> int:
    page.get_by_test_id("stProgress").wait_for()
    return count_in(main_text(page), r"已有 (\d+) 人签署")


def staff_logs_in(staff, user: str) -> None:
    staff.get_by_role("textbox", name="用户名").fill(user)
    staff.get_by_label("密码", exact=True).fill("wrong password")
    staff.get_by_role("button", name="登录").click()
    settle(staff)
    staff.get_by_text("用户名或密码错误。").wait_for()
    staff.get_by_label("密码", exact=True).fill(PASSWORD)
    staff.get_by_role("button", name="登录").click()
    settle(staff)
    expect(staff.get_by_text(f"已登录：{user}")).to_be_attached()  # in the sidebar, folded away on a phone


def staff_create_campaign(staff, user: str, slug: str, title: str, check) -> None:
    pick(staff, "活动", "＋ 新建活动")
    staff.get_by_role("textbox", name="网址标识（小写字母、数字、短横线）").fill(slug)
    staff.get_by_role("textbox", name="活动标题").fill(title)
    pick(staff, "面向城市", "运城")
    # e.g. the empty item list says 选择本活动的承诺条目, not Choose options; the user name is data
    check(staff, "staff campaign form", allow=[user])
    add_to_multiselect(staff, "承诺条目", "光盘行动")
    add_to_multiselect(staff, "承诺条目", "节约用水")
    staff.get_by_role("button", name="保存活动").click()
    staff.get_by_text("活动已创建。").wait_for()
    expect(staff.get_by_text("暂无签名。")).to_be_visible()


def test_staff_run_a_campaign_a_citizen_signs_it_and_the_csv_holds_it(served_app, new_page, shoot, check, view):
    user, slug = NAMES[view]
    title = "运城市绿色生活承诺"
    # The account comes from the admin command line, run while the browser opens the page.
    admin = subprocess.Popen(
        [sys.executable, "-m", "pledges.admin", "create-user", user, "--password-stdin"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=served_app.env,
    )
    admin.stdin.write(PASSWORD + "\n")
    admin.stdin.close()
    staff = new_page()
    goto(staff, served_app.url + "/staff")
    check(staff, "staff login")
    assert admin.wait(timeout=60) == 0, admin.stdout.read()
    admin.stdout.close()
    staff_logs_in(staff, user)
    staff_create_campaign(staff, user, slug, title, check)

    # A citizen, in another browser, opens the campaign's share link and signs.
    citizen = new_page()
    citizen.context.grant_permissions(["clipboard-read", "clipboard-write"])
    goto(citizen, f"{served_app.url}/campaign?c={slug}")
    citizen.get_by_text("还没有人签署，欢迎成为第一位！").wait_for()
    assert signed_count(citizen) == 0
    citizen.get_by_role("button", name="立即签署承诺").click()
    citizen.get_by_text("我承诺做到").wait_for()
    expect(citizen.get_by_role("combobox", name="您所在的城市")).to_have_value("运城")  # the campaign's city
    settle(citizen)
    check(citizen, "pledge form")
    pick(citizen, "区县", "盐湖区")
    citizen.get_by_role("checkbox", name="光盘行动", exact=True).click(force=True)
    citizen.get_by_role("checkbox", name="节约用水", exact=True).click(force=True)
    citizen.get_by_label(NAME_FIELD).fill("<b>老王</b>")
    citizen.get_by_label(NAME_FIELD).press("Enter")  # Enter does not send an unfinished form
    settle(citizen)
    expect(citizen.get_by_text("输入内容不能包含 < > 等网页代码字符。")).to_have_count(0)
    citizen.get_by_text("我已阅读并同意上述个人信息说明").click()
    citizen.get_by_role("button", name="签署承诺").click()
    expect(citizen.get_by_text("输入内容不能包含 < > 等网页代码字符。")).to_be_visible()  # and nothing signed
    citizen.get_by_label(NAME_FIELD).fill("老王")
    citizen.get_by_role("button", name="签署承诺").click()
    citizen.get_by_text(re.compile(SIGNED)).wait_for()
    assert count_in(main_text(citizen), SIGNED) == 1
    # Keyboard focus and screen readers go to the confirmation, not back to the top of the page.
    citizen.wait_for_function("() => document.activeElement && document.activeElement.closest('.st-key-pledge-thanks')")
    expect(citizen.locator("#civic-live")).to_contain_text("签署成功")
    certificate = citizen.get_by_test_id("stImage").filter(has_text="您的承诺证书")
    expect(certificate.locator("img")).to_have_attribute("alt", re.compile(r"^绿色生活承诺证书：老王承诺"))
    # The private link: said plainly to be the only way back, shown whole, copied with one large button, as a QR code.
    expect(citizen.get_by_text("这个链接是您回来打卡、查看连续天数或撤回承诺的唯一途径")).to_be_visible()
    link = citizen.locator("#civic-private-link").inner_text().strip()
    assert "/my-pledge?t=" in link
    expect(citizen.get_by_role("img", name="打开您私人链接的二维码")).to_be_visible()
    copy = citizen.get_by_role("button", name="复制私人链接")
    assert copy.bounding_box()["height"] >= 48
    copy.click()
    expect(citizen.locator("#civic-private-link-status")).to_contain_text("已复制私人链接")
    assert citizen.evaluate("() => navigator.clipboard.readText()") == link
    assert fits_width(citizen)
    shoot(citizen, "pledge_thanks")

    citizen.get_by_role("button", name="查看活动进展").click()
    citizen.get_by_text("最近签署", exact=True).wait_for()
    assert signed_count(citizen) == 1
    recent = citizen.locator(".civic-compare").last
    expect(recent).to_contain_text("老*")  # the name is masked in public
    expect(recent).to_contain_text("盐湖区")
    expect(citizen.get_by_role("button", name="下载 A4 海报（PDF）")).to_be_visible()
    assert fits_width(citizen)
    shoot(citizen, "campaign")

    goto(citizen, link)
    citizen.get_by_text("今日打卡").wait_for()
    citizen.get_by_text("光盘行动", exact=True).click()
    citizen.get_by_role("button", name="打卡").click()
    done = citizen.get_by_role("checkbox", name="光盘行动（今天已打卡）")
    expect(done).to_be_checked()
    expect(done).to_be_disabled()
    expect(citizen.get_by_test_id("stMetric").first).to_contain_text("1 天")
    toast = citizen.get_by_test_id("stToast")
    if toast.count():  # close the “已打卡” toast unless it has gone by itself
        with contextlib.suppress(PlaywrightError):
            toast.get_by_label("关闭").click(timeout=1_000)
    assert fits_width(citizen)
    shoot(citizen, "my_pledge")

    # Staff look again: the dashboard counts the signature and the CSV holds it.
    pick(staff, "活动", "＋ 新建活动")
    pick(staff, "活动", f"{title}（{slug}）")
    expect(staff.get_by_test_id("stMetric").first).to_contain_text("1")
    assert fits_width(staff)
    shoot(staff, "staff_dashboard", allow=[user, slug])
    with staff.expect_download() as download:
        staff.get_by_role("button", name="导出 CSV").click()
    assert download.value.suggested_filename == f"{slug}-签名.csv"
    raw = Path(download.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM, so that spreadsheets read the Chinese
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["编号", "签署时间", "城市", "区县", "显示名称", "名称已隐藏", "承诺条目", "打卡次数"]
    assert len(rows) == 2
    assert rows[1][2:6] == ["运城", "盐湖区", "老王", "否"] and rows[1][7] == "1"
    assert set(rows[1][6].split("；")) == {"光盘行动", "节约用水"}

    # The citizen withdraws: the link dies and the count falls back.
    citizen.get_by_text("撤回承诺").first.click()
    settle(citizen)
    confirm_and_press(citizen, "我确认撤回并删除我的个人信息", "撤回承诺")
    citizen.get_by_text("相关个人信息已全部删除").wait_for()
    check(citizen, "pledge withdrawn")
    goto(citizen, link)
    citizen.get_by_text("这个私人链接无效或已失效").wait_for()
    goto(citizen, f"{served_app.url}/campaign?c={slug}")
    assert signed_count(citizen) == 0
