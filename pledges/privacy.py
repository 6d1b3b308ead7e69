"""The personal-information notice of the signing page, with the periods the code applies.

Every number comes from the settings or tunables that :mod:`pledges.retention` and
:mod:`pledges.reminders` use, so the notice cannot drift from what happens.
"""

from __future__ import annotations

from civic.settings import get_settings
from pledges.tunables import tunables


def signing_notice(*, email_reminders: bool) -> str:
    """Markdown for the signing form (no user text in it)."""
    settings = get_settings()
    pending = tunables()["reminders"]["pending_days"]
    contact_use = "填写联系方式只用于防止重复签署" + ("；勾选邮件提醒时，邮箱也用于发送打卡提醒。" if email_reminders else "。")
    lines = [
        "**个人信息说明**（请阅读后勾选同意）",
        "- **收集什么**：城市、区县、您勾选的承诺和签署时间；显示名称和联系方式都是选填的。",
        f"- **为什么**：统计承诺人数、在活动页面展示进展；{contact_use}",
        "- **怎么保存**：联系方式只保存经过加密单向处理的值，无法还原；公开页面上的名称会部分隐藏。",
    ]
    if email_reminders:
        lines.append(
            "- **邮件提醒**：只有勾选邮件提醒时才保存邮箱原文，而且要点击确认邮件中的链接后才会发送提醒；"
            f"{pending} 天内未确认的邮箱自动删除。每封邮件都有一键退订链接，退订即删除邮箱；活动结束时邮箱也会删除。"
        )
    else:
        lines.append("- **打卡提醒**：签署后可把提醒加到手机日历，不需要留下任何联系方式。")
    lines += [
        f"- **保存多久**：活动结束 {settings.pledge_retention_days} 天后自动匿名化"
        f"（没有结束日期的活动为签署 {settings.pledge_open_ended_days} 天后）："
        "删除联系方式的加密值、显示名称、浏览器标识和提醒邮箱，私人链接随之失效；"
        "只保留区县、所选承诺、打卡日期和签署日期，用于统计人数。",
        "- **怎么删除**：用签署后获得的私人链接随时撤回，您的全部个人信息会被立即删除；"
        "也可凭证书上的编号请活动工作人员删除。",
    ]
    return "\n".join(lines)
