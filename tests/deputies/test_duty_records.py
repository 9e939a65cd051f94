"""Duty records: the phone form, bad input, idempotence, photos, review and scope."""

from __future__ import annotations

import datetime as dt
import io
import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from deputies.models import DutyPhoto, DutyRecord, DutyType
from deputies.services import duty_record_return, duty_record_submit, duty_records_approve
from tests.factories import make_deputy

pytestmark = pytest.mark.django_db

CREATE = reverse("deputies:duty_create")
DESCRIPTION = "参加钮家巷社区周周行，接待居民12人次，收集加装电梯意见3条。"


def jpeg(name: str = "photo.jpg", size: tuple[int, int] = (2400, 1800), gps: bool = True):
    image = Image.new("RGB", size, (200, 60, 60))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 15"  # Model
    if gps:
        exif[0x8825] = {1: "N", 2: (31.0, 18.0, 30.0), 3: "E", 4: (120.0, 37.0, 12.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def form_data(**overrides):
    data = {
        "duty_type": DutyType.objects.get(code="weekly_visit").pk,
        "date": timezone.localdate().isoformat(),
        "place": "钮家巷社区",
        "description": DESCRIPTION,
        "client_token": str(uuid.uuid4()),
        "kept_photos": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def deputy_client(client, world):
    client.force_login(world.deputy_a.user)
    return client


def test_deputy_logs_a_duty_with_a_photo_and_sees_it_pending(deputy_client, world):
    resp = deputy_client.post(CREATE, {**form_data(), "photos": [jpeg()]})
    assert resp.status_code == 302
    record = DutyRecord.objects.get()
    assert record.deputy == world.deputy_a
    assert record.status == DutyRecord.Status.SUBMITTED
    assert record.photos.count() == 1
    page = deputy_client.get(reverse("deputies:my_duties")).content.decode()
    assert "待审核" in page
    assert "社区周周行" in page


def test_stored_photo_is_shrunk_and_has_no_exif(deputy_client, world):
    deputy_client.post(CREATE, {**form_data(), "photos": [jpeg(size=(4000, 3000))]})
    photo = DutyPhoto.objects.get()
    with photo.image.open("rb") as f, Image.open(f) as stored:
        assert max(stored.size) == 1600
        assert stored.format == "JPEG"
        assert len(stored.getexif()) == 0
        assert "exif" not in stored.info
    with photo.thumbnail.open("rb") as f, Image.open(f) as thumb:
        assert max(thumb.size) == 400


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"date": (timezone.localdate() + dt.timedelta(days=1)).isoformat()}, "不能是将来"),
        ({"date": "2020-01-01"}, "早于您的任期"),
        ({"date": "not-a-date"}, "YYYY-MM-DD"),
        ({"description": "   "}, "请填写做了什么"),
        ({"description": "好"}, "至少 5 个字"),
        ({"description": "visited"}, "至少 5 个字"),
        ({"duty_type": ""}, "请选择履职类型"),
    ],
)
def test_bad_input_gets_a_message_and_keeps_what_was_typed(deputy_client, overrides, message):
    data = form_data(place="平江路联络站", **overrides)
    resp = deputy_client.post(CREATE, data)
    assert resp.status_code == 400
    body = resp.content.decode()
    assert message in body
    assert "平江路联络站" in body
    if overrides.get("description", DESCRIPTION).strip() and "description" not in overrides:
        assert DESCRIPTION in body
    assert DutyRecord.objects.count() == 0


def test_a_file_that_is_not_an_image_is_refused_by_its_content(deputy_client):
    fake = SimpleUploadedFile("holiday.jpg", b"%PDF-1.4 not really a photo", "image/jpeg")
    resp = deputy_client.post(CREATE, {**form_data(), "photos": [fake]})
    assert resp.status_code == 400
    assert "不是可以识别的图片" in resp.content.decode()
    assert DESCRIPTION in resp.content.decode()
    assert DutyRecord.objects.count() == 0
    assert DutyPhoto.objects.count() == 0


def test_more_than_three_photos_is_refused(deputy_client):
    photos = [jpeg(f"p{i}.jpg", size=(64, 48)) for i in range(4)]
    resp = deputy_client.post(CREATE, {**form_data(), "photos": photos})
    assert resp.status_code == 400
    assert "最多 3 张照片" in resp.content.decode()
    assert DutyRecord.objects.count() == 0
    assert DutyPhoto.objects.count() == 0


def test_a_photo_over_10_mb_is_refused(deputy_client):
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (10 * 1024 * 1024 + 10), "image/jpeg")
    resp = deputy_client.post(CREATE, {**form_data(), "photos": [big]})
    assert resp.status_code == 400
    assert "超过 10 MB" in resp.content.decode()
    assert DutyRecord.objects.count() == 0


def test_double_tap_creates_one_record(deputy_client):
    data = form_data()
    first = deputy_client.post(CREATE, data)
    second = deputy_client.post(CREATE, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert DutyRecord.objects.count() == 1


def test_photo_from_a_failed_attempt_is_kept_for_the_next(deputy_client):
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    data = form_data(date=future)
    resp = deputy_client.post(CREATE, {**data, "photos": [jpeg()]})
    assert resp.status_code == 400
    photo = DutyPhoto.objects.get()
    assert photo.record is None
    body = resp.content.decode()
    assert f'value="{photo.pk}"' in body
    assert reverse("deputies:duty_photo", args=[photo.pk, "thumb"]) in body
    # The deputy fixes the date; the photo comes along without being chosen again.
    resp = deputy_client.post(
        CREATE, {**data, "date": timezone.localdate().isoformat(), "kept_photos": str(photo.pk)}
    )
    assert resp.status_code == 302
    record = DutyRecord.objects.get()
    assert list(record.photos.all()) == [photo]


def test_remembers_last_type_and_defaults_date_to_today(deputy_client, world):
    training = DutyType.objects.get(code="training")
    duty_record_submit(
        deputy=world.deputy_a,
        duty_type=training,
        date=timezone.localdate(),
        description=DESCRIPTION,
        client_token=uuid.uuid4(),
    )
    body = deputy_client.get(CREATE).content.decode()
    assert re.search(rf'value="{training.pk}"[^>]*\bchecked\b', body)
    assert f'value="{timezone.localdate().isoformat()}"' in body


def test_withdraw_then_resubmit_and_approved_is_read_only(deputy_client, world):
    record, _ = duty_record_submit(
        deputy=world.deputy_a,
        duty_type=DutyType.objects.get(code="training"),
        date=timezone.localdate(),
        description=DESCRIPTION,
        client_token=uuid.uuid4(),
    )
    resp = deputy_client.post(reverse("deputies:duty_withdraw", args=[record.pk]))
    assert resp.status_code == 302
    record.refresh_from_db()
    assert record.status == DutyRecord.Status.WITHDRAWN
    resp = deputy_client.post(
        reverse("deputies:duty_edit", args=[record.pk]),
        form_data(client_token=str(record.client_token), description="更正后的描述：参加培训半天"),
    )
    assert resp.status_code == 302
    record.refresh_from_db()
    assert record.status == DutyRecord.Status.SUBMITTED
    duty_records_approve(records=[record], reviewer=world.street_a_user)
    resp = deputy_client.post(
        reverse("deputies:duty_edit", args=[record.pk]), form_data(description="再改一次描述内容")
    )
    assert resp.status_code == 302
    record.refresh_from_db()
    assert record.status == DutyRecord.Status.APPROVED
    assert record.description == "更正后的描述：参加培训半天"
    assert record.history.count() >= 4


def test_returned_record_shows_reason_and_can_be_resubmitted(deputy_client, world):
    record, _ = duty_record_submit(
        deputy=world.deputy_a,
        duty_type=DutyType.objects.get(code="weekly_visit"),
        date=timezone.localdate(),
        description=DESCRIPTION,
        client_token=uuid.uuid4(),
    )
    duty_record_return(record=record, reviewer=world.street_a_user, reason="请补充接待人数")
    body = deputy_client.get(reverse("deputies:my_duties")).content.decode()
    assert "请补充接待人数" in body
    resp = deputy_client.post(
        reverse("deputies:duty_edit", args=[record.pk]),
        form_data(client_token=str(record.client_token)),
    )
    assert resp.status_code == 302
    record.refresh_from_db()
    assert record.status == DutyRecord.Status.SUBMITTED
    assert record.return_reason == ""


# --- Scope ------------------------------------------------------------------------------


def _record_for(deputy, **kwargs):
    record, _ = duty_record_submit(
        deputy=deputy,
        duty_type=DutyType.objects.get(code="contact_day"),
        date=timezone.localdate(),
        description=DESCRIPTION,
        client_token=uuid.uuid4(),
        **kwargs,
    )
    return record


def test_deputy_gets_404_on_another_deputys_record_and_photo(deputy_client, world):
    from django.test import Client

    client = Client()
    other = _record_for(world.deputy_b)
    assert deputy_client.get(reverse("deputies:my_duty_detail", args=[other.pk])).status_code == 404
    assert deputy_client.get(reverse("deputies:duty_edit", args=[other.pk])).status_code == 404
    assert deputy_client.post(reverse("deputies:duty_withdraw", args=[other.pk])).status_code == 404
    client.force_login(world.deputy_b.user)
    client.post(CREATE, {**form_data(), "photos": [jpeg(size=(64, 48))]})
    photo = DutyPhoto.objects.get(deputy=world.deputy_b)
    url = reverse("deputies:duty_photo", args=[photo.pk, "full"])
    assert deputy_client.get(url).status_code == 404
    assert client.get(url).status_code == 200


def test_street_staff_get_404_on_another_streets_record(client, world):
    other = _record_for(world.deputy_b)
    client.force_login(world.street_a_user)
    resp = client.post(reverse("deputies:duty_return", args=[other.pk]), {"reason": "不行"})
    assert resp.status_code == 404
    resp = client.post(reverse("deputies:duty_review"), {"ids": [other.pk]})
    assert resp.status_code == 404
    other.refresh_from_db()
    assert other.status == DutyRecord.Status.SUBMITTED
    # Mixing an own-street id with a foreign one changes nothing either.
    own = _record_for(world.deputy_a)
    resp = client.post(reverse("deputies:duty_review"), {"ids": [own.pk, other.pk]})
    assert resp.status_code == 404
    own.refresh_from_db()
    assert own.status == DutyRecord.Status.SUBMITTED
    body = client.get(reverse("deputies:duty_review")).content.decode()
    assert world.deputy_a.name in body and world.deputy_b.name not in body


def test_street_staff_batch_approve_and_return(client, world):
    records = [_record_for(world.deputy_a) for _ in range(3)]
    client.force_login(world.street_a_user)
    resp = client.post(reverse("deputies:duty_review"), {"ids": [r.pk for r in records[:2]]})
    assert resp.status_code == 302
    statuses = [DutyRecord.objects.get(pk=r.pk).status for r in records]
    assert statuses == ["approved", "approved", "submitted"]
    resp = client.post(reverse("deputies:duty_return", args=[records[2].pk]), {"reason": " "})
    assert DutyRecord.objects.get(pk=records[2].pk).status == "submitted"
    client.post(reverse("deputies:duty_return", args=[records[2].pk]), {"reason": "照片不清楚"})
    returned = DutyRecord.objects.get(pk=records[2].pk)
    assert returned.status == "returned"
    assert returned.return_reason == "照片不清楚"
    assert returned.reviewed_by == world.street_a_user


def test_deputy_cannot_review(deputy_client, world):
    record = _record_for(world.deputy_b)
    assert deputy_client.get(reverse("deputies:duty_review")).status_code == 403
    assert (
        deputy_client.post(reverse("deputies:duty_review"), {"ids": [record.pk]}).status_code == 403
    )
    own = _record_for(world.deputy_a)
    assert deputy_client.post(reverse("deputies:duty_review"), {"ids": [own.pk]}).status_code == 403
    own.refresh_from_db()
    assert own.status == DutyRecord.Status.SUBMITTED


def test_district_staff_see_every_streets_queue(client, world):
    _record_for(world.deputy_a)
    _record_for(world.deputy_b)
    _record_for(world.deputy_other)
    client.force_login(world.district_user)
    body = client.get(reverse("deputies:duty_review")).content.decode()
    assert world.deputy_a.name in body and world.deputy_b.name in body
    assert world.deputy_other.name not in body
    body = client.get(reverse("deputies:duty_review"), {"street": world.street_b.pk}).content
    assert world.deputy_a.name not in body.decode()


# --- Query counts -----------------------------------------------------------------------


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _many(deputy, n: int) -> None:
    for i in range(n):
        record = _record_for(deputy)
        DutyRecord.objects.filter(pk=record.pk).update(
            date=timezone.localdate() - dt.timedelta(days=i * 9)
        )


def test_review_queue_and_record_list_queries_do_not_grow(client, world):
    _many(world.deputy_a, 2)
    client.force_login(world.street_a_user)
    urls = [reverse("deputies:duty_review"), reverse("deputies:duty_list")]
    small = [_queries(client, u) for u in urls]
    for _ in range(4):
        _many(make_deputy(street=world.street_a), 5)
    big = [_queries(client, u) for u in urls]
    assert big == small


def test_my_duties_queries_do_not_grow(deputy_client, world):
    _many(world.deputy_a, 2)
    url = reverse("deputies:my_duties")
    small = _queries(deputy_client, url)
    _many(world.deputy_a, 30)
    assert _queries(deputy_client, url) == small


# --- Export -----------------------------------------------------------------------------


def test_export_matches_the_filtered_list(client, world):
    from openpyxl import load_workbook

    _many(world.deputy_a, 4)
    _many(world.deputy_b, 3)
    approved = DutyRecord.objects.filter(deputy=world.deputy_b).first()
    duty_records_approve(records=[approved], reviewer=world.district_user)
    client.force_login(world.district_user)
    resp = client.get(reverse("deputies:duty_export"), {"street": world.street_a.pk})
    assert resp.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(resp.streaming_content)))
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 4
    assert {r[1] for r in rows} == {world.deputy_a.name}
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref
    resp = client.get(reverse("deputies:duty_export"), {"status": "approved"})
    rows = list(
        load_workbook(io.BytesIO(b"".join(resp.streaming_content)))
        .worksheets[0]
        .iter_rows(min_row=3, values_only=True)
    )
    assert [(r[1], r[7]) for r in rows] == [(world.deputy_b.name, "已通过")]


def test_dashboard_counts_this_quarter_by_state_and_street(client, world):
    a1, a2 = _record_for(world.deputy_a), _record_for(world.deputy_a)
    _record_for(world.deputy_b)
    duty_records_approve(records=[a1], reviewer=world.district_user)
    duty_record_return(record=a2, reviewer=world.district_user, reason="补充")
    client.force_login(world.district_user)
    resp = client.get(reverse("dashboard"))
    assert resp.context["duty_totals"]["approved"] == 1
    assert resp.context["duty_totals"]["returned"] == 1
    assert resp.context["duty_totals"]["submitted"] == 1
    by_street = {row["street"].name: row["duties"] for row in resp.context["rows"]}
    assert by_street["平江街道"]["total"] == 2
    assert by_street["沧浪街道"]["total"] == 1


def test_orphan_photos_are_purged_by_the_task(deputy_client, world):
    from deputies.tasks import duty_photos_purge_orphans

    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    deputy_client.post(CREATE, {**form_data(date=future), "photos": [jpeg(size=(64, 48))]})
    deputy_client.post(CREATE, {**form_data(), "photos": [jpeg(size=(64, 48))]})
    assert DutyPhoto.objects.count() == 2
    DutyPhoto.objects.update(created_at=timezone.now() - dt.timedelta(days=3))
    assert duty_photos_purge_orphans.apply().get() == 1
    assert DutyPhoto.objects.get().record is not None
