"""Every message of the desk a resident or a staff member can see, and the error that carries one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from civic.db import DatabaseUnavailable

MESSAGES = {
    "db_unavailable": "数据库暂时无法连接，本次操作没有保存，请稍后再试。",
    "vote_unknown": "没有找到这条回答的记录（可能还在保存，或已超过保存期限），请稍后再试。",
    "reason_unknown": "请从给出的原因中选择。",
    "comment_too_long": "补充说明最多 {max} 个字。",
    "text_empty": "请填写{what}。",
    "text_too_long": "{what}最多 {max} 个字。",
    "text_no_chinese": "{what}需要包含中文。",
    "markup": "{what}不能包含 < > 等网页代码符号。",
    "formula": "{what}不能以 = + - @ 等符号开头。",
    "control_chars": "{what}不能包含换行或不可见的控制字符。",
    "everyday_length": "居民说法应为 {min}–{max} 个字。",
    "notice_words_empty": "请至少填写一个通知用词。",
    "notice_words_too_many": "通知用词最多 {max} 个。",
    "notice_word_missing": "“{word}”在通知原文里找不到，请填写通知里实际使用的词。",
    "pair_same": "居民说法和通知用词相同，不需要添加。",
    "pair_exists": "“{word}”已有对应的通知用词，如需修改请先撤销原来的。",
    "notice_unknown": "没有找到这份通知。",
    "quote_not_in_clause": "所选句子不在该条款中（通知可能已更新），请重新选择。",
    "link_exists": "这个问题已经关联到这句话了。",
    "not_found": "没有找到这条记录。",
    "already_undone": "这条已经撤销过了。",
    "import_invalid": "导入文件格式不对：{detail}",
}

THANKS = "谢谢您的反馈！"
FEEDBACK_QUESTION = "这个回答对您有用吗？"
REASONS_LABEL = "哪里不满意？（可多选）"
COMMENT_LABEL = "补充说明（选填）"
PRIVACY = ("为改进回答，您的提问会匿名记录：不记录姓名和网络地址，电话、身份证号、车牌、门牌号等会先被遮盖，"
           "保存 {days} 天后自动删除。")


class DeskError(Exception):
    """A refusal with a Chinese message; nothing was changed."""

    def __init__(self, code: str, **fields: object) -> None:
        self.code = code
        self.message = MESSAGES[code].format(**fields)
        super().__init__(self.message)


@contextmanager
def unavailable_as_desk_error() -> Iterator[None]:
    try:
        yield
    except DatabaseUnavailable as exc:
        raise DeskError("db_unavailable") from exc
