"""Demo data: a realistic Chinese district (苏州市姑苏区) for trying the system out.

Two steps, kept apart so the data is a pure function of the arguments:

* :func:`build_plan` draws everything from one ``random.Random(seed)``. It never reads the
  database or the clock, so the same seed and sizes always give the same plan. Dates are
  offsets from the term's start date.
* :func:`seed` writes the plan idempotently, looking every row up by its natural key
  (district code, street code, community name, term number, username, deputy phone, duty
  record client token, unit name, station name, the street and week or month of an
  activity, the station, day and period of a shift, an opinion's tracking code), so running
  it again creates nothing new.

Duty records (履职登记) cover the twelve months ending today. The plan draws them without
knowing today: weeks or months back, a position in the year, texts and review outcomes. Only
:class:`_Calendar`, at write time, turns those draws into dates (Thursdays for 社区周周行, the
15th for 社情民意联系日, the January session), so the same seed on the same day always gives
the same records, and the same draws on any day.

Liaison stations (代表之家, 联络站, 联系点) come with a year of activities and a month ahead:
a weekly visit (社区周周行) per street and week, a contact day (社情民意联系日) per street and
month, a few district inspections and lectures a quarter, with invitations, leave and
attendance; the reception rota four weeks either side of today; and about 150 residents'
opinions per street and year in every state, answered by the district's handling units or
by deputies. They are drawn the same way, as weeks or months back from the current one, and
:class:`_Calendar` dates them. Rows are bulk-inserted in the state the liaison services
(``activity_close``, ``leave_request``, ``opinion_assign``, ...) would have left them in, with
the same history trail.

``python manage.py seed_demo`` is the thin command around these.
"""

# Chinese text is written with full-width commas and colons, which are not typos here.

from __future__ import annotations

import bisect
import colorsys
import dataclasses
import datetime as dt
import io
import itertools
import random
import unicodedata
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from PIL import Image

from deputies.models import Deputy, DutyPhoto, DutyRecord, DutyType, StreetMembership
from deputies.photos import photo_prepare
from deputies.services import deputy_create, deputy_leave, deputy_move_street
from liaison_stations.models import Activity, Attendance, LiaisonStation, Opinion, ReceptionShift
from liaison_stations.models.opinion import TRACKING_ALPHABET
from liaison_stations.models.station import CODE_ALPHABET

from .models import (
    Community,
    CongressSession,
    District,
    HandlingUnit,
    RoleAssignment,
    StreetCommittee,
    StreetCommitteePost,
    Term,
    User,
)
from .points import points_changed
from .services import district_admin_grant

M = TypeVar("M", bound=models.Model)

DEMO_PASSWORD = "demo12345"
DEFAULT_SEED = 2024
DEFAULT_DEPUTIES = 300
DEFAULT_STREETS = 8

DISTRICT_CODE = "320508"
DISTRICT_NAME = "姑苏区"
COMMITTEE_NAME = "苏州市姑苏区人大常委会"
TERM_NUMBER = 18
TERM_NAME = "第十八届"
TERM_START = dt.date(2021, 12, 1)

DISTRICT_ADMIN_USERNAME = "district_admin"
DISTRICT_ADMIN_FULL_NAME = "区人大代表工委 王敏"
DEPUTY_LOGINS = 10

# (number, first day) of the sessions of the 18th congress; each lasts three days.
SESSION_NUMERALS = "一二三四五"
SESSION_STARTS = (
    dt.date(2021, 12, 20),
    dt.date(2023, 1, 9),
    dt.date(2024, 1, 8),
    dt.date(2025, 1, 6),
    dt.date(2026, 1, 12),
)
SESSION_HALF_DAYS = 5

REAL_STREETS = (
    "平江街道",
    "沧浪街道",
    "双塔街道",
    "金阊街道",
    "虎丘街道",
    "吴门桥街道",
    "城南街道",
    "白洋湾街道",
)
EXTRA_STREETS = (
    "桃花坞街道",
    "观前街道",
    "石路街道",
    "葑门街道",
    "胥江街道",
    "娄门街道",
    "盘门街道",
    "山塘街道",
    "留园街道",
    "南环街道",
    "新庄街道",
    "彩香街道",
)
STREET_NAMES = REAL_STREETS + EXTRA_STREETS
MAX_STREETS = len(STREET_NAMES)

ROADS = (
    "白塔东路",
    "干将东路",
    "干将西路",
    "人民路",
    "十全街",
    "东大街",
    "留园路",
    "虎丘路",
    "南环东路",
    "三香路",
    "阊胥路",
    "桐泾北路",
    "金门路",
    "广济路",
    "平门路",
    "凤凰街",
    "道前街",
    "西中市",
    "劳动路",
    "吴门桥路",
)

COMMUNITY_NAMES = (
    "钮家巷",
    "大儒",
    "南门",
    "干将",
    "桃坞",
    "山塘",
    "留园",
    "西园",
    "彩香",
    "三元",
    "新郭",
    "盘溪",
    "葑门",
    "胥江",
    "觅渡",
    "友新",
    "双塔",
    "定慧",
    "官太尉",
    "醋库巷",
    "石炮头",
    "十全街",
    "糖坊湾",
    "金门",
    "石路",
    "阊门",
    "白莲",
    "梅巷",
    "虎阜",
    "新庄",
    "竹辉",
    "吉庆",
    "杨枝",
    "名门",
    "新康",
    "府前",
    "北寺",
    "旧学前",
    "东北街",
    "菉葭巷",
    "迎春",
    "侍其巷",
    "苏锦",
    "桂花",
    "娄门",
    "相门",
    "城北",
    "虹桥",
    "梅亭",
    "长船湾",
    "南园",
    "杨家桥",
    "敬文",
    "万年桥",
    "泰让桥",
    "盘门",
    "南浩",
    "沧浪新城",
    "丹桂",
    "解放",
    "西街",
    "南新",
    "茶花",
    "金筑",
    "朱家庄",
    "养蚕里",
    "富强",
    "运河",
    "通安",
    "五福",
    "三香",
    "枫桥",
    "观前",
    "临顿",
    "濂溪坊",
    "学士",
    "混堂巷",
    "庙堂巷",
    "王洗马",
    "西美巷",
)
# Place-name syllables for more community names once the list above runs out.
PLACE_FIRST = "枫梅桂竹兰荷桃柳杏松樟槐莲菱榆桑"
PLACE_SECOND = ("园", "苑", "巷", "里", "坊", "桥", "湾", "泾", "塘", "浜", "新村")

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷"
    "侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
# Common surnames first: weight them so 王/李/张 show up more than 覃/向/汤.
SURNAME_WEIGHTS = tuple(1 / (rank + 12) for rank in range(len(SURNAMES)))
GIVEN_MALE = (
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林东"
    "晨阳峰建国文志成海荣毅翔锋骏豪昊晖卫忠良"
)
GIVEN_MALE_FIRST = "建国志永振立家天海文俊明晓宇子嘉新伟德宏"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞燕玲婷雪慧莹倩洁琳颖萍红梅琴云蓉佳欣怡丹璐瑶菁雯蕾岚薇君琦悦"
GIVEN_FEMALE_FIRST = "晓春秋雨思嘉一新诗亦佳云丽美秀玉淑雅慧小"

# Mobile prefixes (13x/15x/18x) followed by eight digits.
PHONE_PREFIXES = tuple(
    f"1{a}{b}" for a, bs in (("3", "012356789"), ("5", "0125679"), ("8", "0123679")) for b in bs
)

SECTORS: tuple[tuple[str, int], ...] = (
    ("工人", 10),
    ("农民", 2),
    ("知识分子", 14),
    ("干部", 20),
    ("解放军", 3),
    ("企业家", 14),
    ("个体工商户", 7),
    ("社区工作者", 14),
    ("医务工作者", 8),
    ("教育工作者", 8),
)
# Occupation templates per sector; {street} and {community} are the deputy's own.
OCCUPATIONS: dict[str, tuple[str, ...]] = {
    "工人": (
        "苏州轨道交通集团 维修班组长",
        "国网苏州供电公司 变电运维工",
        "苏州公交集团 驾驶员",
        "苏州水务集团 技术员",
        "苏州市环境卫生管理处 环卫工人",
        "苏州燃气集团 抢修班班长",
    ),
    "农民": (
        "{street}花木种植专业合作社 社员",
        "虎丘湿地公园 园艺工",
    ),
    "知识分子": (
        "苏州大学 教授",
        "苏州科技大学 副教授",
        "苏州市建筑设计研究院 高级工程师",
        "苏州博物馆 研究馆员",
        "江苏剑桥颐华律师事务所 律师",
        "苏州丝绸博物馆 副研究馆员",
        "苏州市职业大学 讲师",
    ),
    "干部": (
        "姑苏区发展和改革委员会 主任",
        "姑苏区住房和建设局 副局长",
        "姑苏区民政局 科长",
        "姑苏区市场监督管理局 副局长",
        "姑苏区卫生健康委员会 科长",
        "姑苏区教育体育和文化旅游委员会 副主任",
        "{street}办事处 主任",
        "{street}党工委 副书记",
        "{street}办事处 副主任",
    ),
    "解放军": (
        "苏州军分区 干部",
        "武警苏州支队 干部",
        "姑苏区人民武装部 部长",
    ),
    "企业家": (
        "苏州平江文旅发展有限公司 总经理",
        "苏州丝绸集团有限公司 董事长",
        "苏州古城投资建设有限公司 副总经理",
        "苏州吴门刺绣工艺品有限公司 董事长",
        "苏州观前商业发展有限公司 总经理",
        "苏州山塘信息科技有限公司 总经理",
        "苏州姑苏软件园有限公司 董事长",
    ),
    "个体工商户": (
        "观前街苏式糕点店 店主",
        "平江路评弹茶馆 店主",
        "山塘街刺绣工作室 负责人",
        "十全街书店 店主",
        "{street}苏式面馆 店主",
    ),
    "社区工作者": (
        "{street}{community} 党委书记",
        "{street}{community} 居委会主任",
        "{street}{community} 网格长",
        "{street}{community} 党委副书记",
    ),
    "医务工作者": (
        "苏州市立医院 主任医师",
        "苏州大学附属第一医院 副主任医师",
        "苏州市中医医院 主任中医师",
        "姑苏区疾病预防控制中心 主管医师",
        "{street}社区卫生服务中心 主任",
        "苏州市立医院 护士长",
    ),
    "教育工作者": (
        "苏州市第一中学 教师",
        "苏州市平江实验学校 校长",
        "苏州市草桥中学 副校长",
        "苏州市沧浪实验小学 教师",
        "苏州市立达中学 教师",
        "苏州幼儿师范高等专科学校 讲师",
        "姑苏区实验幼儿园 园长",
    ),
}
PARTIES: tuple[tuple[str, int], ...] = (("cpc", 65), ("democratic", 10), ("none", 25))
LEVEL_SHARES: tuple[tuple[str, float], ...] = (
    ("province", 0.02),
    ("city", 0.10),
    ("street", 0.33),
    # district: the rest (about 55%)
)
LEAVE_REASONS = ("工作调动", "工作调动", "退休", "本人辞去代表职务", "迁出本行政区域")
LEAVE_SHARE = 0.03
MOVE_SHARE = 0.03
BY_ELECTION_SHARE = 0.02

# --- Duty records (履职登记) ----------------------------------------------------------------

DEFAULT_RECORDS_PER_DEPUTY = 10  # the real committee sees about 33 a year; 10 keeps seeding fast
RECORD_WINDOW_DAYS = 365
# Client tokens are uuid5(RECORD_TOKEN_NAMESPACE, f"{seed}-{deputy phone}-{n}").
RECORD_TOKEN_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "congress-deputies/seed_demo/duty-record")

# Non-session types, weighted (the session is one record per attending district deputy).
DUTY_TYPE_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("weekly_visit", 52),
    ("contact_day", 32),
    ("station_reception", 30),
    ("opinion", 36),
    ("inspection", 16),
    ("training", 16),
    ("other", 8),
    ("report_to_voters", 4),
    ("research_report", 3),
)
# At most this many of a type per deputy and year; the overflow becomes ``opinion``.
DUTY_TYPE_CAPS = {
    "weekly_visit": 52,
    "contact_day": 12,
    "report_to_voters": 1,
    "research_report": 2,
}
# District deputies are the most active; the street factor is spread between these bounds.
LEVEL_ACTIVITY = {"district": 1.35, "street": 0.9, "city": 0.75, "province": 0.55}
STREET_ACTIVITY = (0.6, 1.4)
IDLE_SHARE = 0.03  # deputies with nothing logged this year
SESSION_ATTENDANCE = 0.92
RETURN_SHARE = 0.05
WITHDRAW_SHARE = 0.02
# Street staff review once a week, on their street's day; a record waits this many more weeks.
REVIEW_WEEKS = ((0, 40), (1, 30), (2, 18), (3, 7), (5, 3), (7, 2))
EVENT_TYPES = frozenset(
    {
        "weekly_visit",
        "contact_day",
        "station_reception",
        "inspection",
        "report_to_voters",
        "session",
    }
)
PHOTO_SHARE_EVENT = 0.065
PHOTO_SHARE_OTHER = 0.02
PHOTO_PALETTE_SIZE = 16
PHOTO_SIZE = (800, 600)
# deputy01, the demo phone login, always has something in every state.
DEPUTY01_MIN_RECORDS = 16
DEPUTY01_SHOWCASE: tuple[tuple[str, int, str], ...] = (
    # type, days before today, outcome
    ("opinion", 1, "submitted"),
    ("station_reception", 4, "submitted"),
    ("training", 9, "withdrawn"),
    ("opinion", 38, "returned"),
)
SESSION_PLACE = "姑苏区会议中心"

TOPICS = (
    "老旧小区加装电梯",
    "小区停车难",
    "垃圾分类",
    "背街小巷环境整治",
    "农贸市场改造",
    "居家养老服务",
    "适老化改造",
    "古城保护与更新",
    "河道保洁",
    "电动自行车集中充电",
    "夜间施工噪音",
    "物业服务质量",
    "学校周边交通秩序",
    "社区食堂",
    "公共厕所改造",
    "雨污分流",
    "路灯照明",
    "违章搭建",
    "绿化养护",
    "群租房管理",
    "老旧管网改造",
    "非机动车停放",
    "医保报销",
    "婴幼儿托育",
    "景区周边交通",
    "沿街商铺油烟",
    "老年助餐",
    "二次供水",
    "消防通道占用",
    "古井古树保护",
)
INSPECTION_SUBJECTS = (
    "区政府民生实事项目推进情况",
    "老旧小区改造工程",
    "养老服务机构运营情况",
    "河长制落实情况",
    "义务教育优质均衡发展",
    "文旅市场秩序",
    "古城保护与更新项目",
    "基层医疗卫生服务",
)
LAWS = (
    "《中华人民共和国食品安全法》",
    "《苏州国家历史文化名城保护条例》",
    "《江苏省大气污染防治条例》",
    "《中华人民共和国消防法》",
    "《江苏省养老服务条例》",
    "《苏州市生活垃圾分类管理条例》",
)
COURSES = (
    "宪法和代表法",
    "代表建议撰写方法",
    "预算审查监督基础知识",
    "全过程人民民主专题讲座",
    "民法典专题辅导",
    "古城保护法规解读",
    "基层立法联系点工作实务",
)
SERVICES = ("义诊和健康咨询", "法律咨询", "小家电维修", "理发和磨刀", "防诈骗宣传", "垃圾分类宣传")

# (description, place) templates per type. Fields: {street} {community} {n} {k} {m} {topic}
# {subject} {law} {course} {service} {pct}; {session} is filled in at write time.
DUTY_TEXTS: dict[str, tuple[tuple[str, str], ...]] = {
    "weekly_visit": (
        (
            "参加{street}{community}“社区周周行”活动，接待居民{n}人次，收集关于{topic}的意见{k}条。",
            "{community}",
        ),
        (
            "到{community}开展“今天我在岗”社区周周行，走访居民{n}户，听取{topic}方面的诉求"
            "{k}条，已转交街道相关科室。",
            "{community}",
        ),
        (
            "在{community}党群服务中心参加社区周周行，与社区干部一起入户走访{n}户，"
            "重点了解{topic}情况，现场答复居民咨询{k}个。",
            "{community}党群服务中心",
        ),
    ),
    "contact_day": (
        (
            "参加{street}社情民意联系日活动，在{community}接待选民{n}人，收集意见建议{k}条，"
            "主要涉及{topic}。",
            "{community}",
        ),
        (
            "在{street}人大代表之家参加本月社情民意联系日，面对面听取选民意见，接待{n}人次，"
            "梳理{topic}等问题{k}条。",
            "{street}人大代表之家",
        ),
    ),
    "station_reception": (
        (
            "在{street}人大代表之家值班接待选民{n}人次，反映问题集中在{topic}，登记意见{k}条。",
            "{street}人大代表之家",
        ),
        (
            "到{community}代表联络站坐班，接待居民{n}人，就{topic}问题做了解释和记录，"
            "{k}条意见已转办。",
            "{community}代表联络站",
        ),
    ),
    "opinion": (
        (
            "走访{community}居民，收集关于{topic}的意见建议{k}条，已整理报送街道人大工委。",
            "{community}",
        ),
        (
            "通过微信群和电话收集{community}居民关于{topic}的反映{k}条，汇总后提交街道。",
            "{community}",
        ),
        ("就{topic}问题听取{community}居民和沿街商户意见，形成书面意见{k}条。", "{community}"),
    ),
    "inspection": (
        (
            "参加区人大常委会组织的{subject}视察，实地查看{k}个点位，提出意见建议{m}条。",
            "{street}",
        ),
        ("参加{law}执法检查，随检查组到{street}{k}家单位了解贯彻落实情况。", "{street}"),
        ("随{street}人大工委到{community}调研{topic}工作，召开座谈会听取意见。", "{community}"),
    ),
    "training": (
        ("参加区人大常委会举办的代表履职学习班，学习{course}。", "区人大常委会机关"),
        ("参加{street}人大工委组织的集中学习，学习{course}并作交流发言。", "{street}办事处"),
        ("线上参加代表履职网络学习课程《{course}》，学习{m}学时。", "线上"),
    ),
    "report_to_voters": (
        (
            "在{community}向选民述职，报告一年来履职情况，参加选民{n}人，现场测评满意率{pct}%。",
            "{community}党群服务中心",
        ),
    ),
    "research_report": (
        ("撰写调研报告《关于{topic}的调研与建议》，已提交{street}人大工委。", ""),
        ("牵头完成《{street}{topic}情况调研报告》，提出对策建议{k}条。", "{street}办事处"),
    ),
    "session": (
        (
            "出席{session}，参加全体会议{m}次、代表团分组审议{k}次，审议政府工作报告等各项报告。",
            SESSION_PLACE,
        ),
        ("出席{session}，在代表团审议中就{topic}发言，参加各项选举和表决。", SESSION_PLACE),
    ),
    "other": (
        ("参加{community}志愿服务活动，为居民提供{service}。", "{community}"),
        ("协调{community}{topic}问题，联系相关部门到现场处理。", "{community}"),
        ("参加{street}代表小组活动，讨论{topic}问题。", "{street}办事处"),
    ),
}
RETURN_REASONS = (
    "描述过于简单，请补充接待人数和主要意见",
    "日期与活动安排不符，请核对",
    "请补充活动地点和具体参加人员",
    "履职类型选择有误，请重新选择后提交",
    "同一活动已登记过，请勿重复提交",
    "请写明所收集意见的具体内容和处理去向",
)
PHOTO_RETURN_REASON = "照片与活动内容不符，请重新上传现场照片"


# --- Handling units, liaison stations, activities, shifts and opinions -----------------------

# (name, short name) of the departments that answer residents' opinions (承办单位).
HANDLING_UNITS: tuple[tuple[str, str], ...] = (
    ("区住房和城乡建设局", "区住建局"),
    ("区市场监督管理局", "区市场监管局"),
    ("区城市管理局", "区城管局"),
    ("区教育局", "区教育局"),
    ("区卫生健康委员会", "区卫健委"),
    ("区民政局", "区民政局"),
    ("区交通运输局", "区交通局"),
    ("苏州市公安局姑苏分局", "姑苏公安分局"),
    ("区生态环境局", "区生态环境局"),
    ("区水务局", "区水务局"),
    ("区人力资源和社会保障局", "区人社局"),
    ("区文体旅游局", "区文体旅局"),
)
UNIT_LOGINS = 3  # unit01..unit03, for the first three units

WEEKDAY_NAMES = "一二三四五六日"
STATION_SHARE = 1 / 3  # of communities with a 代表联络站 rather than a 代表联系点
SHIFT_STATION_SHARE = 0.5  # of a street's stations (besides its home) with a reception rota
ACTIVITY_WEEKS_BACK = 52
ACTIVITY_WEEKS_AHEAD = 4
ACTIVITY_DAYS_AHEAD = 31  # contact days are scheduled up to a month ahead
SHIFT_WEEKS = 4  # reception rota: four weeks back and four ahead
DISTRICT_ACTIVITY_SHARE = 0.33  # of weeks with an inspection, research, lecture, ...
DISTRICT_KINDS: tuple[tuple[str, int], ...] = (
    ("inspection", 32),
    ("research", 24),
    ("law_check", 14),
    ("lecture", 18),
    ("report_to_voters", 12),
)
DISTRICT_INVITES = {
    "inspection": (8, 14),
    "research": (5, 8),
    "law_check": (6, 10),
    "lecture": (10, 18),
    "report_to_voters": (3, 5),
}
THEMED_VISIT_SHARE = 0.47  # 947 of 2,016 weekly visits in the source had a theme
# What happens to an invitation, by share; "refused": leave asked, refused, then absent.
# The habitual leave-askers (the committee's complaint) ask for leave more often than not.
ATTENDANCE_OUTCOMES: tuple[tuple[str, float], ...] = (
    ("present", 0.795),
    ("late", 0.062),
    ("left_early", 0.031),
    ("excused", 0.072),
    ("refused", 0.012),
    ("absent", 0.028),
)
HABITUAL_OUTCOMES: tuple[tuple[str, float], ...] = (
    ("present", 0.30),
    ("late", 0.05),
    ("left_early", 0.04),
    ("excused", 0.52),
    ("refused", 0.05),
    ("absent", 0.04),
)
HABITUAL_SHARE = 0.02
LEAVE_LEAD_HOURS = (4, 8, 16, 20, 26, 40, 48, 72, 96, 120, 168, 216)
LEAVE_DECIDE_HOURS = (1, 2, 3, 4, 6, 18, 22, 26, 48, 70)
LEAVE_REASONS_ASKED = (
    "单位临时有会",
    "单位临时有会",
    "出差在外",
    "出差在外",
    "身体不适",
    "身体不适",
    "家中有事",
    "单位值班，无法脱身",
    "在外地参加培训",
    "孩子生病需要照顾",
    "陪同家中老人就医",
    "与单位重要接待时间冲突",
    "参加市人大组织的调研活动",
)
LEAVE_APPROVE_NOTES = ("", "", "", "同意", "同意，会后请了解活动情况", "已批准")
LEAVE_REFUSE_NOTES = (
    "本次为专题活动，请尽量调整时间参加",
    "本季度已多次请假，请安排参加",
    "请假理由不充分，请按时参加",
)
RESIDENT_OPINIONS_PER_STREET = 45  # a year, by QR code
STAFF_OPINIONS_PER_STREET = 15  # a year, taken down by street staff (calls, walk-ins)
OPINION_RECORD_SHARE = 0.6  # of the opinions an activity collected that a deputy logs
OPINION_REJECT_SHARE = 0.05
OPINION_DEPUTY_SHARE = 0.25  # of accepted opinions handed to a deputy rather than a unit
OPINION_STUCK_SHARE = 0.01  # never answered
OPINION_SLOW_SHARE = 0.14  # answered after the 15-day deadline
OPINION_UNCLOSED_SHARE = 0.08  # replied, never formally closed
OPINION_RATED_SHARE = {"resident": 0.45, "deputy": 0.15, "staff": 0.2}
OPINION_CATEGORIES: tuple[tuple[str, int], ...] = (
    ("urban", 20),
    ("environment", 14),
    ("traffic", 14),
    ("property", 13),
    ("elderly", 10),
    ("community", 9),
    ("health", 6),
    ("education", 5),
    ("social", 4),
    ("other", 5),
)
LANES = (
    "钮家巷",
    "大儒巷",
    "悬桥巷",
    "丁香巷",
    "萧家巷",
    "胡厢使巷",
    "大新桥巷",
    "中张家巷",
    "卫道观前",
    "南显子巷",
    "菉葭巷",
    "仓街",
    "醋库巷",
    "滚绣坊",
    "饮马桥",
    "养育巷",
    "侍其巷",
    "十梓街",
    "庙堂巷",
    "西北街",
)
RIVERS = ("平江河", "中市河", "干将河", "学士河", "环古城河", "山塘河", "上塘河", "胥江")
SCHOOLS = (
    "苏州市平江实验学校",
    "苏州市沧浪实验小学",
    "苏州市草桥中学",
    "苏州市立达中学",
    "苏州市第一中学",
    "苏州市敬文实验小学",
    "苏州市金阊实验小学",
)
# (category, what residents say, handling units by short name, what was done about it).
# Fields: {community} {lane} {road} {road2} {school} {river} {n}.
OPINION_TEXTS: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "urban",
        "{lane}路面坑洼不平，雨天积水严重，老人和孩子出行不便，希望尽快修补。",
        ("区住建局",),
        (
            "已安排养护单位对该路段进行修补，两周内完工",
            "已将该路段列入今年背街小巷整治计划，雨季前完成路面翻修",
        ),
    ),
    (
        "urban",
        "{community}{n}号楼外墙瓷砖脱落，楼下是居民进出通道，存在安全隐患，建议尽快排查处理。",
        ("区住建局",),
        (
            "已组织对该楼外立面进行安全排查，脱落部位已设置警示围挡，维修资金正在落实",
            "已督促物业清除空鼓瓷砖，并纳入老旧小区改造统筹解决",
        ),
    ),
    (
        "urban",
        "{lane}一带路灯坏了好几天，晚上漆黑一片，居民夜间出行很不安全，请尽快维修。",
        ("区城管局",),
        ("已通知路灯管理所维修，路灯已恢复照明", "经排查为线路老化，已更换电缆，现已恢复照明"),
    ),
    (
        "urban",
        "{community}老旧小区加装电梯推进缓慢，低层住户意见不一，希望街道和社区帮助协调。",
        ("区住建局",),
        (
            "已会同街道、社区召开协调会，解答低层住户关心的采光和噪音问题，已有两个单元签订协议",
            "已安排加装电梯工作专班上门宣传政策，并协助办理审批手续",
        ),
    ),
    (
        "urban",
        "{road}沿街有商户违章搭建遮雨棚，占用人行道，影响通行。",
        ("区城管局",),
        ("已责令商户限期自行拆除，逾期未拆的已依法强制拆除", "执法人员已现场处置，违章搭建已拆除"),
    ),
    (
        "urban",
        "{community}有居民私自圈占公共绿地种菜，其他居民意见很大。",
        ("区城管局",),
        ("已会同社区上门劝导，绿地已恢复原状",),
    ),
    (
        "urban",
        "{lane}部分路段雨水管道堵塞，一下雨积水就没过脚踝。",
        ("区水务局", "区住建局"),
        (
            "已安排疏通雨水管道，并将该片区纳入雨污分流改造计划",
            "已对堵塞管道进行清淤疏通，后续将加强汛前巡查",
        ),
    ),
    (
        "environment",
        "{road}沿街餐饮店油烟直排，附近居民夏天窗户都不敢开，请督促安装油烟净化设施。",
        ("区城管局", "区生态环境局"),
        (
            "已约谈涉事商户，责令限期安装油烟净化设施，目前已整改到位",
            "执法人员现场检查，已督促商户清洗并更换油烟净化器，后续将加强巡查",
        ),
    ),
    (
        "environment",
        "{community}垃圾分类投放点就在居民楼下，夏天异味大、蚊蝇多，建议调整位置并增加清运频次。",
        ("区城管局",),
        (
            "已协调环卫部门将清运频次调整为每日两次，并对投放点进行除臭消杀",
            "已会同社区征求居民意见，将投放点迁移至小区北侧空地",
        ),
    ),
    (
        "environment",
        "{river}河面有漂浮垃圾，部分河段有异味，希望加强保洁。",
        ("区水务局",),
        (
            "已增派保洁船只每日巡河打捞，并对周边排口进行排查",
            "已将该河段列入河道清淤计划，同时加强日常保洁",
        ),
    ),
    (
        "environment",
        "{community}附近工地夜间施工噪音很大，晚上十点以后还在作业，影响休息。",
        ("区生态环境局", "区城管局"),
        (
            "已责令施工单位停止夜间违规作业，确需夜间施工的须办理许可并公示",
            "经现场查处，已对施工单位依法处罚，并要求加装隔音围挡",
        ),
    ),
    (
        "environment",
        "{lane}有居民在楼道和弄堂里堆放杂物，存在消防隐患，也影响环境卫生。",
        ("区城管局",),
        ("已会同社区、物业开展集中清理，共清理杂物十余车",),
    ),
    (
        "traffic",
        "{community}周边停车位紧张，晚上车辆乱停占用消防通道，建议规划错时共享停车。",
        ("区交通局", "姑苏公安分局"),
        (
            "已协调周边两家单位开放内部停车场夜间错时共享，新增车位约六十个",
            "已在消防通道施划禁停标线并加强夜间巡查，同时推进周边错时停车",
        ),
    ),
    (
        "traffic",
        "{road}与{road2}交叉口早晚高峰拥堵，行人过街困难，建议增设信号灯或延长绿灯时间。",
        ("姑苏公安分局", "区交通局"),
        (
            "交警部门已优化该路口信号配时，行人绿灯时间延长了十秒",
            "已将该路口纳入今年交通微改造项目，拟增设行人过街信号灯",
        ),
    ),
    (
        "traffic",
        "{school}门口上下学时段接送车辆乱停，交通秩序混乱，建议增派交警或志愿者疏导。",
        ("姑苏公安分局",),
        ("已在上下学高峰时段增派警力疏导，并联合学校设立家长志愿者护学岗",),
    ),
    (
        "traffic",
        "{road}公交站台没有遮雨棚，雨天候车很不方便，建议加装。",
        ("区交通局",),
        ("已将该站台列入候车亭改造计划，年内完成加装",),
    ),
    (
        "traffic",
        "共享单车在{road}人行道上乱停乱放，影响行人通行。",
        ("区城管局", "区交通局"),
        ("已约谈共享单车运营企业，要求增派运维人员及时清理，并施划停放区",),
    ),
    (
        "education",
        "{community}附近缺少普惠性托育机构，双职工家庭孩子没人带，希望增设托育点。",
        ("区教育局", "区卫健委"),
        ("已将该片区纳入普惠托育点布局规划，拟利用社区闲置用房新建托育点",),
    ),
    (
        "education",
        "学校课后服务结束时间较早，家长下班来不及接孩子，希望延长看护时间。",
        ("区教育局",),
        ("已指导辖区学校提供弹性离校服务，最晚可延长至18时",),
    ),
    (
        "education",
        "希望{community}暑期开设青少年托管班，丰富孩子的假期生活。",
        ("区教育局", "区民政局"),
        ("已联合社区开设暑期爱心托管班，招收辖区小学生四十余名",),
    ),
    (
        "health",
        "社区卫生服务站慢性病常用药经常缺货，老人只能跑大医院配药，希望增加配备。",
        ("区卫健委",),
        ("已协调增加高血压、糖尿病等常用药品配备，并开通长处方服务",),
    ),
    (
        "health",
        "老年人到社区卫生服务中心看病排队时间长，建议开设老年人优先窗口。",
        ("区卫健委",),
        ("已在服务中心设立老年人优先窗口，并保留现场挂号通道",),
    ),
    (
        "health",
        "希望{community}定期组织免费体检和健康讲座，方便行动不便的老人。",
        ("区卫健委",),
        ("已安排家庭医生团队每季度到社区开展一次义诊和健康讲座",),
    ),
    (
        "elderly",
        "{community}独居老人较多，希望增加上门助餐和定期探访服务。",
        ("区民政局",),
        ("已将辖区独居老人纳入关爱名单，由社工每周上门探访，并开通助餐送餐服务",),
    ),
    (
        "elderly",
        "社区老年食堂菜品少、价格偏高，老人希望增加助餐补贴。",
        ("区民政局",),
        ("已督促运营方丰富菜品，并按规定对八十岁以上老人落实助餐补贴",),
    ),
    (
        "elderly",
        "建议在{community}增设日间照料中心，方便老人白天托养。",
        ("区民政局",),
        ("已将该社区纳入居家养老服务中心建设计划，选址工作正在推进",),
    ),
    (
        "elderly",
        "{community}{n}号楼楼道没有扶手，老人上下楼困难，希望开展适老化改造。",
        ("区民政局", "区住建局"),
        ("已将该楼栋列入适老化改造项目，安装楼道扶手和夜间感应灯",),
    ),
    (
        "community",
        "{community}活动室面积小、开放时间短，居民活动场地不足，希望协调增加活动场所。",
        ("区民政局",),
        ("已协调辖区单位共享会议室作为居民活动场所，活动室开放时间延长至晚上八点",),
    ),
    (
        "community",
        "{community}健身器材老化损坏，存在安全隐患，建议更换。",
        ("区文体旅局",),
        ("已拆除损坏器材，新器材已列入采购计划，近期安装",),
    ),
    (
        "community",
        "{lane}出租房群租现象突出，人员流动大，存在安全隐患，建议加强管理。",
        ("姑苏公安分局",),
        ("已会同社区对该处出租房开展联合检查，督促房东整改，并纳入重点管理",),
    ),
    (
        "community",
        "希望{community}增设智能快递柜，方便上班族取件。",
        ("区市场监管局",),
        ("已协调快递企业在社区入口设置智能快递柜",),
    ),
    (
        "property",
        "{community}物业服务不到位，楼道卫生没人打扫，绿化也没人修剪，物业费却照收。",
        ("区住建局",),
        ("已约谈物业公司，责令限期整改，并将其服务情况纳入物业信用考核",),
    ),
    (
        "property",
        "{community}二次供水水箱长期没有清洗，自来水有异味，请督促物业处理。",
        ("区水务局", "区住建局"),
        ("已督促物业完成水箱清洗消毒，并公示水质检测报告",),
    ),
    (
        "property",
        "{community}门禁系统坏了一个多月，物业一直没修，外来人员随意进出。",
        ("区住建局",),
        ("已督促物业更换门禁设备，目前已恢复正常使用",),
    ),
    (
        "property",
        "{community}业主委员会换届迟迟没有开展，希望街道给予指导。",
        ("区住建局",),
        ("已指导社区成立换届工作小组，换届工作正按程序推进",),
    ),
    (
        "property",
        "{community}电动自行车在楼道里充电的现象还很普遍，建议小区增设集中充电桩。",
        ("区住建局", "区城管局"),
        ("已在小区内新建集中充电车棚一处，可同时满足八十辆车充电",),
    ),
    (
        "social",
        "灵活就业人员办理社保不清楚流程，希望社区提供咨询服务。",
        ("区人社局",),
        ("已安排社保专员每月到社区党群服务中心开展一次政策咨询",),
    ),
    (
        "social",
        "大龄失业人员再就业困难，建议多组织招聘会和技能培训。",
        ("区人社局",),
        ("已在街道举办专场招聘会，并开设家政、养老护理等免费技能培训班",),
    ),
    (
        "social",
        "医保异地备案手续复杂，老人不会网上操作，希望社区协助办理。",
        ("区人社局",),
        ("已在社区便民服务窗口开通医保事项代办服务",),
    ),
    (
        "other",
        "{lane}一带古建筑年久失修，墙体开裂，希望加强保护修缮。",
        ("区文体旅局", "区住建局"),
        ("已组织文物部门现场勘查，制定修缮方案，年内启动抢救性修缮",),
    ),
    (
        "other",
        "节假日景区周边游客多，噪音和垃圾影响{community}居民生活，建议加强管理。",
        ("区文体旅局", "区城管局"),
        ("已在节假日增派管理人员和保洁力量，并设置游客引导标识",),
    ),
    (
        "other",
        "{lane}古井周边环境杂乱，希望清理并设置保护标识。",
        ("区文体旅局",),
        ("已对古井周边进行清理，并设置了古井保护标识牌",),
    ),
    (
        "other",
        "附近菜场部分摊位缺斤短两，价格标示不清。",
        ("区市场监管局",),
        ("已对菜场开展专项检查，查处缺斤短两行为两起，并设置公平秤",),
    ),
)
DUPLICATE_REASON = "重复反映，已合并处理"
DUPLICATE_SHARE = 0.55  # of rejections; the others are about something else entirely
# (category, content, why it is not accepted) of opinions that are rejected as they stand.
REJECTED_TEXTS: tuple[tuple[str, str, str], ...] = (
    ("urban", "相城区元和街道某小区门口道路破损严重，希望尽快修复。", "内容与本辖区无关"),
    ("urban", "吴中区木渎镇菜场门口违章停车很多，希望管一管。", "内容与本辖区无关"),
    (
        "traffic",
        "希望增开苏州北站到上海虹桥的高铁班次，早高峰太难买票。",
        "不属于区级事权，已告知向铁路部门反映",
    ),
    (
        "other",
        "楼上邻居家卫生间漏水到我家，多次协商不成，要求对方赔偿。",
        "属于民事纠纷，建议通过人民调解或司法途径解决",
    ),
    (
        "social",
        "本人退休工资计算有误，要求重新核定养老金。",
        "涉及个人待遇诉求，已引导通过信访渠道反映",
    ),
    ("other", "有问题，请尽快处理！！", "反映内容不具体，无法核实"),
)
# Only from the QR form: someone trying it out.
REJECTED_TEST_TEXT = ("other", "试一下扫码能不能用", "测试信息，无实际内容")
RATING_COMMENTS_GOOD = ("", "", "", "处理及时，谢谢！", "问题已解决，感谢代表和社区", "答复很详细")
RATING_COMMENTS_BAD = (
    "答复只是解释原因，问题没有实际解决",
    "处理太慢，拖了一个多月",
    "没有人到现场看过，答复与实际情况不符",
    "答应的整改到现在还没有落实",
)
RESIDENT_TITLES = ("先生", "女士", "阿姨", "师傅", "老师")
SUMMARIES: dict[str, tuple[str, ...]] = {
    "weekly_visit": (
        "接待居民{n}人次，收集意见建议{k}条，主要涉及{topic}，已分类转交街道相关科室。",
        "代表与社区干部入户走访，接待居民{n}人次，现场答复咨询{m}个，收集意见{k}条。",
    ),
    "contact_day": (
        "接待选民{n}人次，收集意见建议{k}条，{topic}问题反映较集中，已梳理交办。",
        "本月联系日接待选民{n}人次，形成意见建议{k}条，现场解答政策咨询{m}个。",
    ),
    "inspection": (
        "视察组实地查看{m}个点位，听取相关部门汇报，接待群众{n}人，提出意见建议{k}条。",
    ),
    "research": ("调研组走访{m}个社区，召开座谈会听取群众意见{n}人次，形成调研意见{k}条。",),
    "law_check": ("检查组抽查{m}家单位，听取群众意见{n}人次，发现问题{k}个，已反馈限期整改。",),
    "lecture": ("代表讲坛听众{n}人，现场互动交流问题{k}个。",),
    "report_to_voters": ("代表们向选民报告履职情况，到场选民{n}人，现场测评满意率{pct}%。",),
}
DEPUTY01_SHIFT_WEEKS = (-1, -2)  # deputy01 is on the rota at the home in these weeks
DEPUTY01_VISIT_WEEKS = (-1, -2)  # and invited to these weekly visits, without leave


# --- The plan -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CommunityPlan:
    code: str
    name: str
    sort_order: int


@dataclass(frozen=True)
class PostPlan:
    post: str
    person_name: str
    is_part_time: bool
    start_date: dt.date


@dataclass(frozen=True)
class StreetPlan:
    code: str
    name: str
    address: str
    phone: str
    sort_order: int
    communities: tuple[CommunityPlan, ...]
    posts: tuple[PostPlan, ...]

    @property
    def secretary(self) -> PostPlan:
        return next(p for p in self.posts if p.post == StreetCommitteePost.Post.SECRETARY)


@dataclass
class DeputyPlan:
    name: str
    gender: str
    birth_year: int
    party: str
    level: str
    street: int  # index into DemoPlan.streets
    community: int  # index into that street's communities
    sector: str
    occupation: str
    phone: str
    constituency: str = ""
    elected_on: dt.date = TERM_START
    moves_to: int | None = None
    moved_on: dt.date | None = None
    left_on: dt.date | None = None
    left_reason: str = ""
    username: str = ""


@dataclass(frozen=True)
class RecordPlan:
    """One duty record as drawn, before it has a date (see :class:`_Calendar`)."""

    deputy: int  # index into DemoPlan.deputies
    n: int  # the deputy's record number: with the seed and phone it makes the client token
    type_code: str
    slot: int  # weekly_visit: weeks back; contact_day: months back; session: day of session
    shift: int  # days added to that Thursday or 15th
    spread: float  # other types: where in the year, 0 = today, 1 = a year ago (day-weighted)
    offset: int | None  # a fixed number of days before today (deputy01's showcase)
    place: str
    description: str  # "{session}" is replaced by the session's name
    submit_lag: int  # days from the date to the submission
    submit_minute: int  # minute of that day
    review_weeks: int  # review rounds the record waits past the first one
    review_minute: int
    outcome: str  # what happens once reviewed: a DutyRecord.Status value
    return_reason: str
    photos: tuple[int, ...]  # indexes into DemoPlan.photo_palette


@dataclass(frozen=True)
class UnitPlan:
    name: str
    short_name: str
    contact_person: str
    contact_phone: str


@dataclass(frozen=True)
class StationPlan:
    street: int  # index into DemoPlan.streets
    community: int | None  # index into that street's communities; None for the home
    kind: str  # a LiaisonStation.Kind value
    name: str
    address: str
    open_days: tuple[int, ...]  # Monday = 0
    periods: tuple[str, ...]  # ReceptionShift.Period values it is open in
    opening_hours: str
    phone: str
    standards: tuple[str, ...]
    public_code: str
    rota: bool  # deputies take turns on duty here (轮流坐班)


@dataclass(frozen=True)
class InviteDraw:
    """What happens to one invitation, drawn before anyone knows who gets it or when."""

    roll: float  # where it falls in ATTENDANCE_OUTCOMES (HABITUAL_OUTCOMES for those deputies)
    reason: str  # the reason given if leave is asked for
    lead_hours: int  # leave is asked this long before the start
    decide_hours: int  # and decided this much later (but before the start)
    note: str  # staff's note when approving (often none)
    refuse_note: str  # and when refusing


@dataclass(frozen=True)
class ActivityPlan:
    """One activity as drawn; :class:`_Calendar` gives it a date at write time."""

    kind: str
    street: int | None  # the organising street; None: the district
    station: int | None  # index into DemoPlan.stations
    week: int | None  # weekly visits and district activities: weeks before this one
    month: int | None  # contact days: months before this one
    weekday: int  # Monday = 0 (week-based activities)
    shift: int  # contact days: days from the 15th
    start_minute: int
    minutes: int
    theme: str
    place: str  # "" for the station's address
    candidates: tuple[int, ...]  # deputy indexes, asked in this order while in office
    size: int  # how many of them are invited
    draws: tuple[InviteDraw, ...]  # one per invitee, in order
    pending: int | None  # invitee whose leave request waits for a decision (if still ahead)
    residents: int
    collected: int
    summary: str
    close_hours: int  # staff close it this long after the end


@dataclass(frozen=True)
class ShiftPlan:
    station: int
    week: int  # weeks before this one; negative: ahead
    weekday: int
    period: str
    candidates: tuple[int, ...]
    size: int
    note: str


@dataclass(frozen=True)
class OpinionPlan:
    """One opinion and its fate; how far it got depends on how old it is at write time."""

    code: str  # the tracking code, also its key for idempotence
    street: int
    source: str
    category: str
    content: str
    community: int | None
    station: int | None
    activity: int | None  # index into DemoPlan.activities: received on its day
    pick: float  # activity opinions: which attending deputy recorded it
    recorder: int | None  # other deputy opinions: the deputy who recorded it
    offset: int | None  # fixed days before today (showcase opinions)
    spread: float  # otherwise where in the year (see _Calendar.spread_day)
    minute: int
    submitter_name: str
    submitter_phone: str
    rejected_reason: str  # non-empty: rejected
    unit: int | None  # index into DemoPlan.units
    assignee: int | None  # deputy index; -1: the deputy who recorded it
    assign_days: int  # from receipt to assignment (or rejection)
    reply_days: int | None  # from assignment to reply; None: not answered
    reply: str  # the answer when a unit handles it
    deputy_reply: str  # and when a deputy does
    close_days: int | None  # from reply to closing; None: left open
    rating: int | None
    rating_comment: str
    rate_days: int  # from reply to rating
    minutes: tuple[int, int, int, int]  # time of day of assignment, reply, closing, rating


RGB = tuple[int, int, int]


@dataclass
class DemoPlan:
    seed: int
    streets: list[StreetPlan]
    deputies: list[DeputyPlan]
    records: list[RecordPlan] = field(default_factory=list)
    review_weekdays: list[int] = field(default_factory=list)  # per street, Monday = 0
    photo_palette: list[tuple[RGB, RGB, bool]] = field(default_factory=list)
    units: list[UnitPlan] = field(default_factory=list)
    stations: list[StationPlan] = field(default_factory=list)
    homes: list[int] = field(default_factory=list)  # per street, index into stations
    visit_weekdays: list[int] = field(default_factory=list)  # per street, Monday = 0
    habitual: frozenset[int] = frozenset()  # deputies who habitually ask for leave
    activities: list[ActivityPlan] = field(default_factory=list)
    shifts: list[ShiftPlan] = field(default_factory=list)
    opinions: list[OpinionPlan] = field(default_factory=list)


class _Names:
    """Realistic names, never the same one twice in a plan."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def person(self, gender: str) -> str:
        rng = self.rng
        while True:
            surname = rng.choices(SURNAMES, weights=SURNAME_WEIGHTS)[0]
            pool, first_pool = (
                (GIVEN_MALE, GIVEN_MALE_FIRST)
                if gender == "male"
                else (GIVEN_FEMALE, GIVEN_FEMALE_FIRST)
            )
            roll = rng.random()
            if roll < 0.3:
                given = rng.choice(pool)
            elif roll < 0.36 and gender == "female":
                given = rng.choice(pool) * 2  # 婷婷, 丹丹
            else:
                given = rng.choice(first_pool + pool) + rng.choice(pool)
            name = surname + given
            if name not in self.used and given[0] != surname:
                self.used.add(name)
                return name

    def gender(self) -> str:
        return "male" if self.rng.random() < 0.55 else "female"


class _CommunityNames:
    """Community names, unique across the district (so also within each street)."""

    def __init__(self, rng: random.Random) -> None:
        curated = list(COMMUNITY_NAMES)
        rng.shuffle(curated)
        combos = [a + b for a in PLACE_FIRST for b in PLACE_SECOND]
        rng.shuffle(combos)
        self.pool = curated + [c for c in combos if c not in COMMUNITY_NAMES]
        self.taken = 0

    def next(self) -> str:
        index = self.taken
        self.taken += 1
        base = self.pool[index % len(self.pool)]
        rounds = index // len(self.pool)
        suffix = "" if rounds == 0 else "二三四五六七八九"[(rounds - 1) % 8] + "村"
        return f"{base}{suffix}社区"


def _weighted(rng: random.Random, pairs: Sequence[tuple[str, int]]) -> str:
    return rng.choices([k for k, _ in pairs], weights=[w for _, w in pairs])[0]


def _apportion(total: int, weights: Sequence[float], minimum: int = 0) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder)."""
    n = len(weights)
    floor = minimum if total >= minimum * n else 0
    rest = total - floor * n
    scale = sum(weights)
    exact = [rest * w / scale for w in weights]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(n), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in by_remainder[: rest - sum(counts)]:
        counts[i] += 1
    return [c + floor for c in counts]


def _level_counts(total: int) -> dict[str, int]:
    counts = {level: round(total * share) for level, share in LEVEL_SHARES}
    if total >= 8:
        # Every level present in any reasonably sized demo.
        for level in counts:
            counts[level] = max(counts[level], 1)
    counts["district"] = total - sum(counts.values())
    return counts


def build_plan(
    *,
    seed: int = DEFAULT_SEED,
    deputies: int = DEFAULT_DEPUTIES,
    streets: int = DEFAULT_STREETS,
    records_per_deputy: int = DEFAULT_RECORDS_PER_DEPUTY,
) -> DemoPlan:
    """The whole demo district as plain data; the same arguments give the same plan."""
    if not 1 <= streets <= MAX_STREETS:
        raise ValueError(f"streets must be between 1 and {MAX_STREETS}")
    if deputies < 0:
        raise ValueError("deputies must not be negative")
    if records_per_deputy < 0:
        raise ValueError("records_per_deputy must not be negative")
    rng = random.Random(seed)
    names = _Names(rng)
    community_names = _CommunityNames(rng)

    # Streets, their communities and their committee posts, street by street, so that
    # asking for more streets leaves the first ones as they were.
    street_plans: list[StreetPlan] = []
    for i in range(streets):
        code = f"S{i + 1:02d}"
        communities = tuple(
            CommunityPlan(
                code=f"{code}-C{j + 1:02d}", name=community_names.next(), sort_order=j + 1
            )
            for j in range(rng.randint(4, 11))
        )
        posted = TERM_START + dt.timedelta(days=rng.randint(20, 60))
        Post = StreetCommitteePost.Post
        posts = [
            PostPlan(Post.DIRECTOR, names.person(names.gender()), False, posted),
            PostPlan(Post.VICE_DIRECTOR_OFFICE, names.person(names.gender()), True, posted),
            PostPlan(Post.VICE_DIRECTOR_DEPUTY, names.person(names.gender()), True, posted),
        ]
        posts += [
            PostPlan(Post.MEMBER, names.person(names.gender()), True, posted)
            for _ in range(rng.randint(5, 7))
        ]
        posts.append(PostPlan(Post.SECRETARY, names.person(names.gender()), False, posted))
        street_plans.append(
            StreetPlan(
                code=code,
                name=STREET_NAMES[i],
                address=f"苏州市姑苏区{rng.choice(ROADS)}{rng.randint(1, 399)}号",
                phone=f"0512-6{rng.randint(0, 9_999_999):07d}",
                sort_order=i + 1,
                communities=communities,
                posts=tuple(posts),
            )
        )

    deputy_plans = _plan_deputies(rng, names, street_plans, deputies)
    # Drawn last, so that the number of records changes nothing above.
    plan = DemoPlan(seed=seed, streets=street_plans, deputies=deputy_plans)
    _plan_records(rng, plan, records_per_deputy)
    _plan_liaison(plan)
    return plan


def _plan_deputies(
    rng: random.Random, names: _Names, streets: list[StreetPlan], total: int
) -> list[DeputyPlan]:
    if total == 0:
        return []
    # Levels and streets are dealt independently; the first deputy is a district deputy of
    # S01 so that the ``deputy01`` login always sits in 平江街道.
    level_counts = _level_counts(total)
    levels = [level for level, n in level_counts.items() for _ in range(n)]
    first_level = "district" if level_counts["district"] else levels[0]
    levels.remove(first_level)
    rng.shuffle(levels)
    levels.insert(0, first_level)

    weights = [rng.uniform(0.5, 1.8) for _ in streets]
    per_street = _apportion(total, weights, minimum=1)
    street_of = [i for i, n in enumerate(per_street) for _ in range(n)]
    if 0 in street_of:
        street_of.remove(0)
    else:  # fewer deputies than streets and S01 got none: make room for it
        street_of.pop()
    rng.shuffle(street_of)
    street_of.insert(0, 0)

    phones: set[str] = set()
    plans: list[DeputyPlan] = []
    for level, s in zip(levels, street_of, strict=True):
        street = streets[s]
        community = rng.randrange(len(street.communities))
        gender = names.gender()
        sector = _weighted(rng, SECTORS)
        occupation = rng.choice(OCCUPATIONS[sector]).format(
            street=street.name, community=street.communities[community].name
        )
        while True:
            phone = rng.choice(PHONE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}"
            if phone not in phones:
                phones.add(phone)
                break
        plans.append(
            DeputyPlan(
                name=names.person(gender),
                gender=gender,
                birth_year=rng.randint(1960, 1995),
                party=_weighted(rng, PARTIES),
                level=level,
                street=s,
                community=community,
                sector=sector,
                occupation=occupation,
                phone=phone,
            )
        )

    _assign_constituencies(plans, streets)

    district_deputies = [d for d in plans if d.level == "district"]
    for n, deputy in enumerate(district_deputies[:DEPUTY_LOGINS], start=1):
        deputy.username = f"deputy{n:02d}"

    # Life events, for deputies without a login: a few by-elections, moves and departures.
    others = [d for d in plans if not d.username]
    electable = [d for d in others if d.level == "district"]
    by_elected = rng.sample(electable, min(round(total * BY_ELECTION_SHARE), len(electable)))
    for deputy in by_elected:
        deputy.elected_on = TERM_START + dt.timedelta(days=rng.randint(180, 1100))
    settled = [d for d in others if d.elected_on == TERM_START]
    movable = [d for d in settled if d.level != "street"] if len(streets) > 1 else []
    movers = rng.sample(movable, min(round(total * MOVE_SHARE), len(movable)))
    for deputy in movers:
        deputy.moves_to = rng.choice([i for i in range(len(streets)) if i != deputy.street])
        deputy.moved_on = deputy.elected_on + dt.timedelta(days=rng.randint(120, 1000))
    stayers = [d for d in settled if d.moves_to is None]
    leavers = rng.sample(stayers, min(round(total * LEAVE_SHARE), len(stayers)))
    for deputy in leavers:
        deputy.left_on = deputy.elected_on + dt.timedelta(days=rng.randint(200, 1100))
        deputy.left_reason = rng.choice(LEAVE_REASONS)
    return plans


def _assign_constituencies(plans: list[DeputyPlan], streets: list[StreetPlan]) -> None:
    """District deputies: constituencies numbered across the district street by street, about
    two deputies each. Street representatives: their community. City/province: the body
    that elected them."""
    number = 0
    for s, street in enumerate(streets):
        members = [d for d in plans if d.street == s and d.level == "district"]
        count = max(1, round(len(members) / 2))
        for k, deputy in enumerate(members):
            deputy.constituency = f"第{number + 1 + k % count}选区"
        number += count if members else 0
        for deputy in plans:
            if deputy.street == s and deputy.level == "street":
                deputy.constituency = street.name + street.communities[deputy.community].name
    for deputy in plans:
        if deputy.level == "city":
            deputy.constituency = "姑苏区人民代表大会"
        elif deputy.level == "province":
            deputy.constituency = "苏州市人民代表大会"


def _plan_records(rng: random.Random, plan: DemoPlan, per_deputy: int) -> None:
    """About ``per_deputy`` duty records a deputy, unevenly: busy and quiet streets, a long
    tail of very active deputies and a few with nothing."""
    streets, deputies = plan.streets, plan.deputies
    plan.review_weekdays = [rng.randrange(5) for _ in streets]
    plan.photo_palette = [_gradient_colours(rng) for _ in range(PHOTO_PALETTE_SIZE)]
    low, high = STREET_ACTIVITY
    street_activity = [
        low + (high - low) * i / (len(streets) - 1) if len(streets) > 1 else 1.0
        for i in range(len(streets))
    ]
    rng.shuffle(street_activity)
    weights: list[float] = []
    for k, dp in enumerate(deputies):
        activity = rng.lognormvariate(0, 0.75) * LEVEL_ACTIVITY[dp.level]
        activity *= street_activity[_current_street(dp)]
        if rng.random() < IDLE_SHARE and k > 0:
            activity = 0.0
        weights.append(activity)
    total = per_deputy * len(deputies)
    active = any(w > 0 for w in weights)
    counts = _apportion(total, weights) if total and active else [0] * len(deputies)
    if counts and per_deputy:
        counts[0] = max(counts[0], DEPUTY01_MIN_RECORDS)

    for k, (dp, count) in enumerate(zip(deputies, counts, strict=True)):
        showcase = DEPUTY01_SHOWCASE if k == 0 and count else ()
        codes: list[str] = []
        attends = rng.random() < SESSION_ATTENDANCE
        if count > len(showcase) and dp.level == "district" and attends:
            codes.append("session")
        while len(codes) < count - len(showcase):
            codes.append(_weighted(rng, DUTY_TYPE_WEIGHTS))
        seen: Counter[str] = Counter()
        for i, code in enumerate(codes):
            seen[code] += 1
            if seen[code] > DUTY_TYPE_CAPS.get(code, count):
                codes[i] = "opinion"
        weeks = rng.sample(range(52), codes.count("weekly_visit"))
        months = rng.sample(range(12), codes.count("contact_day"))
        n = 0
        for code, offset, outcome in showcase:
            plan.records.append(_plan_record(rng, plan, k, n, code, 0, offset, outcome))
            n += 1
        for code in codes:
            if code == "weekly_visit":
                slot = weeks.pop()
            elif code == "contact_day":
                slot = months.pop()
            elif code == "session":
                slot = rng.choice((0, 0, 1, 1, 2))
            else:
                slot = 0
            plan.records.append(_plan_record(rng, plan, k, n, code, slot))
            n += 1


def _current_street(dp: DeputyPlan) -> int:
    return dp.street if dp.moves_to is None else dp.moves_to


def _gradient_colours(rng: random.Random) -> tuple[RGB, RGB, bool]:
    def colour(hue: float) -> RGB:
        r, g, b = colorsys.hsv_to_rgb(hue % 1.0, rng.uniform(0.3, 0.7), rng.uniform(0.55, 0.95))
        return (round(r * 255), round(g * 255), round(b * 255))

    hue = rng.random()
    return colour(hue), colour(hue + rng.uniform(0.05, 0.3)), rng.random() < 0.5


def _plan_record(
    rng: random.Random,
    plan: DemoPlan,
    k: int,
    n: int,
    code: str,
    slot: int,
    offset: int | None = None,
    outcome: str | None = None,
) -> RecordPlan:
    dp = plan.deputies[k]
    street = plan.streets[_current_street(dp)]
    own = street.communities[dp.community] if dp.street == _current_street(dp) else None
    community = own if own is not None and rng.random() < 0.65 else rng.choice(street.communities)
    text, place = rng.choice(DUTY_TEXTS[code])
    fields = {
        "street": street.name,
        "community": community.name,
        "n": rng.randint(5, 36) if code != "report_to_voters" else rng.randint(30, 80),
        "k": rng.randint(1, 6),
        "m": rng.randint(2, 5),
        "topic": rng.choice(TOPICS),
        "subject": rng.choice(INSPECTION_SUBJECTS),
        "law": rng.choice(LAWS),
        "course": rng.choice(COURSES),
        "service": rng.choice(SERVICES),
        "pct": rng.randint(92, 100),
        "session": "{session}",
    }
    event = code in EVENT_TYPES
    roll = rng.random()
    if outcome is None:
        outcome = (
            DutyRecord.Status.RETURNED
            if roll < RETURN_SHARE
            else DutyRecord.Status.WITHDRAWN
            if roll < RETURN_SHARE + WITHDRAW_SHARE
            else DutyRecord.Status.APPROVED
        )
    share = PHOTO_SHARE_EVENT if event else PHOTO_SHARE_OTHER
    if k == 0:
        share *= 5  # deputy01's phone screens show photos
    photos: tuple[int, ...] = ()
    if rng.random() < share:
        photos = tuple(rng.sample(range(PHOTO_PALETTE_SIZE), 1 if rng.random() < 0.7 else 2))
    reason = ""
    if outcome == DutyRecord.Status.RETURNED:
        reason = rng.choice(RETURN_REASONS)
        if photos and rng.random() < 0.4:
            reason = PHOTO_RETURN_REASON
    return RecordPlan(
        deputy=k,
        n=n,
        type_code=code,
        slot=slot,
        shift=rng.choice((0, 0, 0, 0, 0, 0, -1, 1, -2)),
        spread=rng.random(),
        offset=offset,
        place=place.format(**fields),
        description=text.format(**fields),
        submit_lag=rng.choice((0, 0, 0, 1, 1, 2)),
        submit_minute=rng.randint(11 * 60 + 30, 22 * 60 + 59),
        review_weeks=0
        if offset is not None
        else rng.choices([w for w, _ in REVIEW_WEEKS], weights=[p for _, p in REVIEW_WEEKS])[0],
        review_minute=rng.randint(9 * 60, 17 * 60 + 30),
        outcome=outcome,
        return_reason=reason,
        photos=photos,
    )


def _plan_liaison(plan: DemoPlan) -> None:
    """Handling units, liaison stations, a year of activities, the reception rota and
    residents' opinions.

    Drawn from a generator of their own (seeded from the seed), so that the number of duty
    records changes none of it."""
    rng = random.Random(f"{plan.seed}-liaison")
    names = _Names(rng)
    names.used.update(d.name for d in plan.deputies)
    plan.units = [
        UnitPlan(
            name=name,
            short_name=short,
            contact_person=names.person(names.gender()),
            contact_phone=f"0512-6{rng.randint(0, 9_999_999):07d}",
        )
        for name, short in HANDLING_UNITS
    ]
    _plan_stations(rng, plan)
    # 平江街道 keeps the Thursday of the duty records; the others have a weekday of their own.
    plan.visit_weekdays = [
        3 if s == 0 else rng.choice((1, 2, 3, 4)) for s in range(len(plan.streets))
    ]
    n = len(plan.deputies)
    habitual = max(1, round(n * HABITUAL_SHARE)) if n >= 10 else 0
    plan.habitual = frozenset(rng.sample(range(1, n), habitual)) if habitual else frozenset()

    # Everyone who has belonged to a street's delegation; who is in it on a given day is
    # decided at write time.
    members = [
        [k for k, d in enumerate(plan.deputies) if s in (d.street, d.moves_to)]
        for s in range(len(plan.streets))
    ]
    _plan_activities(rng, plan, members)
    _plan_shifts(rng, plan, members)
    _plan_opinions(rng, plan, names, members)


def _plan_stations(rng: random.Random, plan: DemoPlan) -> None:
    keys = [key for key, _label in LiaisonStation.STANDARDS]
    codes: set[str] = set()

    def public_code() -> str:
        while True:
            code = "".join(rng.choice(CODE_ALPHABET) for _ in range(8))
            if code not in codes:
                codes.add(code)
                return code

    Kind = LiaisonStation.Kind
    for s, street in enumerate(plan.streets):
        # The street's 人大代表之家 at the street office: every working day or two or three days.
        if rng.random() < 0.4:
            days: tuple[int, ...] = (0, 1, 2, 3, 4)
            when = "工作日"
        else:
            days = tuple(sorted(rng.sample(range(5), rng.choice((2, 3)))))
            when = "每周" + "、".join(WEEKDAY_NAMES[d] for d in days)
        plan.homes.append(len(plan.stations))
        plan.stations.append(
            StationPlan(
                street=s,
                community=None,
                kind=Kind.HOME,
                name=f"{street.name}人大代表之家",
                address=f"{street.address}（{street.name}办事处一楼）",
                open_days=days,
                periods=("am", "pm"),
                opening_hours=f"{when} 9:00–11:30，14:00–17:00",
                phone=street.phone,
                standards=tuple(keys),
                public_code=public_code(),
                rota=True,
            )
        )
        count = len(street.communities)
        liaison = set(rng.sample(range(count), round(count * STATION_SHARE)))
        for c, community in enumerate(street.communities):
            is_station = c in liaison
            day = rng.randrange(5)
            afternoon = rng.random() < 0.3
            base = {"venue", "sign", "rules", "staff"} if is_station else {"venue", "sign"}
            optional = [k for k in keys if k not in base]
            extra = set(rng.sample(optional, rng.randint(1, len(optional) if is_station else 4)))
            road = rng.choice(ROADS + LANES)
            plan.stations.append(
                StationPlan(
                    street=s,
                    community=c,
                    kind=Kind.STATION if is_station else Kind.POINT,
                    name=community.name + ("代表联络站" if is_station else "代表联系点"),
                    address=f"苏州市姑苏区{road}{rng.randint(1, 199)}号"
                    f"{community.name}党群服务中心",
                    open_days=(day,),
                    periods=("pm",) if afternoon else ("am",),
                    opening_hours=f"每周{WEEKDAY_NAMES[day]} "
                    + ("14:00–16:30" if afternoon else "9:00–11:30"),
                    phone=f"0512-6{rng.randint(0, 9_999_999):07d}",
                    standards=tuple(k for k in keys if k in base or k in extra),
                    public_code=public_code(),
                    rota=rng.random() < SHIFT_STATION_SHARE,
                )
            )


def _rotation(roster: Sequence[int], cursor: int, count: int) -> list[int]:
    """The next ``count`` deputies of a rota from ``cursor`` on, each at most once."""
    return [roster[(cursor + i) % len(roster)] for i in range(min(count, len(roster)))]


def _invite_draw(rng: random.Random) -> InviteDraw:
    return InviteDraw(
        roll=rng.random(),
        reason=rng.choice(LEAVE_REASONS_ASKED),
        lead_hours=rng.choice(LEAVE_LEAD_HOURS),
        decide_hours=rng.choice(LEAVE_DECIDE_HOURS),
        note=rng.choice(LEAVE_APPROVE_NOTES),
        refuse_note=rng.choice(LEAVE_REFUSE_NOTES),
    )


def _report(rng: random.Random, kind: str, topic: str) -> dict[str, Any]:
    """The closing report of an activity: people received, opinions collected, a summary."""
    residents = rng.randint(5, 40)
    collected = rng.choices(range(7), weights=(10, 20, 25, 20, 12, 8, 5))[0]
    fields = {
        "n": residents,
        "k": collected,
        "m": rng.randint(2, 6),
        "topic": topic,
        "pct": rng.randint(90, 100),
    }
    return {
        "residents": residents,
        "collected": collected,
        "summary": rng.choice(SUMMARIES[kind]).format(**fields),
        "close_hours": rng.choice((1, 2, 3, 5, 20, 26, 48, 72)),
    }


def _plan_activities(rng: random.Random, plan: DemoPlan, members: list[list[int]]) -> None:
    """Per street a weekly visit every week and a contact day every month; a few district
    inspections, research trips, lectures and reports to voters a quarter."""
    deputies = plan.deputies
    Kind = Activity.Kind
    weeks = range(ACTIVITY_WEEKS_BACK, -ACTIVITY_WEEKS_AHEAD - 1, -1)  # oldest first
    for s in range(len(plan.streets)):
        visitors = [k for k in members[s] if deputies[k].level != "street"]
        locals_ = [k for k in members[s] if deputies[k].level == "street"]
        rng.shuffle(visitors)
        rng.shuffle(locals_)

        # 社区周周行: the street's weekday and hour, the next station and the next deputies.
        stations = [
            i
            for i, st in enumerate(plan.stations)
            if st.street == s and st.kind != LiaisonStation.Kind.HOME
        ]
        rng.shuffle(stations)
        start = rng.choice((9 * 60, 9 * 60, 9 * 60 + 30, 14 * 60, 14 * 60 + 30))
        minutes = rng.choice((120, 150))
        cursor = rng.randrange(len(visitors)) if visitors else 0
        for n, week in enumerate(weeks):
            size = rng.randint(3, 5)
            candidates = _rotation(visitors, cursor, size + 3)
            cursor += size
            draws = [_invite_draw(rng) for _ in range(size)]
            if s == 0 and week in DEPUTY01_VISIT_WEEKS and deputies:
                # deputy01 is invited, and has not asked for leave (the browser test does).
                candidates = [0, *(k for k in candidates if k != 0)]
                draws[0] = dataclasses.replace(draws[0], roll=0.0)
            theme = rng.choice(TOPICS) if rng.random() < THEMED_VISIT_SHARE else ""
            plan.activities.append(
                ActivityPlan(
                    kind=Kind.WEEKLY_VISIT,
                    street=s,
                    station=stations[n % len(stations)] if stations else plan.homes[s],
                    week=week,
                    month=None,
                    weekday=plan.visit_weekdays[s],
                    shift=0,
                    start_minute=start,
                    minutes=minutes,
                    theme=theme,
                    place="",
                    candidates=tuple(candidates),
                    size=size,
                    draws=tuple(draws),
                    # Next week's visit has a leave request waiting for staff.
                    pending=1 if week == -1 else None,
                    **_report(rng, Kind.WEEKLY_VISIT, theme or rng.choice(TOPICS)),
                )
            )

        # 社情民意联系日 at the street's home around the 15th: district and city deputies in
        # turn, and the street's 议政代表.
        cursor = rng.randrange(len(visitors)) if visitors else 0
        for month in range(12, -2, -1):
            wanted = _rotation(visitors, cursor, rng.randint(3, 5))
            cursor += len(wanted)
            wanted += rng.sample(locals_, min(rng.randint(3, 5), len(locals_)))
            spare = _rotation(visitors, cursor, 3) + rng.sample(locals_, min(3, len(locals_)))
            candidates = list(dict.fromkeys(wanted + spare))
            size = min(10, len(wanted))
            theme = rng.choice(TOPICS) if rng.random() < 0.6 else ""
            plan.activities.append(
                ActivityPlan(
                    kind=Kind.CONTACT_DAY,
                    street=s,
                    station=plan.homes[s],
                    week=None,
                    month=month,
                    weekday=0,
                    shift=rng.choice((0, 0, 0, 0, -1, 1, -2, 2)),
                    start_minute=9 * 60 if rng.random() < 0.7 else 14 * 60,
                    minutes=150,
                    theme=theme,
                    place="",
                    candidates=tuple(candidates),
                    size=size,
                    draws=tuple(_invite_draw(rng) for _ in range(size)),
                    pending=None,
                    **_report(rng, Kind.CONTACT_DAY, theme or rng.choice(TOPICS)),
                )
            )

    # Organised by the district, with deputies from every street: drawn for every week, held
    # in about a third of them (which ones: see _district_week).
    pool = [k for k, d in enumerate(deputies) if d.level in ("district", "city")]
    for week in weeks:
        kind = _weighted(rng, DISTRICT_KINDS)
        low, high = DISTRICT_INVITES[kind]
        size = rng.randint(low, high)
        candidates = rng.sample(pool, min(len(pool), size + 4))
        s = rng.randrange(len(plan.streets))
        street = plan.streets[s]
        community = rng.choice(street.communities).name
        topic = rng.choice(TOPICS)
        station: int | None = None
        place = ""
        if kind == Kind.INSPECTION:
            theme = f"视察{rng.choice(INSPECTION_SUBJECTS)}"
            place = f"{street.name}{community}等点位"
        elif kind == Kind.RESEARCH:
            theme = f"关于{topic}的专题调研"
            place = f"{street.name}办事处会议室"
        elif kind == Kind.LAW_CHECK:
            theme = f"{rng.choice(LAWS)}执法检查"
            place = f"{street.name}辖区相关单位"
        elif kind == Kind.LECTURE:
            theme = f"代表讲坛：{rng.choice(COURSES)}"
            station = plan.homes[s]
        else:
            theme = "区人大代表向选民述职"
            station = plan.homes[s]
        plan.activities.append(
            ActivityPlan(
                kind=kind,
                street=None,
                station=station,
                week=week,
                month=None,
                weekday=rng.choice((1, 2, 3, 4)),
                shift=0,
                start_minute=rng.choice((9 * 60, 14 * 60 + 30)),
                minutes=rng.choice((150, 180)),
                theme=theme,
                place=place,
                candidates=tuple(candidates),
                size=min(size, len(candidates)),
                draws=tuple(_invite_draw(rng) for _ in range(size)),
                pending=None,
                **_report(rng, kind, topic),
            )
        )


def _plan_shifts(rng: random.Random, plan: DemoPlan, members: list[list[int]]) -> None:
    """The reception rota (轮流坐班) at every home and about half the stations: mornings,
    sometimes afternoons, one or two of the street's deputies in turn."""
    for s in range(len(plan.streets)):
        roster = list(members[s])
        rng.shuffle(roster)
        cursor = rng.randrange(len(roster)) if roster else 0
        for i, st in enumerate(plan.stations):
            if st.street != s or not st.rota:
                continue
            home = st.kind == LiaisonStation.Kind.HOME
            for week in range(SHIFT_WEEKS, -SHIFT_WEEKS - 1, -1):
                for day in st.open_days:
                    for period in st.periods:
                        if home and period == "pm" and rng.random() < 0.6:
                            continue
                        size = 2 if rng.random() < 0.25 else 1
                        candidates = _rotation(roster, cursor, size + 3)
                        cursor += size
                        first_am = day == st.open_days[0] and period == "am"
                        if s == 0 and home and week in DEPUTY01_SHIFT_WEEKS and first_am:
                            candidates = [0, *(k for k in candidates if k != 0)][: size + 3]
                        note = (
                            f"重点听取{rng.choice(TOPICS)}方面的意见" if rng.random() < 0.2 else ""
                        )
                        plan.shifts.append(
                            ShiftPlan(
                                station=i,
                                week=week,
                                weekday=day,
                                period=period,
                                candidates=tuple(candidates),
                                size=size,
                                note=note,
                            )
                        )


def _plan_opinions(
    rng: random.Random, plan: DemoPlan, names: _Names, members: list[list[int]]
) -> None:
    """About 150 opinions a street and year: most logged by deputies at activities, some by
    residents through a station's QR code, a few taken down by staff; and for the demo
    logins (deputy01, unit01) something in every state."""
    codes: set[str] = set()

    def code() -> str:
        while True:
            value = "".join(rng.choice(TRACKING_ALPHABET) for _ in range(10))
            if value not in codes:
                codes.add(value)
                return value

    district_deputies = [
        [k for k in m if plan.deputies[k].level == "district"] or m for m in members
    ]
    Source = Opinion.Source

    def add(street: int, source: str, **fields: Any) -> None:
        community = fields.pop("community", None)
        station = fields.get("station")
        if community is None and station is not None:
            community = plan.stations[station].community
        text = fields.pop("text", None) or _opinion_text(rng, plan, street, community)
        fate = fields.pop("fate", None) or _opinion_fate(
            rng, plan, street, source, community, text, district_deputies[street]
        )
        base: dict[str, Any] = {
            "station": None,
            "activity": None,
            "pick": 0.0,
            "recorder": None,
            "offset": None,
            "spread": rng.random(),
            "minute": rng.randint(7 * 60, 22 * 60 + 30),
            "submitter_name": "",
            "submitter_phone": "",
        }
        category = fate.pop("category", text[0])  # a rejected one may be about something else
        content = fate.pop("content", text[1])
        plan.opinions.append(
            OpinionPlan(
                code=code(),
                street=street,
                source=source,
                category=category,
                content=content,
                community=community,
                **(base | fields | fate),
            )
        )

    for i, ap in enumerate(plan.activities):
        if (
            ap.street is None
            or ap.station is None
            or ap.kind not in ("weekly_visit", "contact_day")
        ):
            continue
        where = plan.stations[ap.station]
        communities = len(plan.streets[ap.street].communities)
        for _ in range(ap.collected):
            if rng.random() >= OPINION_RECORD_SHARE:
                continue
            community = where.community
            if community is None:
                community = rng.randrange(communities)
            contact = _resident_contact(rng, names, phone_share=0.0) if rng.random() < 0.2 else {}
            add(
                ap.street,
                Source.DEPUTY,
                community=community,
                station=ap.station,
                activity=i,
                pick=rng.random(),
                minute=ap.start_minute + ap.minutes + rng.randint(10, 4 * 60),
                **contact,
            )
    for s, street in enumerate(plan.streets):
        own = [i for i, st in enumerate(plan.stations) if st.street == s]
        weights = [3 if plan.stations[i].kind == LiaisonStation.Kind.HOME else 1 for i in own]
        for _ in range(RESIDENT_OPINIONS_PER_STREET):
            station: int = rng.choices(own, weights=weights)[0]
            community = plan.stations[station].community
            if community is None and rng.random() < 0.7:
                community = rng.randrange(len(street.communities))
            add(
                s,
                Source.RESIDENT,
                station=station,
                community=community,
                **_resident_contact(rng, names, phone_share=0.7),
            )
        for _ in range(STAFF_OPINIONS_PER_STREET):
            contact = _resident_contact(rng, names, phone_share=0.8) if rng.random() < 0.6 else {}
            add(
                s,
                Source.STAFF,
                station=plan.homes[s] if rng.random() < 0.5 else None,
                community=rng.randrange(len(street.communities)),
                minute=rng.randint(8 * 60 + 30, 17 * 60),
                **contact,
            )

    if not plan.deputies:
        return
    # Showcase, in 平江街道. deputy01 logged one in every state ...
    mine = plan.deputies[0].community
    for offset, unit, fate in (
        (2, 0, {"assign_days": 5, "reply_days": None}),
        (11, 0, {"assign_days": 2, "reply_days": None}),
        (35, 2, {"assign_days": 2, "reply_days": 10, "close_days": None, "rating": None}),
        (70, 0, {"assign_days": 1, "reply_days": 8, "close_days": 3, "rating": 3}),
        (120, 2, {"rejected_reason": DUPLICATE_REASON, "assign_days": 2}),
    ):
        text = _opinion_text(rng, plan, 0, mine, unit=unit)
        full = _opinion_fate(rng, plan, 0, Source.DEPUTY, mine, text, [], unit=unit, showcase=True)
        add(
            0, Source.DEPUTY, community=mine, recorder=0, offset=offset, text=text, fate=full | fate
        )
    # ... has two residents' opinions to answer, and unit01 has one open and one overdue.
    home = plan.homes[0]
    for offset, unit, assignee in ((6, 0, 0), (10, 5, 0), (5, 0, None), (24, 0, None)):
        text = _opinion_text(rng, plan, 0, mine, unit=unit)
        fate = _opinion_fate(
            rng,
            plan,
            0,
            Source.RESIDENT,
            mine,
            text,
            [],
            unit=unit,
            showcase=True,
            assignee=assignee,
        )
        fate |= {"assign_days": 1, "reply_days": None}
        add(
            0,
            Source.RESIDENT,
            station=home,
            community=mine,
            offset=offset,
            text=text,
            fate=fate,
            **_resident_contact(rng, names, phone_share=1.0),
        )


def _resident_contact(rng: random.Random, names: _Names, phone_share: float) -> dict[str, Any]:
    """A resident's name and phone as typed into the form: often nothing, "王阿姨", a full
    name; a phone number only with their consent (the form insists)."""
    roll = rng.random()
    if roll < 0.4 and phone_share < 1.0:
        return {}
    gender = names.gender()
    if rng.random() < 0.5:
        surname = rng.choices(SURNAMES, weights=SURNAME_WEIGHTS)[0]
        name = surname + rng.choice(RESIDENT_TITLES)
    else:
        name = names.person(gender)
    phone = ""
    if rng.random() < phone_share:
        phone = rng.choice(PHONE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}"
    return {"submitter_name": name, "submitter_phone": phone}


def _opinion_text(
    rng: random.Random, plan: DemoPlan, street: int, community: int | None, unit: int | None = None
) -> tuple[str, str, tuple[int, ...], tuple[str, ...]]:
    """(category, content, handling unit indexes, what was done) for a realistic opinion;
    one a given unit handles when ``unit`` is set."""
    shorts = [u.short_name for u in plan.units]
    if unit is None:
        category = _weighted(rng, OPINION_CATEGORIES)
        options = [t for t in OPINION_TEXTS if t[0] == category]
    else:
        options = [t for t in OPINION_TEXTS if plan.units[unit].short_name in t[2]]
    category, template, units, actions = rng.choice(options)
    communities = plan.streets[street].communities
    name = communities[community].name if community is not None else rng.choice(communities).name
    roads = rng.sample(ROADS, 2)
    content = template.format(
        community=name,
        lane=rng.choice(LANES),
        road=roads[0],
        road2=roads[1],
        school=rng.choice(SCHOOLS),
        river=rng.choice(RIVERS),
        n=rng.randint(1, 60),
    )
    return category, content, tuple(shorts.index(u) for u in units), actions


def _opinion_fate(
    rng: random.Random,
    plan: DemoPlan,
    street: int,
    source: str,
    community: int | None,
    text: tuple[str, str, tuple[int, ...], tuple[str, ...]],
    deputies: Sequence[int],
    *,
    unit: int | None = None,
    showcase: bool = False,
    assignee: int | None = None,
) -> dict[str, Any]:
    """Whether it is rejected or handed on, to whom, and how long each step takes. A
    showcase opinion goes to ``assignee`` (a deputy) or ``unit`` and is not rated; the
    caller sets its timing."""
    _category, _content, units, actions = text
    chosen = unit if unit is not None else rng.choice(units)
    fate: dict[str, Any] = {
        "rejected_reason": "",
        "unit": chosen,
        "assignee": None,
        "assign_days": rng.choice((1, 1, 2, 2, 3, 4, 6)),
        "reply_days": None,
        "reply": "",
        "deputy_reply": "",
        "close_days": None if rng.random() < OPINION_UNCLOSED_SHARE else rng.randint(1, 10),
        "rating": None,
        "rating_comment": "",
        "rate_days": rng.randint(0, 12),
        # assigned, replied, closed in office hours; rated whenever the resident likes
        "minutes": (
            *(rng.randint(8 * 60 + 30, 17 * 60 + 30) for _ in range(3)),
            rng.randint(7 * 60, 22 * 60),
        ),
    }
    if rng.random() < OPINION_REJECT_SHARE and not showcase:
        if rng.random() < DUPLICATE_SHARE:
            fate["rejected_reason"] = DUPLICATE_REASON
        else:
            options = REJECTED_TEXTS
            if source == Opinion.Source.RESIDENT:
                options += (REJECTED_TEST_TEXT,)
            fate["category"], fate["content"], fate["rejected_reason"] = rng.choice(options)
        return fate
    roll = rng.random()
    if roll >= OPINION_STUCK_SHARE:
        slow = roll < OPINION_STUCK_SHARE + OPINION_SLOW_SHARE
        fate["reply_days"] = rng.randint(16, 40) if slow else rng.randint(2, 13)
    action = rng.choice(actions)
    where = plan.streets[street].communities[community].name if community is not None else "社区"
    to_deputy = rng.random() < OPINION_DEPUTY_SHARE
    if showcase:
        fate["assignee"] = assignee
    elif to_deputy and (deputies or source == Opinion.Source.DEPUTY):
        mine = source == Opinion.Source.DEPUTY and (not deputies or rng.random() < 0.6)
        fate["assignee"] = -1 if mine else rng.choice(deputies)
    fate["deputy_reply"] = (
        f"您好，您反映的问题我已转交{where}和{plan.units[chosen].short_name}。经协调，"
        f"{action}。我会继续跟进落实情况，有问题请随时联系。"
    )
    fate["reply"] = (
        f"您好，您反映的问题已收悉。经{plan.units[chosen].short_name}核查，{action}。"
        "感谢您对我们工作的关心和支持！"
    )
    if rng.random() < OPINION_RATED_SHARE[source] and not showcase:
        rating = rng.choices((3, 2, 1), weights=(66, 25, 9))[0]
        fate["rating"] = rating
        fate["rating_comment"] = rng.choice(
            RATING_COMMENTS_BAD if rating == 1 else RATING_COMMENTS_GOOD
        )
    return fate


# --- Writing the plan ---------------------------------------------------------------------


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    scope: str
    full_name: str


@dataclass
class SeedResult:
    created: Counter[str] = field(default_factory=Counter)
    existing: Counter[str] = field(default_factory=Counter)
    skipped: list[str] = field(default_factory=list)
    logins: list[DemoLogin] = field(default_factory=list)

    # Models in the order the summary lists them.
    LABELS = (
        "District",
        "Term",
        "CongressSession",
        "StreetCommittee",
        "Community",
        "StreetCommitteePost",
        "Deputy",
        "StreetMembership",
        "User",
        "RoleAssignment",
        "DutyRecord",
        "DutyPhoto",
        "HandlingUnit",
        "LiaisonStation",
        "Activity",
        "Attendance",
        "ReceptionShift",
        "Opinion",
    )

    @property
    def total_created(self) -> int:
        return sum(self.created.values())

    @property
    def total_existing(self) -> int:
        return sum(self.existing.values())

    def rows(self) -> list[tuple[str, int, int]]:
        return [(label, self.created[label], self.existing[label]) for label in self.LABELS]


def _ensure(
    model: type[M], result: SeedResult, lookup: dict[str, Any], create: dict[str, Any]
) -> tuple[M, bool]:
    """Get the row matching ``lookup`` or validate and insert ``model(**create)``."""
    label = model.__name__
    obj = model._default_manager.filter(**lookup).order_by("pk").first()
    if obj is not None:
        result.existing[label] += 1
        return obj, False
    obj = model(**create)
    obj.full_clean()
    obj.save()
    result.created[label] += 1
    return obj, True


@transaction.atomic
def seed(
    *,
    seed: int = DEFAULT_SEED,
    deputies: int = DEFAULT_DEPUTIES,
    streets: int = DEFAULT_STREETS,
    records_per_deputy: int = DEFAULT_RECORDS_PER_DEPUTY,
    today: dt.date | None = None,
) -> SeedResult:
    """Write the demo district. Idempotent: rows found by natural key are kept as they are.

    Duty records cover the year ending ``today`` (default: the local date)."""
    plan = build_plan(
        seed=seed, deputies=deputies, streets=streets, records_per_deputy=records_per_deputy
    )
    result = SeedResult()

    district, _ = _ensure(
        District,
        result,
        {"code": DISTRICT_CODE},
        {"code": DISTRICT_CODE, "name": DISTRICT_NAME, "committee_name": COMMITTEE_NAME},
    )
    term, _ = _ensure(
        Term,
        result,
        {"district": district, "number": TERM_NUMBER},
        {"district": district, "number": TERM_NUMBER, "name": TERM_NAME, "start_date": TERM_START},
    )
    for n, start in enumerate(SESSION_STARTS, start=1):
        _ensure(
            CongressSession,
            result,
            {"term": term, "number": n},
            {
                "term": term,
                "number": n,
                "name": f"{TERM_NAME}人民代表大会第{SESSION_NUMERALS[n - 1]}次会议",
                "start_date": start,
                "end_date": start + dt.timedelta(days=2),
                "half_days": SESSION_HALF_DAYS,
            },
        )

    street_rows: list[StreetCommittee] = []
    secretary_posts: list[StreetCommitteePost] = []
    for sp in plan.streets:
        street, _ = _ensure(
            StreetCommittee,
            result,
            {"district": district, "code": sp.code},
            {
                "district": district,
                "code": sp.code,
                "name": sp.name,
                "address": sp.address,
                "phone": sp.phone,
                "sort_order": sp.sort_order,
            },
        )
        street_rows.append(street)
        for cp in sp.communities:
            _ensure(
                Community,
                result,
                {"street_committee": street, "name": cp.name},
                {
                    "street_committee": street,
                    "code": cp.code,
                    "name": cp.name,
                    "sort_order": cp.sort_order,
                },
            )
        for pp in sp.posts:
            # One current holder per post, except members who are told apart by name.
            lookup: dict[str, Any] = {"street_committee": street, "post": pp.post}
            if pp.post == StreetCommitteePost.Post.MEMBER:
                lookup["person_name"] = pp.person_name
            else:
                lookup["end_date__isnull"] = True
            post, _ = _ensure(
                StreetCommitteePost,
                result,
                lookup,
                {
                    "street_committee": street,
                    "post": pp.post,
                    "person_name": pp.person_name,
                    "is_part_time": pp.is_part_time,
                    "start_date": pp.start_date,
                },
            )
            if pp.post == StreetCommitteePost.Post.SECRETARY:
                secretary_posts.append(post)

    deputy_rows = _seed_deputies(plan, district, term, street_rows, result)
    units = _seed_units(plan, district, result)
    _seed_users(plan, district, street_rows, secretary_posts, deputy_rows, units, result)
    today = today or timezone.localdate()
    days = _seed_duty_records(plan, district, deputy_rows, result, today)
    days += _seed_liaison(plan, district, street_rows, deputy_rows, units, result, today)
    # As the services do when something that scores changes: once per quarter touched.
    quarters: dict[tuple[int, int], dt.date] = {}
    for day in sorted(days, reverse=True):
        quarters[(day.year, (day.month - 1) // 3)] = day
    for day in sorted(quarters.values()):
        points_changed(district_id=district.pk, day=day)
    result.logins = demo_logins()
    return result


def _seed_deputies(
    plan: DemoPlan,
    district: District,
    term: Term,
    streets: list[StreetCommittee],
    result: SeedResult,
) -> list[Deputy | None]:
    """Create the planned deputies through the deputies services; one row per plan entry,
    ``None`` where a planned deputy could not be created (name taken by another person)."""
    by_phone: dict[str, Deputy] = {}
    names: set[str] = set()
    for deputy in Deputy.objects.filter(district=district).only("id", "name", "phone", "user"):
        by_phone.setdefault(deputy.phone, deputy)
        names.add(deputy.name)

    rows: list[Deputy | None] = []
    memberships = 0
    for dp in plan.deputies:
        existing = by_phone.get(dp.phone)
        if existing is not None:
            result.existing["Deputy"] += 1
            rows.append(existing)
            continue
        if dp.name in names:
            result.skipped.append(f"deputy {dp.name}: the name is already used in {district}")
            rows.append(None)
            continue
        deputy = deputy_create(
            district=district,
            term=term,
            name=dp.name,
            gender=dp.gender,
            level=dp.level,
            elected_on=dp.elected_on,
            street_committee=streets[dp.street],
            birth_year=dp.birth_year,
            party=dp.party,
            constituency=dp.constituency,
            sector=dp.sector,
            occupation=dp.occupation,
            phone=dp.phone,
        )
        memberships += 1
        if dp.moves_to is not None and dp.moved_on is not None:
            deputy_move_street(deputy=deputy, street_committee=streets[dp.moves_to], on=dp.moved_on)
            memberships += 1
        if dp.left_on is not None:
            deputy_leave(deputy=deputy, on=dp.left_on, reason=dp.left_reason)
        names.add(dp.name)
        result.created["Deputy"] += 1
        rows.append(deputy)
    result.created["StreetMembership"] += memberships
    result.existing["StreetMembership"] += (
        StreetMembership.objects.filter(deputy__district=district).count() - memberships
    )
    return rows


def _seed_users(
    plan: DemoPlan,
    district: District,
    streets: list[StreetCommittee],
    secretary_posts: list[StreetCommitteePost],
    deputies: list[Deputy | None],
    units: list[HandlingUnit],
    result: SeedResult,
) -> None:
    password_hash: list[str] = []

    def ensure_user(
        username: str, full_name: str, *, is_staff: bool = False, phone: str = ""
    ) -> User:
        user = User.objects.filter(username=username).first()
        if user is not None:
            result.existing["User"] += 1
            return user
        # Hash the shared demo password once: PBKDF2 per user would dominate the run time.
        if not password_hash:
            password_hash.append(make_password(DEMO_PASSWORD))
        user, _ = _ensure(
            User,
            result,
            {"username": username},
            {
                "username": username,
                "password": password_hash[0],
                "full_name": full_name,
                "phone": phone,
                "is_staff": is_staff,
                "email": "",
            },
        )
        return user

    def ensure_role(
        user: User, role: str, street: StreetCommittee | None = None, title: str = ""
    ) -> None:
        _ensure(
            RoleAssignment,
            result,
            {"user": user, "role": role, "district": district, "street_committee": street},
            {
                "user": user,
                "role": role,
                "district": district,
                "street_committee": street,
                "title": title,
            },
        )

    admin = ensure_user(DISTRICT_ADMIN_USERNAME, DISTRICT_ADMIN_FULL_NAME, is_staff=True)
    ensure_role(admin, RoleAssignment.Role.DISTRICT_STAFF)
    district_admin_grant(user=admin)

    for i, (street, post) in enumerate(zip(streets, secretary_posts, strict=True), start=1):
        user = ensure_user(f"street{i:02d}", post.person_name)
        ensure_role(
            user,
            RoleAssignment.Role.STREET_STAFF,
            street,
            title=StreetCommitteePost.Post.SECRETARY,
        )
        if post.user_id is None:
            post.user = user
            post.save(update_fields=["user", "updated_at"])

    for dp, deputy in zip(plan.deputies, deputies, strict=True):
        if not dp.username or deputy is None:
            continue
        user = ensure_user(dp.username, deputy.name, phone=deputy.phone)
        ensure_role(user, RoleAssignment.Role.DEPUTY)
        if deputy.user_id is None and not Deputy.objects.filter(user=user).exists():
            deputy.user = user
            deputy.save(update_fields=["user", "updated_at"])

    # Handling units' logins: the unit's contact person, linked to the unit.
    for i, unit in enumerate(units[:UNIT_LOGINS], start=1):
        user = ensure_user(f"unit{i:02d}", unit.contact_person or unit.name)
        role = RoleAssignment.Role.HANDLING_UNIT
        _ensure(
            RoleAssignment,
            result,
            {"user": user, "role": role, "handling_unit": unit},
            {"user": user, "role": role, "district": district, "handling_unit": unit},
        )


def record_token(seed: int, phone: str, n: int) -> uuid.UUID:
    """The client token of a deputy's ``n``-th demo duty record."""
    return uuid.uuid5(RECORD_TOKEN_NAMESPACE, f"{seed}-{phone}-{n}")


class _Calendar:
    """Dates for planned records in the year ending on ``end``: the only place where today
    matters."""

    def __init__(self, end: dt.date) -> None:
        self.end = end
        self.start = end - dt.timedelta(days=RECORD_WINDOW_DAYS - 1)
        self.session, self.session_name = self._session()
        # Other types: weekdays far more than weekends, busier in the four weeks before the
        # session (会前走访), quieter in August and the National Day holiday.
        weights = [self._weight(end - dt.timedelta(days=o)) for o in range(RECORD_WINDOW_DAYS)]
        self.cumulative = list(itertools.accumulate(weights))

    def _session(self) -> tuple[dt.date | None, str]:
        for n, start in reversed(list(enumerate(SESSION_STARTS, start=1))):
            if self.start <= start <= self.end:
                numeral = SESSION_NUMERALS[n - 1]
                return start, f"{DISTRICT_NAME}{TERM_NAME}人民代表大会第{numeral}次会议"
        for year in (self.end.year, self.end.year - 1):
            january = dt.date(year, 1, 1)
            second_monday = january + dt.timedelta(days=(7 - january.weekday()) % 7 + 7)
            if self.start <= second_monday <= self.end:
                return second_monday, f"{DISTRICT_NAME}人民代表大会{year}年会议"
        return None, ""

    def _weight(self, day: dt.date) -> float:
        weight = (1.0, 1.0, 1.0, 1.0, 1.0, 0.35, 0.2)[day.weekday()]
        if self.session is not None:
            before = (self.session - day).days
            if 0 < before <= 28:
                weight *= 1.8
            elif -2 <= before <= 0:
                weight *= 0.3
        if day.month == 8 or (day.month == 10 and day.day <= 7):
            weight *= 0.6
        return weight

    def date_of(self, rp: RecordPlan) -> dt.date | None:
        end = self.end
        if rp.offset is not None:
            day = end - dt.timedelta(days=rp.offset)
        elif rp.type_code == "weekly_visit":
            thursday = end - dt.timedelta(days=(end.weekday() - 3) % 7)
            day = thursday - dt.timedelta(days=7 * rp.slot - rp.shift)
            if day > end:
                day -= dt.timedelta(days=7)
        elif rp.type_code == "contact_day":
            months = end.year * 12 + end.month - 1 - (end.day < 15) - rp.slot
            day = dt.date(months // 12, months % 12 + 1, 15) + dt.timedelta(days=rp.shift)
            day = min(day, end)
        elif rp.type_code == "session":
            if self.session is None:
                return None
            day = self.session + dt.timedelta(days=rp.slot)
        else:
            index = bisect.bisect_left(self.cumulative, rp.spread * self.cumulative[-1])
            day = end - dt.timedelta(days=min(index, RECORD_WINDOW_DAYS - 1))
        return day if self.start <= day <= end else None

    # Activities, shifts and opinions: weeks and months counted back from the current one,
    # so that the plan can say "the street's weekday, six weeks ago" without knowing today.

    def week_day(self, weeks_back: int, weekday: int) -> dt.date:
        """``weekday`` (Monday = 0) of the week ``weeks_back`` weeks before the current one;
        negative: weeks ahead."""
        monday = self.end - dt.timedelta(days=self.end.weekday())
        return monday + dt.timedelta(days=weekday - 7 * weeks_back)

    def month_day(self, months_back: int, shift: int) -> dt.date:
        """The 15th of the month ``months_back`` months before this one, moved by ``shift``
        days and off the weekend."""
        months = self.end.year * 12 + self.end.month - 1 - months_back
        day = dt.date(months // 12, months % 12 + 1, 15) + dt.timedelta(days=shift)
        if day.weekday() >= 5:
            day += dt.timedelta(days=-1 if day.weekday() == 5 else 1)
        return day

    def spread_day(self, spread: float) -> dt.date:
        """A day of the year, weighted like the duty records (0 = today, 1 = a year ago)."""
        index = bisect.bisect_left(self.cumulative, spread * self.cumulative[-1])
        return self.end - dt.timedelta(days=min(index, RECORD_WINDOW_DAYS - 1))

    def activity_day(self, ap: ActivityPlan) -> dt.date | None:
        if ap.month is not None:
            day = self.month_day(ap.month, ap.shift)
        else:
            day = self.week_day(ap.week or 0, ap.weekday)
        ahead = self.end + dt.timedelta(days=ACTIVITY_DAYS_AHEAD)
        return day if self.start <= day <= ahead else None


def _at(day: dt.date, minute: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(minute // 60, minute % 60)))


def _seed_duty_records(
    plan: DemoPlan,
    district: District,
    deputies: list[Deputy | None],
    result: SeedResult,
    today: dt.date,
) -> list[dt.date]:
    """Create the planned duty records not there yet, with their review history; returns
    the days of those approved.

    Bulk inserts rather than one ``duty_record_submit`` and one review call per record, which
    would take minutes on SQLite. Every field is set as the duty services would have set it
    (the check constraints hold: a returned record has its reason), and simple_history gets
    the same trail: submitted by the deputy, then approved or returned by the street's staff
    user, or withdrawn by the deputy."""
    calendar = _Calendar(today)
    now = timezone.now()
    types = {t.code: t for t in DutyType.objects.all()}
    unusable = sorted(
        {rp.type_code for rp in plan.records} - {code for code, t in types.items() if t.is_active}
    )
    for code in unusable:
        result.skipped.append(f"duty records of type {code}: no active duty type with that code")
    existing: dict[tuple[int, uuid.UUID], int] = {
        (deputy_id, token): pk
        for pk, deputy_id, token in DutyRecord.objects.filter(
            deputy__district=district
        ).values_list("id", "deputy_id", "client_token")
    }
    terms = {
        pk: (max(elected_on, term_start), left_on, user_id)
        for pk, elected_on, term_start, left_on, user_id in Deputy.objects.filter(
            district=district
        ).values_list("id", "elected_on", "term__start_date", "left_on", "user_id")
    }
    users = {
        u.pk: u
        for u in User.objects.filter(
            Q(pk__in=[t[2] for t in terms.values() if t[2]])
            | Q(username__regex=r"^street[0-9]{2}$")
        )
    }
    reviewers = [
        next((u for u in users.values() if u.username == f"street{i + 1:02d}"), None)
        for i in range(len(plan.streets))
    ]

    rows: list[DutyRecord] = []  # as inserted: the final state
    submissions: list[DutyRecord] = []  # the same records as first submitted, for history
    changes: list[DutyRecord] = []  # rows that were reviewed or withdrawn since
    photos: list[tuple[DutyRecord, tuple[int, ...]]] = []
    found: list[int] = []
    for rp in plan.records:
        deputy, dp = deputies[rp.deputy], plan.deputies[rp.deputy]
        if deputy is None or rp.type_code in unusable:
            continue
        token = record_token(plan.seed, dp.phone, rp.n)
        pk = existing.get((deputy.pk, token))
        if pk is not None:
            found.append(pk)
            continue
        day = calendar.date_of(rp)
        first_day, left_on, user_id = terms[deputy.pk]
        if day is None or day < first_day or (left_on is not None and day > left_on):
            continue

        submitted_day = min(day + dt.timedelta(days=rp.submit_lag), today)
        submitted_at = min(_at(submitted_day, rp.submit_minute), now)
        moved = dp.moves_to is not None and dp.moved_on is not None and day >= dp.moved_on
        street = _current_street(dp) if moved else dp.street
        weekday = plan.review_weekdays[street]
        review_day = submitted_day + dt.timedelta(
            days=(weekday - submitted_day.weekday() - 1) % 7 + 1 + 7 * rp.review_weeks
        )
        reviewer = reviewers[street]
        deputy_user = users.get(user_id) if user_id else None
        submitted: dict[str, Any] = {
            "deputy": deputy,
            "duty_type": types[rp.type_code],
            "date": day,
            "place": rp.place,
            "description": rp.description.replace("{session}", calendar.session_name),
            "status": DutyRecord.Status.SUBMITTED,
            "return_reason": "",
            "submitted_at": submitted_at,
            "reviewed_at": None,
            "reviewed_by": None,
            "client_token": token,
        }
        # The change after submission, when it has happened by today: (fields, when, by whom).
        change: tuple[dict[str, Any], dt.datetime, User | None] | None = None
        if rp.outcome == DutyRecord.Status.WITHDRAWN:
            withdrawn_day = submitted_day + dt.timedelta(days=1)
            if withdrawn_day < today:
                fields: dict[str, Any] = {"status": DutyRecord.Status.WITHDRAWN}
                change = (fields, _at(withdrawn_day, rp.review_minute), deputy_user)
        elif rp.outcome != DutyRecord.Status.SUBMITTED and review_day < today and reviewer:
            reviewed_at = _at(review_day, rp.review_minute)
            fields = {
                "status": rp.outcome,
                "return_reason": rp.return_reason,
                "reviewed_at": reviewed_at,
                "reviewed_by": reviewer,
            }
            change = (fields, reviewed_at, reviewer)

        first = DutyRecord(**submitted)
        first._history_date = submitted_at  # type: ignore[attr-defined]
        first._history_user = deputy_user  # type: ignore[attr-defined]
        submissions.append(first)
        if change is None:
            row = DutyRecord(**submitted)
        else:
            fields, when, by = change
            row = DutyRecord(**(submitted | fields))
            row._history_date = when  # type: ignore[attr-defined]
            row._history_user = by  # type: ignore[attr-defined]
            row._change_reason = fields["status"]  # type: ignore[attr-defined]
            changes.append(row)
        rows.append(row)
        if rp.photos:
            photos.append((row, rp.photos))

    result.existing["DutyRecord"] += len(found)
    if found:
        kept = set(found)
        result.existing["DutyPhoto"] += sum(
            1
            for record_id in DutyPhoto.objects.filter(
                record__deputy__district=district
            ).values_list("record_id", flat=True)
            if record_id in kept
        )
    if not rows:
        return []
    # One insert in the final state, then the history as the services would have left it:
    # a "+" row for the submission and a "~" row for the review or withdrawal. (Inserting
    # as submitted and then bulk-updating the reviews is several times slower on SQLite.)
    DutyRecord.objects.bulk_create(rows, batch_size=500)
    for first, row in zip(submissions, rows, strict=True):
        first.pk, first.created_at = row.pk, row.created_at
    history = DutyRecord.history
    history.bulk_history_create(submissions, batch_size=500)
    history.bulk_history_create(changes, batch_size=500, update=True)
    result.created["DutyRecord"] += len(rows)
    result.created["DutyPhoto"] += _attach_photos(plan, photos)
    return [r.date for r in rows if r.status == DutyRecord.Status.APPROVED]


def _gradient_jpeg(colours: tuple[RGB, RGB, bool]) -> bytes:
    first, second, horizontal = colours
    mask = Image.linear_gradient("L")
    if horizontal:
        mask = mask.rotate(90)
    mask = mask.resize(PHOTO_SIZE)
    image = Image.composite(
        Image.new("RGB", PHOTO_SIZE, first), Image.new("RGB", PHOTO_SIZE, second), mask
    )
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def _attach_photos(plan: DemoPlan, wanted: list[tuple[DutyRecord, tuple[int, ...]]]) -> int:
    """Gradient "photos" for the records that have some. Each palette entry goes through the
    same decoding and re-encoding as an upload (``photo_prepare``, what ``duty_photo_upload``
    runs) once; every photo then gets its own files, as an upload would."""
    prepared: dict[int, tuple[bytes, bytes, int, int]] = {}
    rows: list[DutyPhoto] = []
    for record, indexes in wanted:
        for position, index in enumerate(indexes):
            if index not in prepared:
                upload = SimpleUploadedFile(
                    "photo.jpg", _gradient_jpeg(plan.photo_palette[index]), "image/jpeg"
                )
                p = photo_prepare(upload)
                prepared[index] = (p.full.read(), p.thumbnail.read(), p.width, p.height)
            full, thumbnail, width, height = prepared[index]
            photo = DutyPhoto(
                deputy_id=record.deputy_id,
                record=record,
                position=position,
                width=width,
                height=height,
            )
            photo.image.save("photo.jpg", ContentFile(full, name="photo.jpg"), save=False)
            photo.thumbnail.save("thumb.jpg", ContentFile(thumbnail, name="thumb.jpg"), save=False)
            rows.append(photo)
    DutyPhoto.objects.bulk_create(rows)
    return len(rows)


# --- Handling units, stations, activities, shifts and opinions -----------------------------

# A state a row went through: its field values, when, and who did it (for the history).
Stage = tuple[dict[str, Any], dt.datetime, User | None]


def _seed_units(plan: DemoPlan, district: District, result: SeedResult) -> list[HandlingUnit]:
    units: list[HandlingUnit] = []
    for up in plan.units:
        unit, _ = _ensure(
            HandlingUnit,
            result,
            {"district": district, "name": up.name},
            {
                "district": district,
                "name": up.name,
                "short_name": up.short_name,
                "contact_person": up.contact_person,
                "contact_phone": up.contact_phone,
            },
        )
        units.append(unit)
    return units


def _seed_stations(
    plan: DemoPlan, district: District, streets: list[StreetCommittee], result: SeedResult
) -> list[LiaisonStation]:
    """Every community's station or contact point and every street's home, found again by
    (street, name). Their QR codes come from the plan unless one is taken already."""
    communities = {
        (c.street_committee_id, c.name): c
        for c in Community.objects.filter(street_committee__district=district)
    }
    taken = set(LiaisonStation.objects.values_list("public_code", flat=True))
    rows: list[LiaisonStation] = []
    for sp in plan.stations:
        street = streets[sp.street]
        community = None
        if sp.community is not None:
            name = plan.streets[sp.street].communities[sp.community].name
            community = communities.get((street.pk, name))
        create: dict[str, Any] = {
            "street_committee": street,
            "community": community,
            "kind": sp.kind,
            "name": sp.name,
            "address": sp.address,
            "opening_hours": sp.opening_hours,
            "phone": sp.phone,
            "standards": list(sp.standards),
        }
        if sp.public_code not in taken:
            create["public_code"] = sp.public_code
        station, _ = _ensure(
            LiaisonStation, result, {"street_committee": street, "name": sp.name}, create
        )
        taken.add(station.public_code)
        rows.append(station)
    return rows


@dataclass
class _People:
    """Who holds office when and in which street (from the database, so that no deputy is
    invited or on duty outside their term), and who acts for whom."""

    deputies: list[Deputy | None]  # by plan index
    index: dict[int, int]  # deputy pk -> plan index
    terms: dict[int, tuple[dt.date, dt.date | None]]
    memberships: dict[int, list[tuple[int, dt.date, dt.date | None]]]
    users: dict[int, User]  # deputy pk -> their login
    street_users: list[User | None]  # by street index
    unit_users: list[User | None]  # by unit index
    admin: User | None

    def active(self, k: int | None, day: dt.date, street_id: int | None = None) -> Deputy | None:
        """Deputy ``k`` if in office on ``day`` (and in that street's delegation)."""
        if k is None or not 0 <= k < len(self.deputies):
            return None
        deputy = self.deputies[k]
        if deputy is None or deputy.pk not in self.terms:
            return None
        first, last = self.terms[deputy.pk]
        if day < first or (last is not None and day > last):
            return None
        if street_id is not None and not any(
            sid == street_id and start <= day and (end is None or day <= end)
            for sid, start, end in self.memberships.get(deputy.pk, ())
        ):
            return None
        return deputy

    def pick(
        self, candidates: Sequence[int], size: int, day: dt.date, street_id: int | None
    ) -> list[tuple[int, Deputy]]:
        """The first ``size`` candidates able to come on ``day``."""
        chosen: list[tuple[int, Deputy]] = []
        for k in candidates:
            if len(chosen) >= size:
                break
            deputy = self.active(k, day, street_id)
            if deputy is not None and all(deputy.pk != d.pk for _, d in chosen):
                chosen.append((k, deputy))
        return chosen


def _people(
    plan: DemoPlan, district: District, deputies: list[Deputy | None], units: int
) -> _People:
    terms = {
        pk: (max(elected_on, term_start), left_on)
        for pk, elected_on, term_start, left_on in Deputy.objects.filter(
            district=district
        ).values_list("id", "elected_on", "term__start_date", "left_on")
    }
    memberships: dict[int, list[tuple[int, dt.date, dt.date | None]]] = defaultdict(list)
    for deputy_id, street_id, start, end in StreetMembership.objects.filter(
        deputy__district=district
    ).values_list("deputy_id", "street_committee_id", "start_date", "end_date"):
        memberships[deputy_id].append((street_id, start, end))
    logins = {
        u.username: u
        for u in User.objects.filter(
            Q(username=DISTRICT_ADMIN_USERNAME) | Q(username__regex=r"^(street|unit)[0-9]{2}$")
        )
    }
    by_id = User.objects.in_bulk([d.user_id for d in deputies if d is not None and d.user_id])
    return _People(
        deputies=deputies,
        index={d.pk: k for k, d in enumerate(deputies) if d is not None},
        terms=terms,
        memberships=memberships,
        users={d.pk: by_id[d.user_id] for d in deputies if d is not None and d.user_id in by_id},
        street_users=[logins.get(f"street{i + 1:02d}") for i in range(len(plan.streets))],
        unit_users=[logins.get(f"unit{i + 1:02d}") for i in range(units)],
        admin=logins.get(DISTRICT_ADMIN_USERNAME),
    )


def _activity_key(kind: str, street_id: int | None, day: dt.date) -> tuple[Any, ...]:
    """What makes an activity the same one on a re-run, even days later when the plan's
    weeks have moved on: one weekly visit per street and week, one contact day per street
    and month, one district activity per week."""
    if kind == Activity.Kind.CONTACT_DAY:
        return (kind, street_id, day.year, day.month)
    year, week, _ = day.isocalendar()
    if street_id is None:
        return ("district", None, year, week)
    return (kind, street_id, year, week)


def _district_week(seed: int, day: dt.date) -> bool:
    """Whether the district holds an activity in the calendar week of ``day``. Tied to the
    calendar week rather than the plan's "weeks back", so that a re-run days later neither
    fills the weeks that had none nor empties the others."""
    year, week, _ = day.isocalendar()
    return random.Random(f"{seed}-district-{year}-{week}").random() < DISTRICT_ACTIVITY_SHARE


def _outcome(roll: float, habitual: bool) -> str:
    table = HABITUAL_OUTCOMES if habitual else ATTENDANCE_OUTCOMES
    total = 0.0
    for outcome, share in table:
        total += share
        if roll < total:
            return outcome
    return table[-1][0]


def _invitation(
    deputy: Deputy,
    draw: InviteDraw,
    outcome: str,
    pending: bool,
    starts_at: dt.datetime,
    closed_at: dt.datetime | None,
    moment: dt.datetime,
    staff: User | None,
    deputy_user: User | None,
) -> tuple[dict[str, Any], list[Stage]]:
    """An attendance row as ``leave_request``, ``leave_decide`` and ``activity_close`` would
    leave it by ``moment``, with the states it went through (``activity_create`` inserts the
    invitation without history)."""
    Status, Leave = Attendance.Status, Attendance.Leave
    fields: dict[str, Any] = {
        "deputy_id": deputy.pk,
        "status": Status.INVITED,
        "leave": Leave.NONE,
        "leave_reason": "",
        "leave_requested_at": None,
        "leave_decided_at": None,
        "leave_decided_by_id": None,
        "leave_note": "",
    }
    stages: list[Stage] = []
    if outcome in ("excused", "refused") or pending:
        asked = starts_at - dt.timedelta(hours=draw.lead_hours)
        if pending:  # asked just now, whenever the activity is
            asked = min(asked, (moment - dt.timedelta(hours=1)).replace(second=0, microsecond=0))
        if asked <= moment:
            fields |= {
                "leave": Leave.REQUESTED,
                "leave_reason": draw.reason,
                "leave_requested_at": asked,
            }
            stages.append((dict(fields), asked, deputy_user))
            decided = min(
                asked + dt.timedelta(hours=draw.decide_hours),
                starts_at - dt.timedelta(minutes=30),
            )
            if not pending and decided <= moment:
                approve = outcome == "excused"
                fields |= {
                    "leave": Leave.APPROVED if approve else Leave.REFUSED,
                    "status": Status.EXCUSED if approve else Status.INVITED,
                    "leave_decided_at": decided,
                    "leave_decided_by_id": staff.pk if staff else None,
                    "leave_note": draw.note if approve else draw.refuse_note,
                }
                stages.append((dict(fields), decided, staff))
    if closed_at is not None:
        # activity_close: excused only with approved leave; unmarked otherwise means absent.
        status = {"excused": Status.EXCUSED, "refused": Status.ABSENT}.get(outcome, outcome)
        if status == Status.EXCUSED and fields["leave"] != Leave.APPROVED:
            status = Status.ABSENT
        fields["status"] = status
        stages.append((dict(fields), closed_at, staff))
    return fields, stages


@dataclass
class _Held:
    """A planned activity as it is in the database."""

    pk: int
    day: dt.date
    closed: bool
    attended: list[int]  # plan indexes of the deputies who came


def _seed_activities(
    plan: DemoPlan,
    district: District,
    streets: list[StreetCommittee],
    stations: list[LiaisonStation],
    people: _People,
    result: SeedResult,
    calendar: _Calendar,
    moment: dt.datetime,
) -> tuple[dict[int, _Held], list[dt.date]]:
    """Create the planned activities not there yet with their invitations: closed with
    attendance and a report when their day is past, scheduled (some leave asked, decided or
    waiting) otherwise. Returns where each planned activity is, and the days of the ones
    closed just now."""
    today = calendar.end
    existing: dict[tuple[Any, ...], int] = {}
    for pk, kind, organiser, starts_at in Activity.objects.filter(district=district).values_list(
        "id", "kind", "street_committee_id", "starts_at"
    ):
        existing.setdefault(_activity_key(kind, organiser, timezone.localdate(starts_at)), pk)
    result.existing["Attendance"] += Attendance.objects.filter(activity__district=district).count()

    held: dict[int, _Held] = {}
    found: dict[int, int] = {}
    rows: list[Activity] = []
    trails: list[list[Stage]] = []
    invitations: list[list[tuple[dict[str, Any], list[Stage]]]] = []
    planned: list[int] = []
    Status = Activity.Status
    for i, ap in enumerate(plan.activities):
        day = calendar.activity_day(ap)
        if day is None:
            continue
        if ap.street is None and not _district_week(plan.seed, day):
            continue
        street_id = streets[ap.street].pk if ap.street is not None else None
        key = _activity_key(ap.kind, street_id, day)
        if key in existing:
            found[i] = existing[key]
            held[i] = _Held(pk=existing[key], day=day, closed=False, attended=[])
            continue
        chosen = people.pick(ap.candidates, ap.size, day, street_id)
        if not chosen:
            continue
        existing[key] = 0
        station = stations[ap.station] if ap.station is not None else None
        staff = people.street_users[ap.street] if ap.street is not None else people.admin
        starts_at = _at(day, ap.start_minute)
        ends_at = starts_at + dt.timedelta(minutes=ap.minutes)
        fields: dict[str, Any] = {
            "district_id": district.pk,
            "street_committee_id": street_id,
            "station_id": station.pk if station else None,
            "kind": ap.kind,
            "theme": ap.theme,
            "place": ap.place or (station.address if station else ""),
            "starts_at": starts_at,
            "ends_at": ends_at,
            "status": Status.SCHEDULED,
            "residents_received": 0,
            "opinions_collected": 0,
            "summary": "",
            "closed_at": None,
            "closed_by_id": None,
            "created_by_id": staff.pk if staff else None,
        }
        # Scheduled a few weeks ahead (activities_schedule_weekly plans a quarter).
        trail: list[Stage] = [(dict(fields), min(starts_at - dt.timedelta(days=21), moment), staff)]
        closed_at = None
        if day < today:
            closed_at = min(ends_at + dt.timedelta(hours=ap.close_hours), moment)
            fields |= {
                "status": Status.CLOSED,
                "residents_received": ap.residents,
                "opinions_collected": ap.collected,
                "summary": ap.summary,
                "closed_at": closed_at,
                "closed_by_id": staff.pk if staff else None,
            }
            trail.append((dict(fields), closed_at, staff))
        invited: list[tuple[dict[str, Any], list[Stage]]] = []
        attended: list[int] = []
        for n, (k, deputy) in enumerate(chosen):
            outcome = _outcome(ap.draws[n].roll, k in plan.habitual)
            row = _invitation(
                deputy,
                ap.draws[n],
                outcome,
                ap.pending == n and closed_at is None,
                starts_at,
                closed_at,
                moment,
                staff,
                people.users.get(deputy.pk),
            )
            invited.append(row)
            if row[0]["status"] in Attendance.ATTENDED:
                attended.append(k)
        rows.append(Activity(**fields))
        trails.append(trail)
        invitations.append(invited)
        planned.append(i)
        held[i] = _Held(pk=0, day=day, closed=closed_at is not None, attended=attended)

    result.existing["Activity"] += len(found)
    if found:
        closed = set(
            Activity.objects.filter(district=district, status=Status.CLOSED).values_list(
                "id", flat=True
            )
        )
        came: dict[int, list[int]] = defaultdict(list)
        for activity_id, deputy_id in Attendance.objects.filter(
            activity__district=district, status__in=Attendance.ATTENDED
        ).values_list("activity_id", "deputy_id"):
            if deputy_id in people.index:
                came[activity_id].append(people.index[deputy_id])
        for i, pk in found.items():
            held[i] = _Held(pk=pk, day=held[i].day, closed=pk in closed, attended=sorted(came[pk]))
    if not rows:
        return held, []

    Activity.objects.bulk_create(rows, batch_size=500)
    attendances: list[Attendance] = []
    attendance_trails: list[list[Stage]] = []
    for i, activity, invited in zip(planned, rows, invitations, strict=True):
        held[i].pk = activity.pk
        for fields, stages in invited:
            attendances.append(Attendance(activity_id=activity.pk, **fields))
            attendance_trails.append(stages)
    Attendance.objects.bulk_create(attendances, batch_size=500)
    _write_history(Activity, rows, trails, created=True)
    _write_history(Attendance, attendances, attendance_trails, created=False)
    result.created["Activity"] += len(rows)
    result.created["Attendance"] += len(attendances)
    return held, [held[i].day for i in planned if held[i].closed]


def _write_history(
    model: type[M], rows: Sequence[M], trails: Sequence[Sequence[Stage]], *, created: bool
) -> None:
    """The simple_history trail of bulk-inserted rows: one entry per stage, the first a
    creation ("+") when ``created``, the others changes ("~"). Built as historical rows
    directly, as ``bulk_history_create`` would, without an intermediate model per stage."""
    historical = getattr(model, "history").model  # noqa: B009 (unknown to the type checker)
    tracked = [f.attname for f in historical.tracked_fields]
    entries = []
    for row, trail in zip(rows, trails, strict=True):
        current = {name: getattr(row, name) for name in tracked}
        for n, (values, when, user) in enumerate(trail):
            entries.append(
                historical(
                    **(current | values),
                    history_date=when,
                    history_user_id=user.pk if user else None,
                    history_type="+" if created and n == 0 else "~",
                    history_change_reason=None,
                )
            )
    historical.objects.bulk_create(entries, batch_size=500)


def _seed_shifts(
    plan: DemoPlan,
    district: District,
    stations: list[LiaisonStation],
    people: _People,
    result: SeedResult,
    calendar: _Calendar,
) -> None:
    """The reception rota, four weeks back and four ahead; a slot (station, day, period)
    that already has someone on duty is left alone."""
    today = calendar.end
    shifts = ReceptionShift.objects.filter(station__street_committee__district=district)
    result.existing["ReceptionShift"] += shifts.count()
    taken = set(shifts.values_list("station_id", "date", "period"))
    rows: list[ReceptionShift] = []
    for sp in plan.shifts:
        day = calendar.week_day(sp.week, sp.weekday)
        station = stations[sp.station]
        if abs((day - today).days) > SHIFT_WEEKS * 7 or (station.pk, day, sp.period) in taken:
            continue
        taken.add((station.pk, day, sp.period))
        for _k, deputy in people.pick(sp.candidates, sp.size, day, station.street_committee_id):
            rows.append(
                ReceptionShift(
                    station=station, deputy=deputy, date=day, period=sp.period, note=sp.note
                )
            )
    ReceptionShift.objects.bulk_create(rows, batch_size=500)
    result.created["ReceptionShift"] += len(rows)


def _seed_opinions(
    plan: DemoPlan,
    district: District,
    streets: list[StreetCommittee],
    stations: list[LiaisonStation],
    units: list[HandlingUnit],
    people: _People,
    held: dict[int, _Held],
    result: SeedResult,
    calendar: _Calendar,
    moment: dt.datetime,
) -> list[dt.date]:
    """Create the planned opinions not there yet (found by tracking code), each as far along
    as its age allows: received, assigned, replied, closed and rated, or rejected. Returns
    the days of the deputies' opinions created."""
    today = calendar.end
    taken = set(Opinion.objects.values_list("tracking_code", flat=True))
    communities = {
        (c.street_committee_id, c.name): c.pk
        for c in Community.objects.filter(street_committee__district=district)
    }
    Status, Source = Opinion.Status, Opinion.Source
    rows: list[Opinion] = []
    trails: list[list[Stage]] = []
    for op in plan.opinions:
        if op.code in taken:
            result.existing["Opinion"] += 1
            continue
        street = streets[op.street]
        staff = people.street_users[op.street]
        recorder_k: int | None = None
        activity_id = None
        if op.activity is not None:
            activity = held.get(op.activity)
            if activity is None or not activity.closed or not activity.attended:
                continue
            recorder_k = activity.attended[int(op.pick * len(activity.attended))]
            received_on = activity.day
            activity_id = activity.pk
        elif op.offset is not None:
            received_on = today - dt.timedelta(days=op.offset)
            recorder_k = op.recorder
        else:
            received_on = calendar.spread_day(op.spread)
            recorder_k = op.recorder
        recorder = people.active(recorder_k, received_on)
        if op.source == Source.DEPUTY and recorder is None:
            continue
        recorded_by = None
        if op.source == Source.DEPUTY and recorder is not None:
            recorded_by = people.users.get(recorder.pk) or staff  # staff type it in for them
        elif op.source == Source.STAFF:
            recorded_by = staff
        community_id = None
        if op.community is not None:
            name = plan.streets[op.street].communities[op.community].name
            community_id = communities.get((street.pk, name))
        fields: dict[str, Any] = {
            "district_id": district.pk,
            "street_committee_id": street.pk,
            "station_id": stations[op.station].pk if op.station is not None else None,
            "community_id": community_id,
            "activity_id": activity_id,
            "source": op.source,
            "category": op.category,
            "content": op.content,
            "submitter_name": op.submitter_name,
            "submitter_phone": op.submitter_phone,
            "consent": bool(op.submitter_name or op.submitter_phone),
            "recorded_by_deputy_id": recorder.pk
            if op.source == Source.DEPUTY and recorder
            else None,
            "recorded_by_id": recorded_by.pk if recorded_by else None,
            "received_on": received_on,
            "tracking_code": op.code,
            "status": Status.RECEIVED,
            "assigned_deputy_id": None,
            "assigned_unit_id": None,
            "assigned_at": None,
            "reply_deadline": received_on + dt.timedelta(days=Opinion.REPLY_DAYS),
            "reply": "",
            "replied_at": None,
            "replied_by_id": None,
            "rejected_reason": "",
            "closed_at": None,
            "rating": None,
            "rating_comment": "",
            "rated_at": None,
        }
        trail: list[Stage] = [(dict(fields), min(_at(received_on, op.minute), moment), recorded_by)]
        step = _at(received_on + dt.timedelta(days=op.assign_days), op.minutes[0])
        if step <= moment and op.rejected_reason:
            fields |= {
                "status": Status.REJECTED,
                "rejected_reason": op.rejected_reason,
                "closed_at": step,
            }
            trail.append((dict(fields), step, staff))
        elif step <= moment:
            deputy = None
            if op.assignee is not None:
                assignee = recorder_k if op.assignee == -1 else op.assignee
                deputy = people.active(assignee, timezone.localdate(step))
            unit = units[op.unit] if deputy is None and op.unit is not None else None
            fields |= {
                "status": Status.ASSIGNED,
                "assigned_deputy_id": deputy.pk if deputy else None,
                "assigned_unit_id": unit.pk if unit else None,
                "assigned_at": step,
            }
            trail.append((dict(fields), step, staff))
            replied = None
            if op.reply_days is not None:
                replied = _at(
                    received_on + dt.timedelta(days=op.assign_days + op.reply_days),
                    op.minutes[1],
                )
            if replied is not None and replied <= moment:
                if deputy is not None:
                    replier = people.users.get(deputy.pk)
                elif op.unit is not None and op.unit < len(people.unit_users):
                    replier = people.unit_users[op.unit]
                else:
                    replier = None
                replier = replier or staff  # street staff enter a written answer
                fields |= {
                    "status": Status.REPLIED,
                    "reply": op.deputy_reply if deputy is not None else op.reply,
                    "replied_at": replied,
                    "replied_by_id": replier.pk if replier else None,
                }
                trail.append((dict(fields), replied, replier))
                later: list[tuple[dt.datetime, str]] = []
                replied_on = timezone.localdate(replied)
                if op.close_days is not None:
                    when = _at(replied_on + dt.timedelta(days=op.close_days), op.minutes[2])
                    later.append((max(when, replied + dt.timedelta(minutes=30)), "close"))
                if op.rating is not None:
                    when = _at(replied_on + dt.timedelta(days=op.rate_days), op.minutes[3])
                    later.append((max(when, replied + dt.timedelta(hours=1)), "rate"))
                for when, what in sorted(later):
                    if when > moment:
                        break
                    if what == "close":
                        fields |= {"status": Status.CLOSED, "closed_at": when}
                        trail.append((dict(fields), when, staff))
                    else:  # by the resident, with the tracking code: no user
                        fields |= {
                            "rating": op.rating,
                            "rating_comment": op.rating_comment,
                            "rated_at": when,
                        }
                        trail.append((dict(fields), when, None))
        rows.append(Opinion(**fields))
        trails.append(trail)
        taken.add(op.code)

    Opinion.objects.bulk_create(rows, batch_size=500)
    _write_history(Opinion, rows, trails, created=True)
    result.created["Opinion"] += len(rows)
    return [r.received_on for r in rows if r.source == Source.DEPUTY]


def _seed_liaison(
    plan: DemoPlan,
    district: District,
    streets: list[StreetCommittee],
    deputies: list[Deputy | None],
    units: list[HandlingUnit],
    result: SeedResult,
    today: dt.date,
) -> list[dt.date]:
    """Stations, activities, shifts and opinions; returns the days of what was created that
    counts for points (closed activities, deputies' opinions)."""
    calendar = _Calendar(today)
    # Whatever would have happened by now (or by the end of ``today`` when seeding the past).
    moment = min(timezone.now(), _at(today, 23 * 60 + 59))
    stations = _seed_stations(plan, district, streets, result)
    people = _people(plan, district, deputies, len(units))
    held, closed_days = _seed_activities(
        plan, district, streets, stations, people, result, calendar, moment
    )
    _seed_shifts(plan, district, stations, people, result, calendar)
    opinion_days = _seed_opinions(
        plan, district, streets, stations, units, people, held, result, calendar, moment
    )
    return closed_days + opinion_days


def demo_logins() -> list[DemoLogin]:
    """The demo accounts present in the database (``district_admin``, ``streetNN``,
    ``deputyNN``, ``unitNN``) with the shared demo password, role and scope."""
    users = list(
        User.objects.filter(
            Q(username=DISTRICT_ADMIN_USERNAME)
            | Q(username__regex=r"^(street|deputy|unit)[0-9]{2}$")
        ).prefetch_related("roles__district", "roles__street_committee", "roles__handling_unit")
    )
    deputies = {
        d.user_id: d
        for d in Deputy.objects.filter(user__in=users).with_street().select_related("district")
    }
    order = {"district_admin": 0, "street": 1, "deputy": 2, "unit": 3}

    def sort_key(user: User) -> tuple[int, str]:
        return (order.get(user.username.rstrip("0123456789"), 3), user.username)

    logins: list[DemoLogin] = []
    for user in sorted(users, key=sort_key):
        roles = list(user.roles.all())
        deputy = deputies.get(user.pk)
        if deputy is not None:
            role = f"deputy ({deputy.level})"
            street_name = getattr(deputy, "street_name", None)  # annotated by with_street()
            scope = " ".join(filter(None, [deputy.district.name, street_name]))
        elif any(r.role == RoleAssignment.Role.STREET_STAFF for r in roles):
            ra = next(r for r in roles if r.role == RoleAssignment.Role.STREET_STAFF)
            role = f"street staff ({ra.title})" if ra.title else "street staff"
            scope = f"{ra.district.name} {ra.street_committee}"
        elif any(r.role == RoleAssignment.Role.HANDLING_UNIT for r in roles):
            ra = next(r for r in roles if r.role == RoleAssignment.Role.HANDLING_UNIT)
            role = "handling unit"
            scope = ra.handling_unit.name if ra.handling_unit else "-"
        elif any(r.role == RoleAssignment.Role.DISTRICT_STAFF for r in roles):
            ra = next(r for r in roles if r.role == RoleAssignment.Role.DISTRICT_STAFF)
            role = "district staff" + (" + admin site" if user.is_staff else "")
            scope = ra.district.name
        else:
            role, scope = "-", "-"
        logins.append(
            DemoLogin(
                username=user.username,
                password=DEMO_PASSWORD,
                role=role,
                scope=scope,
                full_name=user.full_name,
            )
        )
    return logins


# --- Output -------------------------------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def format_table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A plain-text table that stays aligned with Chinese (double-width) characters."""
    cells = [[str(c) for c in header]] + [[str(c) for c in row] for row in rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(header))]

    def line(row: list[str]) -> str:
        return "  ".join(c + " " * (w - _width(c)) for c, w in zip(row, widths, strict=True))

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]).rstrip(), rule, *(line(r).rstrip() for r in cells[1:])])


def format_logins(logins: Sequence[DemoLogin]) -> str:
    if not logins:
        return "No demo logins found; run `python manage.py seed_demo` first."
    return format_table(
        ("username", "password", "role", "scope", "name"),
        ((x.username, x.password, x.role, x.scope, x.full_name) for x in logins),
    )


def format_summary(result: SeedResult) -> str:
    return format_table(("model", "created", "existing"), result.rows())
