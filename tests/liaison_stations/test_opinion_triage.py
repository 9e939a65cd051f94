"""Opinions inside the system: triage by street staff, answers by deputies and units."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from liaison_stations.models import Opinion
from liaison_stations.services import (
    opinion_assign,
    opinion_record,
    opinion_reject,
    opinion_reply,
    opinion_submit_public,
    opinions_remind_overdue,
)

pytestmark = pytest.mark.django_db


def _public(station, text="小区门口路灯坏了两个月，晚上出行不安全。") -> Opinion:
    return opinion_submit_public(station=station, content=text, category="urban")


def test_street_staff_cannot_touch_another_streets_opinion(world, stations, client):
    theirs = _public(stations.b)
    client.force_login(world.street_a_user)
    assert (
        client.get(reverse("liaison_stations:opinion_detail", args=[theirs.pk])).status_code == 404
    )
    for name, data in (
        ("opinion_assign", {"unit": stations.unit.pk}),
        ("opinion_reply", {"reply": "已处理"}),
        ("opinion_close", {}),
        ("opinion_reject", {"reason": "重复"}),
    ):
        resp = client.post(reverse(f"liaison_stations:{name}", args=[theirs.pk]), data)
        assert resp.status_code == 404, name
    theirs.refresh_from_db()
    assert theirs.status == Opinion.Status.RECEIVED
    body = client.get(reverse("liaison_stations:opinion_list")).content.decode()
    assert theirs.tracking_code not in body


def test_triage_assign_reply_close(world, stations, client):
    opinion = _public(stations.a)
    client.force_login(world.street_a_user)
    resp = client.post(
        reverse("liaison_stations:opinion_assign", args=[opinion.pk]), {"deputy": world.deputy_a.pk}
    )
    assert resp.status_code == 302
    opinion.refresh_from_db()
    assert opinion.status == "assigned" and opinion.assigned_deputy == world.deputy_a
    # The deputy answers on the phone.
    client.force_login(world.deputy_a.user)
    assert "路灯坏了" in client.get(reverse("liaison_stations:my_opinions")).content.decode()
    resp = client.post(
        reverse("liaison_stations:my_opinion_detail", args=[opinion.pk]),
        {"reply": "已联系社区，路灯本周修复。"},
    )
    assert resp.status_code == 302
    opinion.refresh_from_db()
    assert opinion.status == "replied"
    client.force_login(world.street_a_user)
    client.post(reverse("liaison_stations:opinion_close", args=[opinion.pk]))
    opinion.refresh_from_db()
    assert opinion.status == "closed"


def test_handling_unit_sees_and_answers_only_its_own(world, stations, client):
    mine = _public(stations.a)
    other = _public(stations.a, "垃圾清运不及时，夏天气味很大。")
    opinion_assign(opinion=mine, assigned_by=world.street_a_user, unit=stations.unit)
    opinion_assign(opinion=other, assigned_by=world.street_a_user, unit=stations.other_unit)
    client.force_login(stations.unit_user)
    resp = client.get("/", follow=True)
    assert resp.redirect_chain[-1][0] == reverse("liaison_stations:opinion_list")
    body = resp.content.decode()
    assert mine.tracking_code in body and other.tracking_code not in body
    assert (
        client.get(reverse("liaison_stations:opinion_detail", args=[other.pk])).status_code == 404
    )
    resp = client.post(
        reverse("liaison_stations:opinion_reply", args=[mine.pk]), {"reply": "已安排维修。"}
    )
    assert resp.status_code == 302
    assert Opinion.objects.get(pk=mine.pk).status == "replied"
    # A unit cannot triage.
    resp = client.post(reverse("liaison_stations:opinion_reject", args=[mine.pk]), {"reason": "x"})
    assert resp.status_code == 403


def test_reject_needs_a_reason(world, stations):
    opinion = _public(stations.a)
    with pytest.raises(ValidationError):
        opinion_reject(opinion=opinion, reason="  ", rejected_by=world.street_a_user)
    opinion_reject(opinion=opinion, reason="重复反映", rejected_by=world.street_a_user)
    assert Opinion.objects.get(pk=opinion.pk).status == "rejected"


def test_deputy_records_an_opinion_from_the_phone(world, stations, client):
    client.force_login(world.deputy_a.user)
    resp = client.post(
        reverse("liaison_stations:my_opinion_record"),
        {
            "street_committee": world.street_a.pk,
            "category": "traffic",
            "content": "菜场门口早高峰乱停车严重。",
            "received_on": timezone.localdate().isoformat(),
        },
    )
    assert resp.status_code == 302
    opinion = Opinion.objects.get()
    assert opinion.source == "deputy" and opinion.recorded_by_deputy == world.deputy_a
    assert opinion.street_committee == world.street_a


def test_overdue_reminder_goes_to_the_holder_once_a_day(world, stations):
    world.deputy_a.user.email = "zhangsan@example.cn"
    world.deputy_a.user.save()
    late = opinion_record(
        recorded_by=world.street_a_user,
        street_committee=world.street_a,
        content="背街小巷路面破损多处。",
        category="urban",
        received_on=timezone.localdate() - dt.timedelta(days=20),
    )
    opinion_assign(opinion=late, assigned_by=world.street_a_user, deputy=world.deputy_a)
    on_time = _public(stations.a)
    opinion_assign(opinion=on_time, assigned_by=world.street_a_user, deputy=world.deputy_a)
    assert list(Opinion.objects.overdue()) == [late]
    assert opinions_remind_overdue() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["zhangsan@example.cn"]
    assert late.tracking_code in mail.outbox[0].subject
    assert opinions_remind_overdue() == 0
    opinion_reply(opinion=late, reply="已修复", replied_by=world.deputy_a.user)
    assert not Opinion.objects.overdue().exists()


def test_residents_get_a_public_not_found_page(client, db):
    resp = client.get("/o/nosuchcode/")
    assert resp.status_code == 404
    body = resp.content.decode()
    assert "退出登录" not in body and 'href="/o/track/"' in body
