"""Word lists and sentence templates of the demo: people's names, village names, and the
wording of petitions, clues, conclusions and 通报曝光 cases.

Everything here is synthetic. Names are drawn from common surnames (with the surnames
of Yunnan's Yi, Hui and Miao communities that are frequent in 昆明's rural counties)
and ordinary given-name characters; any likeness to a real person is chance.
"""

from __future__ import annotations

import random

# Surname and relative frequency.
_SURNAME_TABLE = """
李80 王70 张70 杨60 刘50 陈45 赵30 黄25 周22 吴20 徐18 孙16 马22 朱15 胡15 郭12 何16
高12 林8 罗14 郑8 梁8 谢8 宋8 唐8 许6 韩6 冯6 邓8 曹6 彭6 曾5 肖6 田6 董6 袁6 潘5 蒋5 蔡5 余5
杜5 叶4 程4 苏5 魏4 吕4 丁4 任4 沈3 姚4 卢4 姜3 崔3 钟3 谭3 陆3 汪3 范4 金3 石4 廖3 贾3 夏3
付4 方3 邹3 熊4 白4 孟3 秦3 邱3 侯3 江3 尹4 段5 雷3 龙4 史2 陶3 黎2 贺2 毛2 施3 普4 者2 字2
纳2 保2 沙2 番1 起1 项2 岳2 严2 浦2 聂2 晏1
"""
SURNAMES: tuple[tuple[str, int], ...] = tuple(
    (item[0], int(item[1:])) for item in _SURNAME_TABLE.split()
)

MALE_CHARS = (
    "伟刚勇军强磊洋涛斌波辉鹏华飞鑫超明俊杰亮峰龙建国平志华云坤林昆文武凯宏"
    "春海江东祥福荣德宇翔彬锐旭晨浩天成"
)
FEMALE_CHARS = "芳娟敏静丽艳秀英华玲萍红燕霞琼梅兰琳雪婷倩莉颖慧洁莹丹蓉娜艺琴芬萍月菊晓春云彩佳"
NEUTRAL_CHARS = "春明云华晓永文丽海玉建志金正光家绍德兴"


def person_name(rng: random.Random, gender: str) -> str:
    """A synthetic Chinese name: surname plus one or two given-name characters."""
    surname = weighted(rng, SURNAMES)
    chars = MALE_CHARS if gender == "男" else FEMALE_CHARS
    if rng.random() < 0.3:
        return surname + rng.choice(chars)
    first = rng.choice(NEUTRAL_CHARS) if rng.random() < 0.4 else rng.choice(chars)
    second = rng.choice(chars)
    if second == first:
        second = rng.choice(chars)
    return surname + first + second


def weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...] | list) -> str:
    values = [p[0] for p in pairs]
    weights = [p[1] for p in pairs]
    return rng.choices(values, weights=weights, k=1)[0]


def veiled(name: str) -> str:
    """How petitions refer to the person reported: surname plus 某某."""
    return name[0] + "某某"


VILLAGE_FIRST = "大小新老上下中东西南北马石龙松黑白红水干岔沙草麦羊花桃杨何者以箐阿白坝"
VILLAGE_SECOND = "营庄河坝坡箐塘沟哨冲山田地凹树甸厂铺湾岩海林邑村德乐"


def village_names(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    """``count`` distinct village committee names not already in ``taken``."""
    names: list[str] = []
    while len(names) < count:
        first = rng.choice(VILLAGE_FIRST)
        second = rng.choice(VILLAGE_SECOND)
        if first == second:
            continue
        name = f"{first}{second}村委会"
        if name in taken:
            continue
        taken.add(name)
        names.append(name)
    return names


# --- what petitions and clues are about ----------------------------------------------
#
# Per domain: (short problem used in titles, sentence used in the content). ``{who}`` is
# the person or unit reported, ``{amount}`` a sum in yuan, ``{n}`` a small count.

PROBLEMS: dict[str, tuple[tuple[str, str], ...]] = {
    "poverty": (
        (
            "优亲厚友违规纳入建档立卡贫困户",
            "反映{who}在贫困户识别中优亲厚友，将不符合条件的亲属{n}户纳入建档立卡贫困户。",
        ),
        (
            "截留挪用扶贫资金",
            "反映{who}截留挪用产业扶贫到户资金约{amount}元，群众至今未领到。",
        ),
        (
            "虚报冒领易地扶贫搬迁补助",
            "反映{who}在易地扶贫搬迁中虚报搬迁人口，冒领补助资金约{amount}元。",
        ),
        (
            "在农村危房改造补助发放中吃拿卡要",
            "反映{who}在农村危房改造补助发放中向群众索要好处费，涉及{n}户。",
        ),
        (
            "违规享受低保和扶贫政策",
            "反映{who}家庭有车有房仍违规享受低保和扶贫政策，每年领取约{amount}元。",
        ),
        (
            "扶贫项目资金使用不规范",
            "反映{who}负责的扶贫产业项目资金使用不规范，项目建成后闲置，涉及资金约{amount}元。",
        ),
        (
            "脱贫攻坚工作弄虚作假",
            "反映{who}在脱贫攻坚工作中填报数据弄虚作假，搞“数字脱贫”，入户核查走过场。",
        ),
        (
            "履行脱贫攻坚主体责任不力",
            "反映{who}对辖区内扶贫领域问题长期整改不到位，履行脱贫攻坚主体责任不力。",
        ),
        (
            "扶贫领域监督责任落实不到位",
            "反映{who}对扶贫资金发放监督检查流于形式，问题多次反映未予查处。",
        ),
        (
            "生态护林员选聘不公",
            "反映{who}在建档立卡贫困户生态护林员选聘中暗箱操作，安排亲友{n}人。",
        ),
    ),
    "four_winds": (
        ("违规收受礼品礼金", "反映{who}利用节日之机收受管理服务对象礼品礼金约{amount}元。"),
        (
            "违规公款吃喝",
            "反映{who}多次在单位食堂以外违规安排公务接待并饮酒，费用以会议费名义报销。",
        ),
        ("违规发放津贴补贴", "反映{who}所在单位以加班费名义违规发放津贴补贴，人均约{amount}元。"),
        ("公车私用", "反映{who}周末驾驶公务用车接送家人，多次被群众看到。"),
        (
            "违规操办婚丧喜庆事宜",
            "反映{who}为子女操办婚宴{n}十余桌，邀请管理服务对象参加并收受礼金。",
        ),
        (
            "形式主义官僚主义问题",
            "反映{who}要求基层重复填报表格、层层留痕，督查检查过多过频，增加基层负担。",
        ),
        ("慢作为不作为", "反映{who}对群众办事诉求推诿扯皮，同一事项往返{n}次仍未办理。"),
    ),
    "epidemic": (
        ("疫情防控工作履职不力", "反映{who}在疫情防控期间卡口值守脱岗漏岗，人员登记流于形式。"),
        ("防疫物资发放不规范", "反映{who}将上级下拨的口罩、消毒液等防疫物资优先发放给亲友。"),
        ("复工复产审批中吃拿卡要", "反映{who}在企业复工复产审批中故意刁难，暗示企业“表示”。"),
        ("疫情期间违规组织聚餐", "反映{who}在疫情防控期间违规组织{n}十余人聚餐。"),
    ),
    "livelihood": (
        (
            "征地拆迁补偿款发放不公",
            "反映{who}在征地拆迁补偿中厚此薄彼，补偿款约{amount}元未足额发放。",
        ),
        ("教育领域违规收费", "反映{who}所在学校以资料费等名义向学生违规收费，每生约{amount}元。"),
        ("医保基金使用不规范", "反映{who}所在医疗机构虚记诊疗项目套取医保基金约{amount}元。"),
        ("公租房分配不公", "反映{who}在公租房分配中违规为不符合条件的亲友办理入住。"),
        ("养老保险代办中收取好处费", "反映{who}为群众代办养老保险时收取好处费，涉及{n}人。"),
    ),
    "bidding": (
        ("工程项目围标串标", "反映{who}负责的工程项目存在围标串标，中标单位与其亲属有利益关联。"),
        ("化整为零规避招标", "反映{who}将约{amount}元的采购项目拆分为{n}个小项目规避公开招标。"),
        ("违规指定中标单位", "反映{who}在项目招标中违规指定中标单位，评标过程走过场。"),
    ),
    "rural_assets": (
        ("村集体资金管理混乱", "反映{who}对村集体资金账目不公开，约{amount}元去向不明。"),
        ("违规出租村集体土地", "反映{who}未经村民代表大会讨论，低价将村集体土地出租给亲属。"),
        ("侵占村集体资产", "反映{who}将村集体所有的{n}间铺面长期无偿占用。"),
    ),
    "mining": (
        ("违规干预矿产资源审批", "反映{who}违规干预采矿许可审批，为亲属开办的砂石场提供便利。"),
        ("充当非法采矿“保护伞”", "反映{who}对辖区非法采砂采石问题长期不予查处，疑有利益输送。"),
    ),
    "appointments": (
        ("违规提拔使用干部", "反映{who}在干部选拔任用中违反程序，突击提拔{n}名干部。"),
        ("违规发展党员", "反映{who}把不满18周岁的人员发展为党员，存在“突击发展”和“异地发展”问题。"),
        ("干部人事档案造假", "反映{who}篡改干部人事档案中的出生年月和工作经历。"),
    ),
    "other": (
        ("违规经商办企业", "反映{who}本人及配偶违规经商办企业，利用职务便利承揽业务。"),
        ("违反工作纪律", "反映{who}长期上班时间擅离岗位，工作日白天在茶室打牌。"),
        ("违规借贷", "反映{who}向管理服务对象借款约{amount}元长期不还。"),
    ),
}

DOMAIN_NAMES: tuple[tuple[str, str], ...] = (
    ("poverty", "扶贫"),
    ("four_winds", "四风"),
    ("epidemic", "涉疫"),
    ("livelihood", "民生"),
    ("bidding", "招投标"),
    ("rural_assets", "农村三资"),
    ("mining", "涉矿"),
    ("appointments", "选人用人"),
    ("other", "其他"),
)

CONCLUSION_TEXTS: dict[str, tuple[str, ...]] = {
    "substantiated": (
        "经核查，反映的主要问题属实，已按规定作出处理。",
        "经核查，问题属实，违规资金已全部追缴。",
    ),
    "partly": (
        "经核查，反映的问题部分属实，对相关责任人作出处理。",
        "经核查，部分问题属实，其余问题查无实据。",
    ),
    "unsubstantiated": (
        "经核查，反映的问题不属实，予以了结。",
        "经函询，被反映人如实说明情况并提供佐证材料，问题不属实。",
    ),
    "unverifiable": (
        "反映问题缺乏具体线索，经初步了解无法查实，予以了结。",
        "相关当事人已去世或下落不明，问题无法查实。",
    ),
    "other": (
        "问题已在其他线索中一并处理，本件予以了结。",
        "反映问题已由相关部门依职责处理完毕，予以了结。",
    ),
}

FILE_REASONS = (
    "反映问题笼统，无具体事实和线索，予以存档。",
    "所反映问题已在原信访件中办理答复，予以存档。",
    "反映人撤回举报，经核对无需进一步处理，予以存档。",
)
REPEAT_FILE_REASON = "重复举报，已并入原信访件办理"

# Matters for another body (转办): (to whom, why, title, content).
TRANSFERS: tuple[tuple[str, str, str, str], ...] = (
    (
        "市信访局",
        "属于一般信访事项，按职责转信访部门办理",
        "反映小区供暖设施长期损坏无人维修问题",
        "反映所住小区公共设施长期损坏，多次向物业和社区反映未解决。",
    ),
    (
        "市人力资源和社会保障局",
        "反映劳动报酬纠纷，转主管部门依法处理",
        "反映施工企业拖欠农民工工资问题",
        "反映某建筑工地施工企业拖欠{n}十余名农民工工资，要求协调解决。",
    ),
    (
        "市住房和城乡建设局",
        "反映商品房质量纠纷，转主管部门处理",
        "反映新建商品房质量问题",
        "反映所购商品房墙体开裂、渗水，开发商拒不维修。",
    ),
    (
        "市公安局",
        "反映涉嫌违法犯罪问题，转公安机关依法处理",
        "反映他人非法集资问题",
        "反映有人以高息为诱饵向村民非法集资约{amount}元，至今未归还。",
    ),
    (
        "县人民法院",
        "属于诉讼类事项，引导依法通过诉讼途径解决",
        "反映土地承包合同纠纷问题",
        "反映与村民小组的土地承包合同纠纷，要求确认承包经营权。",
    ),
)

CHANNEL_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("letter", 28),
    ("visit", 15),
    ("phone", 10),
    ("online", 35),
    ("12388", 12),
)

STREETS = ("人民路", "北京路", "环城南路", "建设路", "滇池路", "新华街", "文明街", "振兴路")
