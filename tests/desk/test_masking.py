"""Personal data is masked before a question or comment is stored: a table of real-shaped examples."""

import pytest

from desk.masking import EMAIL, HOUSE, ID_CARD, NUMBER, PHONE, PLATE, mask

MASKED = [
    # (as typed, as stored)
    ("我电话13812345678，政策有啥要求", f"我电话{PHONE}，政策有啥要求"),
    ("打138 1234 5678找我", f"打{PHONE}找我"),
    ("号码是138-1234-5678。", f"号码是{PHONE}。"),
    ("+86 138 1234 5678 石嘴山补贴", f"{PHONE} 石嘴山补贴"),
    ("+8613812345678", PHONE),
    ("0086-15912345678", PHONE),
    ("手机１３８１２３４５６７８", f"手机{PHONE}"),  # full-width digits
    ("家里座机0311-87654321", f"家里座机{PHONE}"),
    ("打(022)23456789问过", f"打{PHONE}问过"),
    ("010 6512 3456", PHONE),
    ("身份证130682199001011234能办吗", f"身份证{ID_CARD}能办吗"),
    ("我的身份证号是13068219900101123X", f"我的身份证号是{ID_CARD}"),
    ("身份证 13068219900101123x", f"身份证 {ID_CARD}"),
    ("1306 8219 9001 0112 3X", ID_CARD),
    ("老身份证130682900101123", f"老身份证{ID_CARD}"),
    ("发到wang.xiaoming@163.com", f"发到{EMAIL}"),
    ("邮箱 li_si+gov@mail.hebei.gov.cn 谢谢", f"邮箱 {EMAIL} 谢谢"),
    ("我的车冀F12345能进城吗", f"我的车{PLATE}能进城吗"),
    ("津A·D12345是新能源车", f"{PLATE}是新能源车"),
    ("冀FD12345充电", f"{PLATE}充电"),
    ("宁B 8A123", PLATE),
    ("晋m12345学", PLATE),
    ("我住建设路18号", f"我住建设路{HOUSE}"),
    ("人民大街100-2号院门口有煤堆", f"人民大街{HOUSE}门口有煤堆"),
    ("王庄村3组15号", f"王庄村3组{HOUSE}"),
    ("建设路18号楼3单元501", f"建设路{HOUSE}"),
    ("3号楼2单元501暖气不热", f"{HOUSE}暖气不热"),
    ("阳光小区5栋302室", f"阳光小区{HOUSE}"),
    ("2单元501", HOUSE),
    ("卡号6222021234567890123", f"卡号{NUMBER}"),
    ("电话13812345678，住建设路18号", f"电话{PHONE}，住建设路{HOUSE}"),
]

KEPT = [
    "到2025年单位GDP能耗比2020年下降13.5%",
    "35蒸吨/小时以下燃煤锅炉",
    "冀政字〔2021〕33号文件说了什么",
    "国发〔2021〕4号",
    "三、（五）2.（1）写的是什么",
    "12345热线能问吗",
    "城市生活污水集中处理率达到98%以上",
    "2021-2025年的目标",
    "地铁1号线什么时候通",
    "新建居住建筑执行75%节能标准",
    "天津A级景区有节能要求吗",
    "石嘴山农村冬天烧煤取暖有什么要求？",
    "1460万千瓦",
    "GB 50189-2015",
    "第3条第2款",
]


@pytest.mark.parametrize(("typed", "stored"), MASKED)
def test_personal_data_is_masked(typed, stored):
    assert mask(typed) == stored


@pytest.mark.parametrize("typed", KEPT)
def test_policy_words_and_numbers_are_kept(typed):
    assert mask(typed) == typed


def test_masking_is_idempotent_and_keeps_empty():
    once = mask("13812345678 冀F12345 建设路18号")
    assert mask(once) == once
    assert mask("") == "" and mask(None) == ""
