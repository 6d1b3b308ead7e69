"""A sixth city's staff add its notice; residents ask about it in another app process.

Two served apps share one data directory (SQLite and the embedded index), as two
processes on one host behind a balancer. At 1280 px a staff member of 望川 uploads the
notice as a Word file made here (reprint lead, 一、（一）1. headings, department brackets),
reads the parse preview, publishes it and confirms its targets in app A. At 390 px a
resident, whose page in app B was opened before the publication, asks about 望川 by name,
by district and compared with 天津, and opens 目标对比 for 望川 — app B was never restarted.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser import start_app, stop_app
from tests.e2e.conftest import check_page
from tests.e2e.fonts import assert_chinese_renders
from tests.e2e.steps import (
    VIEWPORTS,
    _open_list,
    english_placeholders,
    fits_width,
    goto,
    main_text,
    screenshot,
    settle,
)
from tests.e2e.test_ask_journey import ask
from tests.fixtures import newcity

pytestmark = pytest.mark.browser
USER, PASSWORD = "wangchuan-staff", "long enough password 42"
CONFIRM = ["新能源汽车新车销售量占比", "城镇清洁取暖率", "化学需氧量重点工程减排量"]


@pytest.fixture
def two_apps(tmp_path: Path, built_index: Path):
    data = tmp_path / "data"
    data.mkdir()
    for part in ("index", "cache"):
        if (built_index / part).exists():
            shutil.copytree(built_index / part, data / part)
    first, app_a = start_app(data)
    try:
        second, app_b = start_app(data)
    except Exception:
        stop_app(first)
        raise
    try:
        yield app_a, app_b
    finally:
        stop_app(second)
        stop_app(first)


def notice_docx(folder: Path) -> Path:
    import docx

    document = docx.Document()
    for line in newcity.make_notice().splitlines():
        if line.strip():
            document.add_paragraph(line)
    path = folder / "望川市节能减排方案.docx"
    document.save(str(path))
    return path


def create_staff(app) -> None:
    admin = subprocess.run([sys.executable, "-m", "pledges.admin", "create-user", USER, "--password-stdin"],
                           input=PASSWORD + "\n", capture_output=True, text=True, env=app.env, timeout=120)
    assert admin.returncode == 0, admin.stdout + admin.stderr


def staff_uploads_and_publishes(staff, app, docx_path: Path, shoot) -> None:
    goto(staff, app.url + "/staff-notices")
    staff.get_by_role("textbox", name="用户名").fill(USER)
    staff.get_by_label("密码", exact=True).fill(PASSWORD)
    staff.get_by_role("button", name="登录").click()
    settle(staff)
    expect(staff.get_by_role("button", name="上传并检查")).to_be_visible()
    settle(staff)
    expect(staff.get_by_label(re.compile("^区县（"))).to_be_visible()  # drawn, not a skeleton
    expect(staff.get_by_text("繁体")).to_be_visible()
    shoot(staff, "staff_notice_upload")
    staff.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(docx_path))
    fields = {"编号": "wangchuan", "城市（": "望川", "省份": "东川省", "区县（": "、".join(newcity.DISTRICTS),
              "区县简称": "、".join(newcity.DISTRICT_ALIASES), "标题": newcity.TITLE, "发文机关": newcity.ISSUER,
              "印发日期": "2022-06-30", "发文字号": "望政发〔2022〕12号"}
    for label, value in fields.items():
        staff.get_by_label(re.compile("^" + re.escape(label))).fill(value)
    staff.get_by_role("button", name="上传并检查").click()
    settle(staff)
    expect(staff.get_by_text("文件已上传并解析，尚未发布")).to_be_visible(timeout=60_000)
    text = main_text(staff)
    assert "已去掉开头的转载导语" in text and "近日，望川市人民政府印发" in text
    assert "条款 22 条（通知/前言 1，一、 4，（一） 7，1. 10）" in text
    assert "三、（四）1. 推进农村清洁取暖（责任单位 3 个）" in text
    assert "注意" not in text.split("条款目录")[0] or "全文只有" in text  # the short test notice is warned about
    shoot(staff, "staff_notice_preview")
    staff.get_by_role("button", name="发布到问答").click()
    expect(staff.get_by_text("已发布：望川的通知现在可以在问答中查询")).to_be_visible(timeout=120_000)
    settle(staff)


def staff_confirms_targets(staff, shoot) -> None:
    staff.get_by_test_id("stRadio").get_by_text("目标审核").click()
    settle(staff)
    expect(staff.get_by_text("共 8 行，待审核 8 行")).to_be_visible()
    for indicator in CONFIRM:
        box = staff.locator('[data-testid="stSelectbox"]').filter(has_text="审核哪一行").get_by_role("combobox")
        wanted = staff.get_by_role("option", name=re.compile(re.escape(f"[待审核] {indicator}")))
        for _ in range(3):
            settle(staff)
            if _open_list(staff, box, wanted):
                break
        wanted.click()
        settle(staff)
        quote = staff.locator(".stMarkdownColoredBackground").first  # the quote, highlighted in its clause
        expect(quote).to_be_visible()
        assert indicator[:4] in quote.inner_text() or indicator[:2] in quote.inner_text()
        staff.get_by_role("button", name="确认无误").click()
        settle(staff)
        expect(staff.get_by_text(f"已保存：[已确认] {indicator}")).to_be_visible()
    expect(staff.get_by_text("待审核 5 行")).to_be_visible()
    shoot(staff, "staff_notice_targets")
    staff.get_by_test_id("stRadio").get_by_text("审核记录").click()
    settle(staff)
    expect(staff.get_by_text(f"{USER} 已确认 三、（三）1. 30%")).to_be_visible()  # who reviewed what, and when
    assert main_text(staff).count(f"{USER} 已确认") == len(CONFIRM)


def SCREENSHOT_CHECKS(view: str):  # noqa: N802 - reads like the shoot fixture it stands for
    def take(page, name: str) -> None:
        # axe-core, Chinese only, tap targets; the user name and the id example are data
        check_page(page, f"{name} [{view}]", allow=[USER, "zhengzhou"])
        screenshot(page, f"{name}_{view}")
        assert_chinese_renders(page)
        assert not english_placeholders(page)

    return take


def test_staff_publish_a_sixth_city_and_residents_ask_about_it(two_apps, _browser, tmp_path):
    app_a, app_b = two_apps
    create_staff(app_a)
    phone = _browser.new_context(viewport=VIEWPORTS["phone"], locale="zh-CN")
    desktop = _browser.new_context(viewport=VIEWPORTS["desktop"], locale="zh-CN")
    try:
        resident = phone.new_page()
        resident.set_default_timeout(60_000)
        goto(resident, app_b.url + "/ask")  # app B is running and answering before the publication
        expect(resident.get_by_text("定州、葫芦岛、石嘴山、运城、天津五个城市")).to_be_visible()

        staff = desktop.new_page()
        staff.set_default_timeout(60_000)
        shoot_desktop = SCREENSHOT_CHECKS("desktop")
        staff_uploads_and_publishes(staff, app_a, notice_docx(tmp_path), shoot_desktop)
        staff_confirms_targets(staff, shoot_desktop)

        shoot_phone = SCREENSHOT_CHECKS("phone")
        goto(resident, app_b.url + "/ask")
        expect(resident.get_by_text("定州、葫芦岛、石嘴山、运城、天津、望川六个城市")).to_be_visible()
        questions = [
            ("望川市到2025年城镇清洁取暖率要达到多少？", "城镇清洁取暖率达到85%以上"),
            ("我住在柳营区农村，冬天还能烧散煤吗？", "逐步减少农村散煤使用"),
            ("望川和天津的新能源汽车新车销售量占比目标哪个更高？", "望川的目标数值最高（30%）"),
        ]
        for n, (question, expected) in enumerate(questions):
            ask(resident, question, expected, n)
        answers = resident.get_by_test_id("stChatMessage")
        expect(answers.nth(1)).to_contain_text("望川 ·《望川市“十四五”节能减排综合工作方案》三、（二）1.")
        expect(answers.nth(3)).to_contain_text("三、（四）1.")
        expect(answers.nth(5)).to_contain_text("25%左右")  # 天津's figure beside 望川's
        assert fits_width(resident)
        shoot_phone(resident, "new_city_ask")

        goto(resident, app_b.url + "/targets?city=望川")
        expect(resident.get_by_text("《望川市“十四五”节能减排综合工作方案》中的量化目标，共 3 项")).to_be_visible()
        text = main_text(resident)  # the confirmed rows only: pending ones are never shown
        for theme in ("污染物减排", "清洁取暖", "交通与新能源汽车"):
            assert f"\n{theme}\n" in text
        assert "未提及）：光伏与可再生能源、能耗强度与总量" in text
        assert fits_width(resident)
        shoot_phone(resident, "new_city_targets")
    finally:
        phone.close()
        desktop.close()
