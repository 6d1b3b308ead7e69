"""Every message a resident or staff member sees from the pledges package.

Errors are raised as :class:`PledgeError` carrying a code; pages show ``.message``.
An unreachable database (raised by ``civic.db``) becomes ``PledgeError('db_unavailable')``
(``'commit_unknown'`` when only the COMMIT failed, so the outcome is not known)
wherever pledges open a transaction (:func:`unavailable_as_pledge_error`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from civic.db import CommitOutcomeUnknown, DatabaseUnavailable

MESSAGES: dict[str, str] = {
    "empty_form": "表单还是空的：请选择城市和区县，并至少勾选一项承诺后再提交。",
    "no_city": "请选择您所在的城市。",
    "unknown_city": "暂不支持这个城市，请从列表中选择定州、葫芦岛、石嘴山、运城或天津。",
    "no_district": "请选择您所在的区县。",
    "unknown_district": "所选区县不属于该城市，请从列表中重新选择。",
    "no_items": "请至少勾选一项承诺。",
    "unknown_item": "承诺条目无效，请刷新页面后重新勾选。",
    "item_not_in_campaign": "所选承诺不属于本次活动，请重新勾选。",
    "city_not_in_campaign": "本次活动只面向{city}的居民。",
    "no_consent": "请阅读个人信息说明，并勾选同意后再提交。",
    "name_too_long": "显示名称最多 {max} 个字。",
    "name_blocked": "显示名称含有不适合公开展示的词语，请修改，或留空以匿名签署。",
    "markup": "输入内容不能包含 < > 等网页代码字符。",
    "formula": "输入内容不能以 = + - @ 等符号开头。",
    "control_chars": "输入内容含有无法识别的字符，请重新输入。",
    "contact_invalid": "联系方式格式不正确：请填写 11 位手机号或电子邮箱，或者留空。",
    "contact_too_long": "联系方式太长，请检查后重新填写。",
    "no_identity": "无法识别本次签署，请刷新页面后重试。",
    "campaign_not_found": "没有找到这个承诺活动，请检查链接是否正确。",
    "campaign_not_started": "本活动将于 {start} 开始，届时即可签署。",
    "campaign_ended": "本活动已于 {end} 结束，感谢关注。签署已关闭，页面仍可浏览。",
    "rate_limited": "操作太频繁了，请稍后再试。",
    "token_invalid": "这个私人链接无效或已失效（可能已撤回承诺）。请检查链接是否完整。",
    "checkin_no_items": "请至少选择一项今天做到的承诺。",
    "db_unavailable": "数据库暂时无法连接，本次提交没有保存，请稍后再试。",
    "commit_unknown": "数据库连接中断，暂时无法确认本次提交是否已保存。请稍后再点一次同一个按钮：已保存的不会重复计算。",
    "reminder_needs_email": "邮件提醒需要填写电子邮箱（短信和微信提醒暂未开通）。不需要提醒时请取消勾选。",
    "reminder_link_invalid": "这个提醒链接无效或已失效（可能已退订，或活动已结束）。",
    "unexpected": "系统出了点问题，本次提交没有保存，请稍后再试。",
    # Staff
    "login_failed": "用户名或密码错误。",
    "login_locked": "登录失败次数过多，账户已临时锁定，请 {minutes} 分钟后再试。",
    "session_expired": "登录已过期，请重新登录。",
    "username_invalid": "用户名只能包含字母、数字、下划线和短横线，长度 3–32 位。",
    "username_taken": "该用户名已存在。",
    "password_too_short": "密码至少需要 {min} 位。",
    "slug_invalid": "活动网址标识只能使用小写字母、数字和短横线，长度 3–{max} 位。",
    "slug_taken": "该网址标识已被其他活动使用。",
    "title_empty": "请填写活动标题。",
    "title_too_long": "活动标题最多 {max} 个字。",
    "intro_too_long": "活动介绍最多 {max} 个字。",
    "goal_invalid": "目标人数必须是 1 到 {max} 之间的整数。",
    "dates_invalid": "结束日期不能早于开始日期。",
    "colour_invalid": "封面颜色格式不正确，请使用如 #2e7d32 的颜色值。",
    "items_locked": "本活动已有签名，承诺条目及其措辞已锁定，不能再修改。",
    "signature_not_found": "没有找到这个签名编号。",
}


class PledgeError(Exception):
    """A problem the user can fix or understand; ``message`` is Simplified Chinese."""

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params
        self.message = MESSAGES[code].format(**params)
        super().__init__(f"{code}: {self.message}")


@contextmanager
def unavailable_as_pledge_error() -> Iterator[None]:
    """Report an unreachable database (``civic.db.DatabaseUnavailable``) as ``PledgeError('db_unavailable')``."""
    try:
        yield
    except CommitOutcomeUnknown as exc:  # the commit may have landed: "没有保存" could be false
        raise PledgeError("commit_unknown") from exc
    except DatabaseUnavailable as exc:
        raise PledgeError("db_unavailable") from exc
