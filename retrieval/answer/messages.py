"""Every canned message a resident can see from the Q&A, in Simplified Chinese."""

EMPTY = "请输入您想了解的问题，例如：“我住在石嘴山农村，冬天烧煤取暖，政策对我有什么要求？”"
TOO_LONG = "问题太长了（超过 {limit} 个字）。请用一两句话描述您想了解的内容。"
NO_CHINESE = "请用中文提问，例如：“天津到2025年单位GDP能耗要比2020年降多少？”"
NO_CONTENT = "没有看懂这个问题。请用文字说明您想了解节能减排通知的哪方面内容。"
INJECTION = "我只能根据五个城市的节能减排通知原文回答问题，不能改变这一规则。请直接提出您关于通知内容的问题。"
GREETING = "您好！我可以根据定州、葫芦岛、石嘴山、运城、天津五个城市的节能减排通知回答问题，并给出原文出处。请问您想了解什么？"
THANKS = "不客气！如有其他关于节能减排通知的问题，欢迎继续提问。"
OTHER_PLACE = (
    "目前收录的只有定州、葫芦岛、石嘴山、运城、天津五个城市的节能减排通知，"
    "没有{places}的通知，无法回答。"
)
NO_EVIDENCE = "收录的通知中没有找到能回答这个问题的内容。"
NO_EVIDENCE_SCOPE = "《{title}》中没有找到能回答这个问题的内容。"
NO_EVIDENCE_HINT = "与此相关的条款列出的责任单位是：{departments}，可向其咨询。"
NATIONAL = (
    "收录的是定州、葫芦岛、石嘴山、运城、天津五个城市的通知，里面没有写国家或省里定的具体要求和数字。"
    "国家和省级的方案请查阅国务院或省政府发布的原文。"
)

# The notices discuss the subject but do not give what was asked: say so, quote the context.
NOT_SPECIFIED = "《{title}》提到了相关内容，但没有写明{what}。下面是相关原文，供参考："
NOT_SPECIFIED_MANY = "收录的通知提到了相关内容，但没有写明{what}。下面是相关原文，供参考："
CITY_NOT_SPECIFIED = "{city}：通知提到了相关内容，但没有写明{what}（未提及）。"
NOT_SPECIFIED_WHAT = {
    "NOT_SPECIFIED_MONEY": "具体的金额、价格或补贴标准",
    "NOT_SPECIFIED_PHONE": "电话、热线等联系方式",
    "NOT_SPECIFIED_PLACE": "网站、地址或办理地点",
    "NOT_SPECIFIED_TEMPERATURE": "具体的温度数值",
    "NOT_SPECIFIED_DOC_NUMBER": "发文字号",
    "NOT_SPECIFIED_DATE": "印发日期",
    "NOT_SPECIFIED_PROCEDURE": "办理手续、条件或流程",
    "NOT_SPECIFIED_DETAIL": "您问的具体内容",
    "NOT_SPECIFIED_WHO": "由哪个部门负责",
    "NOT_SPECIFIED_LIST": "具体是哪些",
    "NOT_SPECIFIED_WHEN": "具体的时间",
    "NOT_SPECIFIED_FIGURE": "具体的数字",
    "NOT_SPECIFIED_COUNT": "具体分几类、有几种",
}
# Said when the notices have nothing on the subject and the question asked for something they never give.
NEVER_GIVEN = {
    "NOT_SPECIFIED_MONEY": "通知中没有写具体的金额、价格或补贴标准。",
    "NOT_SPECIFIED_PHONE": "通知中没有提供电话、热线等联系方式。",
    "NOT_SPECIFIED_PLACE": "通知中没有写网站、地址或办理地点。",
    "NOT_SPECIFIED_PROCEDURE": "通知中没有写办理手续或流程。",
    "NOT_SPECIFIED_TEMPERATURE": "通知中没有规定具体的温度数值。",
}
UNDERSTOOD_AS = "按“{question}”理解"
ERROR = "系统暂时出了点问题，请稍后再试。"
LLM_UNAVAILABLE = "智能助手暂时无法使用，以上直接摘录通知原文作答。"

ANSWER_LEAD = "根据《{title}》（{city}）："
ANSWER_LEAD_MANY = "各城市通知中的相关规定："
CITY_SILENT = "{city}：通知中没有找到相关内容。"
DEPARTMENTS = "[{n}] 所在条款注明的责任单位：{departments}"
DEPARTMENTS_QUOTE = "负责部门：「{quote}」[{n}]"
DISCLAIMER = "以上为通知原文摘录，具体执行请以当地政府部门解释为准。"

TARGETS_LEAD = "各城市通知中的数字目标（摘自原文，出处见引用）："
TARGETS_LEAD_ONE = "《{title}》（{city}）中的数字目标："
TARGETS_LINE = "{city}：{indicator} {value}{year}「{quote}」[{n}]"
TARGETS_YEAR = "（{year}年）"
TARGETS_SILENT = "{city}：通知中没有这一项的数字目标（未提及）。"
TARGETS_HIGHEST = "按原文数字比较，{cities}的目标数值最高（{value}）。"
TARGETS_LOWEST = "按原文数字比较，{cities}的目标数值最低（{value}）。"
TARGETS_SAME = "按原文数字比较，{cities}的目标相同，都是{value}。"
TARGETS_DIFFERENT = "按原文数字比较，各城市目标不同：{pairs}。"
TARGETS_NOTE = "比较只看数字，未计“以上”“左右”“力争”等限定；更多对比见“目标对比”页面。"
