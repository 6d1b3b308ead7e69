"""Every canned Chinese message a resident sees from the self-checks, in one place."""

from __future__ import annotations

DISCLAIMER = "估算，仅供参考。"

UNKNOWN_CITY = "暂不支持“{city}”。自查目前支持{supported}，请从列表中选择；其余问题的结果照常给出，但不含本市政策对照。"
# A city whose notice is in the Q&A but whose self-check subjects nobody has gathered yet.
NOT_SET_UP = "{cities}的通知已经收录，可以在“问问政策”里提问；本自查还没有整理该市通知的相关要求，暂不能选择。"
NO_CITY = "未选择城市，结果中不含本市通知的对照。选择城市后可看到本市通知的原文要求。"
SKIPPED = "以下问题未回答，已按“不清楚”处理（使用常见情况估计）：{questions}。"
DEFAULTED = "以下问题选择了“不清楚”，已按常见情况估计：{questions}。"
CONFIRM_INTRO = "请确认以下回答（结果已照常给出，如有误可修改后重新查看）："
UNKNOWN_DISTRICT = "“{district}”不在{city}的区县列表中，已忽略该项，其余回答不受影响。"

NUMBER_NOT_A_NUMBER = "“{question}”请填写数字（例如 1500），您填写的是“{value}”。该项已暂不计入，其余回答不受影响。"
NUMBER_NEGATIVE = "“{question}”不能为负数（您填写的是 {value}）。该项已暂不计入，请修改后重新查看。"
NUMBER_TOO_LARGE = "“{question}”填写的 {value}{unit} 明显超出一户家庭的常见范围（上限约 {limit}{unit}），请检查是否多写了几个零。该项已暂不计入。"
NUMBER_ZERO = "“{question}”填写了 0，已按“不清楚”处理。"

NOTICE_SILENT = "《{title}》没有就以下方面作出具体规定：{subjects}。我们不借用其他城市的说法。"
NO_TARGET = "《{title}》没有给出适用于您家所在区域的清洁取暖比例数值目标。"
NO_FOOD_TARGET = "《{title}》没有给出与家庭餐桌浪费直接相关的数值目标。"

COAL_HEADLINE = "您家以散煤为主要取暖方式。散煤直接燃烧污染重，是清洁取暖改造的主要对象。"
COAL_TARGET = "{city}通知的目标：{label}达到 {value}%（{clause}）。"
COAL_NO_TARGET = "{city}通知没有给出适用于您家所在区域的清洁取暖比例数值。"
COAL_SEE_QUOTES = "下方标有“与您家相关”的条款是本市通知的原话；是否允许继续使用，请以所在街道、乡镇的具体规定为准。"
NO_ESTIMATE_AMOUNT = "未填写用量或花费，无法估算排放和费用。完整模式中填写一个采暖季的用量或花费即可估算。"
NO_ESTIMATE_FUEL = "您家的主要取暖方式（{fuel}）暂无可靠的排放估算方法，未作估算。"
NO_FOOD_COST = "未填写每月伙食开支，未估算浪费掉的钱；完整模式中可填写。"
BASIS_AMOUNT = "按您填写的一个采暖季用量 {amount} {unit}（{fuel}）估算。"
BASIS_COST = "按您填写的花费 {cost} 元和粗略价格区间折算用量，误差较大。"
BIOMASS_NOTE = "按国际惯例，生物质燃烧的二氧化碳计为生物源排放，本估算不计入；但烧柴、秸秆产生的烟尘对空气质量和健康影响较大。"

RESUME_BAD_FORMAT = "续填码格式不对。续填码由12位字母和数字组成，例如 ABCD-EFGH-JKMN，请检查后重新输入。"
RESUME_FORGED = "续填码无效：校验未通过，可能是输错了字符。请核对后重新输入。"
RESUME_NOT_FOUND = "没有找到这个续填码对应的记录，可能已被清理或输入有误。"
RESUME_WRONG_TOPIC = "这个续填码属于“{title}”，请到对应页面恢复。"
RESUME_OK = "已恢复您保存的回答。"
SAVED = "已保存。请记下续填码，之后在本页输入即可继续："

DB_UNAVAILABLE_SAVE = "数据库暂时无法连接，您的回答没有保存，请稍后再试。"
DB_UNAVAILABLE_RESULT = "数据库暂时无法连接，您的结果照常显示，但这次回答没有保存，也没有计入汇总。"
DB_UNAVAILABLE_RESUME = "数据库暂时无法连接，暂时无法恢复回答，请稍后再试。"
DB_UNAVAILABLE_AGGREGATES = "数据库暂时无法连接，匿名汇总暂不显示。"

AGG_TOO_FEW = "样本不足 {n} 份的城市或区县不显示，以免推测出个人回答。"
AGG_EMPTY = "目前还没有达到 {n} 份回答的城市或区县。"
