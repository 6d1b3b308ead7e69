"""The Q&A desk end to end: a resident's unanswered question reaches staff, who teach the bot, then undo it.

A resident asks what the bot cannot answer and marks it 没用 with a reason; another resident asks the
same in other words. Staff log in, find both as one line of the queue, search the notices, pick the
clause and sentence, test another wording before saving, save the link. A resident asking in yet other
words now gets the quote; staff undo the link and the answer goes back. Desktop and phone use different
questions and cities, as both runs share the served app's database.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import fits_width, goto, pick, settle

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
DECLINED = "没有找到能回答这个问题的内容"
JOURNEYS = {
    "desktop": dict(
        user="desk-xuanchuan", city="定州",
        first="定州买面粉，是不是磨得越白越细越好？",
        second="定州买面粉，是不是磨得越白越细的越好，政府怎么说？",
        other_words="定州吃的面粉是不是磨得越白越细越好？",
        search="精米白面", clause="三、（七）1.（3）", quote="引导消费者逐步走出过度追求“精米白面”的饮食误区",
    ),
    "phone": dict(
        user="desk-shizuishan", city="石嘴山",
        first="石嘴山大风天到处是黑灰，管不管？",
        second="石嘴山大风天到处是黑灰，有人管没？",
        other_words="石嘴山风一刮全是黑灰，有人管吗",
        search="四尘", clause="三、（七）", quote="实施煤尘、烟尘、汽尘、扬尘“四尘”同治",
    ),
}
STAFF_USERS = [j["user"] for j in JOURNEYS.values()]  # both journeys share one app


def ask(page, question: str):
    """Type a question on the Ask page; the answer's chat message once it is drawn with its vote."""
    box = page.get_by_test_id("stChatInputTextArea")
    box.wait_for(timeout=180_000)  # the first visit loads the embedding model
    box.fill(question)
    box.press("Enter")
    answer = page.get_by_test_id("stChatMessage").filter(has=page.get_by_text("这个回答对您有用吗？")).last
    expect(page.get_by_test_id("stChatMessage").last).to_contain_text("这个回答对您有用吗？", timeout=60_000)
    settle(page)
    return answer


def staff_log_in(staff, user: str) -> None:
    staff.get_by_role("textbox", name="用户名").fill(user)
    staff.get_by_label("密码", exact=True).fill(PASSWORD)
    staff.get_by_role("button", name="登录").click()
    settle(staff)
    expect(staff.get_by_text(f"已登录：{user}")).to_be_attached()


def test_staff_teach_the_bot_from_a_residents_question_and_undo_it(indexed_app, new_page, shoot, view):
    j = JOURNEYS[view]
    admin = subprocess.Popen(
        [sys.executable, "-m", "pledges.admin", "create-user", j["user"], "--password-stdin"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=indexed_app.env,
    )
    admin.stdin.write(PASSWORD + "\n")
    admin.stdin.close()

    # A resident asks what the notices do not answer in these words, and says why the answer is no use.
    resident = new_page()
    goto(resident, indexed_app.url + "/ask")
    expect(resident.get_by_text("您的提问会匿名记录")).to_be_visible()
    answer = ask(resident, j["first"])
    expect(answer).to_contain_text(DECLINED)
    answer.get_by_role("radio", name="没用").click()
    settle(resident)
    answer.locator("[data-testid=stButtonGroup] button", has_text="答非所问").click()
    answer.get_by_role("textbox", name="补充说明（选填）").fill("我想知道该建什么样的，不是没有")
    answer.get_by_role("button", name="提交").click()
    settle(resident)
    expect(answer.get_by_text("谢谢您的反馈！")).to_be_visible()
    expect(answer.get_by_role("button", name="提交")).to_have_count(0)
    assert fits_width(resident)
    shoot(resident, "desk_resident_vote")
    # Another resident asks the same thing another way.
    expect(ask(new_page_at(new_page, indexed_app.url), j["second"])).to_contain_text(DECLINED)

    # Staff find both in the queue, as one line.
    assert admin.wait(timeout=60) == 0, admin.stdout.read()
    admin.stdout.close()
    staff = new_page()
    goto(staff, indexed_app.url + "/staff-desk")
    staff_log_in(staff, j["user"])
    pick(staff, "城市", j["city"])
    # The innermost block holding one group's line (its ancestors hold it too).
    line = staff.get_by_test_id("stVerticalBlock").filter(has_text="去教一教").filter(has_text=j["second"]).last
    expect(line).to_contain_text(f"共 2 次 · {j['city']} 2 · 没有找到答案 2 · 没用 1（答非所问 1）")
    line.get_by_text("查看这 2 条提问").click()
    expect(line.get_by_test_id("stDataFrame")).to_be_visible()
    shoot(staff, "desk_queue", allow=STAFF_USERS)
    assert fits_width(staff)

    # Teach: the group's question (the newest of the most asked wordings) comes along; search the
    # notices, pick clause and sentence, test another wording, save.
    line.get_by_role("link", name="去教一教").click()
    settle(staff)
    expect(staff.get_by_role("textbox", name="居民的问题")).to_have_value(j["second"])
    expect(staff.get_by_text("没有找到答案").first).to_be_visible()
    search = staff.get_by_role("textbox", name="查找用词（可以改成通知里的说法）")
    search.fill(j["search"])
    search.press("Enter")
    settle(staff)
    expect(staff.get_by_test_id("stDataFrame").first).to_be_visible()
    choose(staff, "答案所在的条款", f"{j['city']} · {j['clause']} ")
    staff.get_by_test_id("stRadio").get_by_text(j["quote"]).click()
    settle(staff)
    trial = staff.get_by_role("textbox", name="试问（换一种问法，看关联能不能用上）")
    trial.fill(j["other_words"])
    trial.press("Enter")
    settle(staff)
    after = staff.get_by_test_id("stColumn").filter(has_text="保存后").last
    expect(after).to_contain_text("来自工作人员的关联")
    expect(after).to_contain_text(j["quote"])
    shoot(staff, "desk_teach", allow=STAFF_USERS)
    staff.get_by_role("button", name="保存关联").click()
    settle(staff)
    expect(staff.get_by_text("关联已保存")).to_be_visible()

    # The resident asks again in other words and gets the quote, with its clause.
    answer = ask(resident, j["other_words"])
    expect(answer).to_contain_text(j["quote"])
    expect(answer.get_by_test_id("stExpander")).to_contain_text(j["clause"])
    shoot(resident, "desk_resident_taught")

    # Staff see the link used once (the use is written off the answer's path: the page is opened
    # again until it has landed), and undo it; the answer goes back.
    for attempt in range(10):
        staff.get_by_test_id("stMain").get_by_role("link", name="教问答").click()
        settle(staff)
        staff.get_by_role("tab", name="已教内容").click()
        taught = staff.get_by_test_id("stVerticalBlock").filter(has_text=j["quote"]).filter(
            has=staff.get_by_role("button", name="撤销这条关联")).last
        expect(taught).to_contain_text(f"{j['user']} 于")
        if "此后用于回答 1 次" in taught.inner_text() or attempt == 9:
            break
        staff.wait_for_timeout(1_000)
    expect(taught).to_contain_text("此后用于回答 1 次")
    shoot(staff, "desk_taught", allow=STAFF_USERS)
    taught.get_by_role("button", name="撤销这条关联").click()
    settle(staff)
    expect(staff.get_by_text("关联已撤销")).to_be_visible()
    answer = ask(resident, j["other_words"])
    expect(answer).to_contain_text(DECLINED)
    expect(answer).not_to_contain_text(j["quote"])

    # The overview counts it all; its CSV is the masked log.
    staff.get_by_test_id("stMain").get_by_role("link", name="问答概览").click()
    settle(staff)
    pick(staff, "城市", j["city"])
    expect(staff.get_by_text("每日提问")).to_be_visible()
    assert fits_width(staff)
    shoot(staff, "desk_overview", allow=STAFF_USERS)
    with staff.expect_download() as download:
        staff.get_by_role("button", name="导出提问记录 CSV（个人信息已遮盖）").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text("utf-8-sig"))))
    # Other journeys share this app, so its rows are among others of the city.
    assert rows[0][:2] == ["时间", "会话编号"]
    asked = [r[4] for r in rows[1:]]
    assert {j["first"], j["second"]} <= set(asked) and asked.count(j["other_words"]) == 2
    assert any(r[4] == j["first"] and r[11:14] == ["没用", "答非所问", "我想知道该建什么样的，不是没有"]
               for r in rows[1:])


def choose(page, label: str, starting: str) -> None:
    """Pick the option of a selectbox that starts with ``starting`` (typing filters the list)."""
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label).get_by_role("combobox")
    option = page.get_by_role("option", name=re.compile("^" + re.escape(starting)))
    for _ in range(3):
        box.click()
        box.press_sequentially(starting.split(" · ")[1].strip())
        try:
            option.first.wait_for(timeout=5_000)
            break
        except Exception:  # noqa: BLE001 - a rerun redrew the widget under us
            page.keyboard.press("Escape")
            settle(page)
    option.first.click()
    settle(page)


def new_page_at(new_page, url: str):
    page = new_page()
    page.goto(url + "/ask")  # ask() waits for the chat input
    return page
