"""In Chromium: PostgreSQL goes down while a resident signs, then comes back.

The served app keeps running throughout. During the outage the resident sees a
clear Chinese message and the form keeps what they typed; once the database is
back, pressing the same button signs, without restarting the app.
"""

from __future__ import annotations

import time

import pytest

from tests.browser import start_app, stop_app, wait_for_app

pytestmark = [pytest.mark.browser, pytest.mark.postgres]
UNAVAILABLE = "数据库暂时无法连接，本次提交没有保存，请稍后再试。"


@pytest.fixture(scope="module")
def pg_app(private_postgres, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("fault-pg-app")
    proc, app = start_app(data_dir, extra_env={"DATABASE_URL": private_postgres.url})
    yield app
    stop_app(proc)


def pick(page, label: str, option: str) -> None:
    page.locator('[data-testid="stSelectbox"]').filter(has_text=label).click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_for_app(page)


def test_signer_sees_a_message_and_signs_after_the_restart(private_postgres, pg_app, browser_page):
    page = browser_page
    page.goto(f"{pg_app.url}/pledge?items=clean-plate&city=定州")
    wait_for_app(page)
    pick(page, "区县", "南城区街道")
    page.get_by_role("textbox", name="显示名称（选填，留空即匿名）").fill("小红")
    page.get_by_role("textbox", name="手机号或邮箱（选填）").fill("xiaohong@example.com")
    page.get_by_text("我已阅读并同意上述个人信息说明").click()

    private_postgres.stop()
    try:
        page.get_by_role("button", name="签署承诺").click()
        wait_for_app(page)
        page.get_by_text(UNAVAILABLE).wait_for()
        seen = page.locator('[data-testid="stAlert"]').filter(has_text="数据库").all_inner_texts()
        # The form is still there with what the resident typed.
        assert page.get_by_role("textbox", name="显示名称（选填，留空即匿名）").input_value() == "小红"
        assert page.get_by_role("textbox", name="手机号或邮箱（选填）").input_value() == "xiaohong@example.com"
        assert page.get_by_role("combobox", name="区县").input_value() == "南城区街道"
        assert page.get_by_role("checkbox", name="光盘行动").is_checked()
        assert page.get_by_role("checkbox", name="我已阅读并同意上述个人信息说明").is_checked()
        assert not page.get_by_text("Traceback").count()
    finally:
        private_postgres.start()
    up_at = time.monotonic()

    page.get_by_role("button", name="签署承诺").click()
    wait_for_app(page)
    page.get_by_test_id("stAlert").get_by_text("感谢您的承诺！本活动已有 1 人签署。").wait_for()
    print(f"\nduring the outage the signer saw: {seen}; signed {time.monotonic() - up_at:.2f} s after "
          "PostgreSQL was up (one click, including the page's rerun)")
