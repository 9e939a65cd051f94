"""Demo data: a realistic Chinese district (苏州市姑苏区) for trying the system out.

Two steps, kept apart so the data is a pure function of the arguments:

* :func:`build_plan` draws everything from one ``random.Random(seed)``. It never reads the
  database or the clock, so the same seed and sizes always give the same plan. Dates are
  offsets from the term's start date.
* :func:`seed` writes the plan idempotently, looking every row up by its natural key
  (district code, street code, community name, term number, username, deputy phone, duty
  record client token), so running it again creates nothing new.

Duty records (履职登记) cover the twelve months ending today. The plan draws them without
knowing today: weeks or months back, a position in the year, texts and review outcomes. Only
:class:`_Calendar`, at write time, turns those draws into dates (Thursdays for 社区周周行, the
15th for 社情民意联系日, the January session), so the same seed on the same day always gives
the same records, and the same draws on any day.

``python manage.py seed_demo`` is the thin command around these.
"""

# Chinese text is written with full-width commas and colons, which are not typos here.

from __future__ import annotations

import bisect
import colorsys
import datetime as dt
import io
import itertools
import random
import unicodedata
import uuid
from collections import Counter
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

from .models import (
    Community,
    CongressSession,
    District,
    RoleAssignment,
    StreetCommittee,
    StreetCommitteePost,
    Term,
    User,
)
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


RGB = tuple[int, int, int]


@dataclass
class DemoPlan:
    seed: int
    streets: list[StreetPlan]
    deputies: list[DeputyPlan]
    records: list[RecordPlan] = field(default_factory=list)
    review_weekdays: list[int] = field(default_factory=list)  # per street, Monday = 0
    photo_palette: list[tuple[RGB, RGB, bool]] = field(default_factory=list)


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
    _seed_users(plan, district, street_rows, secretary_posts, deputy_rows, result)
    _seed_duty_records(plan, district, deputy_rows, result, today or timezone.localdate())
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


def _at(day: dt.date, minute: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(minute // 60, minute % 60)))


def _seed_duty_records(
    plan: DemoPlan,
    district: District,
    deputies: list[Deputy | None],
    result: SeedResult,
    today: dt.date,
) -> None:
    """Create the planned duty records not there yet, with their review history.

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
        return
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


def demo_logins() -> list[DemoLogin]:
    """The demo accounts present in the database (``district_admin``, ``streetNN``,
    ``deputyNN``) with the shared demo password, role and scope."""
    users = list(
        User.objects.filter(
            Q(username=DISTRICT_ADMIN_USERNAME) | Q(username__regex=r"^(street|deputy)[0-9]{2}$")
        ).prefetch_related("roles__district", "roles__street_committee")
    )
    deputies = {
        d.user_id: d
        for d in Deputy.objects.filter(user__in=users).with_street().select_related("district")
    }
    order = {"district_admin": 0, "street": 1, "deputy": 2}

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
