"""Demo data: a realistic Chinese district (苏州市姑苏区) for trying the system out.

Two steps, kept apart so the data is a pure function of the arguments:

* :func:`build_plan` draws everything from one ``random.Random(seed)``. It never reads the
  database or the clock, so the same seed and sizes always give the same plan. Dates are
  offsets from the term's start date.
* :func:`seed` writes the plan idempotently, looking every row up by its natural key
  (district code, street code, community name, term number, username, deputy phone), so
  running it again creates nothing new.

``python manage.py seed_demo`` is the thin command around these.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.db.models import Q

from deputies.models import Deputy, StreetMembership
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


@dataclass
class DemoPlan:
    seed: int
    streets: list[StreetPlan]
    deputies: list[DeputyPlan]


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
) -> DemoPlan:
    """The whole demo district as plain data; the same arguments give the same plan."""
    if not 1 <= streets <= MAX_STREETS:
        raise ValueError(f"streets must be between 1 and {MAX_STREETS}")
    if deputies < 0:
        raise ValueError("deputies must not be negative")
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
    return DemoPlan(seed=seed, streets=street_plans, deputies=deputy_plans)


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
) -> SeedResult:
    """Write the demo district. Idempotent: rows found by natural key are kept as they are."""
    plan = build_plan(seed=seed, deputies=deputies, streets=streets)
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
