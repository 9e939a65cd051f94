"""Ranking pages: who may see and do what, and fixed query counts."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from congress.periods import Quarter
from deputies.models import DutyType
from deputies.services import duty_record_submit, duty_records_approve
from scoring.models import RankingSnapshot
from tests.factories import make_deputy

pytestmark = pytest.mark.django_db


def _approve(deputy, code="training"):
    record, _ = duty_record_submit(
        deputy=deputy,
        duty_type=DutyType.objects.get(code=code),
        date=timezone.localdate(),
        description="参加学习培训一天",
        client_token=uuid.uuid4(),
    )
    duty_records_approve(records=[record], reviewer=None)


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url)
    assert resp.status_code == 200
    return len(ctx.captured_queries)


def test_ranking_page_queries_do_not_grow_with_deputies(client, world):
    url = reverse("scoring:ranking")
    client.force_login(world.district_user)
    for _ in range(3):
        _approve(make_deputy(street=world.street_a))
    client.get(url)  # computes the live snapshot on first visit
    small = _queries(client, url)
    for _ in range(40):
        _approve(make_deputy(street=world.street_b))
    client.post(reverse("scoring:recompute"))
    assert _queries(client, url) == small


def test_street_staff_see_all_streets_with_their_own_highlighted(client, world):
    _approve(world.deputy_a)
    _approve(world.deputy_b, "report_to_voters")
    client.force_login(world.street_a_user)
    body = client.get(reverse("scoring:ranking")).content.decode()
    assert "张三" in body and "李四" in body
    assert "table-warning" in body
    assert client.post(reverse("scoring:publish")).status_code == 403
    assert client.post(reverse("scoring:recompute")).status_code == 403


def test_deputies_and_units_cannot_open_the_ranking(client, world):
    client.force_login(world.deputy_a.user)
    assert client.get(reverse("scoring:ranking")).status_code == 403


def test_deputy_sees_own_points_but_not_anothers(client, world):
    _approve(world.deputy_a, "report_to_voters")
    call_command(
        "recompute_rankings",
        year=timezone.localdate().year,
        quarter=Quarter.containing(timezone.localdate()).number,
        verbosity=0,
    )
    client.force_login(world.deputy_a.user)
    own = client.get(reverse("scoring:deputy_points", args=[world.deputy_a.pk]))
    assert own.status_code == 200
    assert "5.00" in own.content.decode()
    other = client.get(reverse("scoring:deputy_points", args=[world.deputy_b.pk]))
    assert other.status_code == 404
    home = client.get(reverse("mobile_home")).content.decode()
    assert 'id="my-points"' in home and '<div class="duty-summary-value">5</div>' in home


def test_publish_and_see_changes(client, world):
    _approve(world.deputy_a)
    client.force_login(world.district_user)
    client.get(reverse("scoring:ranking"))
    resp = client.post(reverse("scoring:publish"))
    assert resp.status_code == 302
    assert RankingSnapshot.objects.filter(status="published", version=1).exists()
    _approve(world.deputy_b, "report_to_voters")
    client.post(reverse("scoring:recompute"))
    body = client.get(reverse("scoring:ranking")).content.decode()
    assert 'id="changes"' in body and "李四" in body


def test_adjustments_need_a_reason_and_district_staff(client, world):
    client.force_login(world.street_a_user)
    assert client.get(reverse("scoring:adjustments")).status_code == 403
    client.force_login(world.district_user)
    resp = client.post(
        reverse("scoring:adjustments"),
        {
            "deputy": world.deputy_a.pk,
            "date": timezone.localdate().isoformat(),
            "points": "-2",
            "reason": "",
        },
    )
    assert resp.status_code == 200
    assert "这个字段是必填项" in resp.content.decode() or "请填写" in resp.content.decode()
    resp = client.post(
        reverse("scoring:adjustments"),
        {
            "deputy": world.deputy_a.pk,
            "date": timezone.localdate().isoformat(),
            "points": "-2",
            "reason": "无故缺席集中视察",
        },
    )
    assert resp.status_code == 302


def test_recompute_command_prints_what_it_did(world, capsys):
    _approve(world.deputy_a)
    today = timezone.localdate()
    call_command(
        "recompute_rankings",
        year=today.year,
        quarter=Quarter.containing(today).number,
        district=world.district.code,
    )
    out = capsys.readouterr().out
    assert "ranked deputies" in out and world.district.code in out


def test_downloaded_workbook_equals_the_ranking_page(client, world):
    import io

    from openpyxl import load_workbook

    for i, deputy in enumerate(
        [world.deputy_a, world.deputy_b, *[make_deputy(street=world.street_a) for _ in range(4)]]
    ):
        for _ in range(i % 3 + 1):
            _approve(deputy, "report_to_voters" if i % 2 else "training")
    client.force_login(world.district_user)
    page = client.get(reverse("scoring:ranking"))
    on_page = {
        row.name: (row.rank, row.total, row.is_top, [c for c in row.cells if c is not None])
        for row in page.context["page"].object_list
    }
    columns = [label for _key, label in page.context["columns"]]
    resp = client.get(reverse("scoring:export"))
    assert resp.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(resp.streaming_content)))
    sheet = workbook.worksheets[2]  # every ranked deputy
    header_row = next(
        r for r in sheet.iter_rows(values_only=True) if r and r[0] in ("排名", "Rank")
    )
    header = list(header_row)
    in_file = {}
    for values in sheet.iter_rows(min_row=3, values_only=True):
        if not values or not isinstance(values[0], int):
            continue
        record = dict(zip(header, values, strict=False))
        cells = [Decimal(str(record[c])) for c in columns if record.get(c) not in (None, "")]
        in_file[record["姓名"]] = (record["排名"], Decimal(str(record["总分"])), cells)
    assert set(in_file) == set(on_page)
    for name, (rank, total, _is_top, cells) in on_page.items():
        assert in_file[name][0] == rank
        assert in_file[name][1] == total
        assert in_file[name][2] == cells


def test_level_filter_appears_when_several_levels_are_ranked(client, world):
    from scoring.models import RuleSet

    rule_set = RuleSet.objects.in_force(district=world.district, on=timezone.localdate())
    rule_set.ranked_levels = ["district", "street"]
    rule_set.save()
    make_deputy(street=world.street_a, level="street", name="王议政")
    client.force_login(world.district_user)
    url = reverse("scoring:ranking")
    client.post(reverse("scoring:recompute"))
    body = client.get(url).content.decode()
    assert 'name="level"' in body and "王议政" in body and "张三" in body
    only_street = client.get(f"{url}?level=street").content.decode()
    assert "王议政" in only_street and "张三" not in only_street
    # A level outside the vocabulary is ignored, not an error.
    assert "张三" in client.get(f"{url}?level=bogus").content.decode()


def test_phone_home_says_what_still_counts_this_quarter(client, world):
    _approve(world.deputy_a, "weekly_visit")  # 3 of the 39 a quarter
    call_command(
        "recompute_rankings",
        year=timezone.localdate().year,
        quarter=Quarter.containing(timezone.localdate()).number,
        verbosity=0,
    )
    client.force_login(world.deputy_a.user)
    home = client.get(reverse("mobile_home")).content.decode()
    assert 'id="points-room"' in home
    room = home.split('id="points-room"')[1].split("</div>")[0]
    assert "社区周周行" in room and "36" in room
    assert "社情民意联系日" in room and "9" in room  # nothing logged yet: the whole cap
