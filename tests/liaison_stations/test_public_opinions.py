"""Residents' opinions without an account: the QR form, the tracking code, the status page,
the rating, the honeypot and the rate limits."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse
from PIL import ExifTags, Image

from congress.models import Community
from deputies.photos import MAX_UPLOAD_BYTES
from liaison_stations import ratelimit
from liaison_stations.models import LiaisonStation, Opinion
from liaison_stations.services import (
    opinion_assign,
    opinion_close,
    opinion_reject,
    opinion_reply,
    opinion_submit_public,
    station_save,
)
from tests.conftest import World
from tests.factories import CommunityFactory

pytestmark = pytest.mark.django_db

CONTENT = "平江路42号门口的路灯坏了一个星期，晚上老人出门很不安全。"
TRACK = reverse("public:opinion_track")


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def community(world: World) -> Community:
    return CommunityFactory.create(street_committee=world.street_a, name="钮家巷社区")


@pytest.fixture
def station(world: World, community: Community) -> LiaisonStation:
    return station_save(
        street_committee=world.street_a,
        community=community,
        kind=LiaisonStation.Kind.STATION,
        name="平江街道代表联络站",
        address="平江路100号",
        opening_hours="每周四 9:00–11:30",
    )


@pytest.fixture
def en(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def form_url(station: LiaisonStation) -> str:
    return reverse("public:opinion_form", args=[station.public_code])


def status_url(opinion: Opinion) -> str:
    return reverse("public:opinion_status", args=[opinion.tracking_code])


def opinion_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"content": CONTENT, "category": "urban", "website": ""}
    data.update(overrides)
    return data


def jpeg_with_gps() -> SimpleUploadedFile:
    image = Image.new("RGB", (800, 600), (40, 120, 200))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.GPSInfo] = {1: "N", 2: (31.0, 18.0, 30.0), 3: "E", 4: (120.0, 37.0, 12.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile("IMG_0001.jpg", out.getvalue(), content_type="image/jpeg")


def submit(station: LiaisonStation, **fields: Any) -> Opinion:
    fields.setdefault("content", CONTENT)
    fields.setdefault("category", Opinion.Category.URBAN)
    return opinion_submit_public(station=station, **fields)


# --- The form ---------------------------------------------------------------------------


def test_form_offers_only_this_streets_communities_and_explains_consent(
    en: Client, world: World, station: LiaisonStation, community: Community
) -> None:
    CommunityFactory.create(street_committee=world.street_b, name="南门社区")
    resp = en.get(form_url(station))
    assert resp.status_code == 200
    page = resp.content.decode()
    assert station.name in page
    assert "钮家巷社区" in page
    assert "南门社区" not in page
    # The station's own community is chosen by default.
    assert re.search(rf'<option value="{community.pk}" selected>', page)
    assert 'inputmode="tel"' in page
    assert 'accept="image/*"' in page
    assert re.search(r'<input[^>]*name="website"[^>]*tabindex="-1"', page)
    assert "only to contact me about this matter" in page
    assert "not published and not shared" in page


def test_form_is_in_chinese_by_default(client: Client, station: LiaisonStation) -> None:
    resp = client.get(form_url(station))
    assert resp.status_code == 200
    assert resp["Content-Language"] == "zh-hans"


def test_submit_creates_a_resident_opinion_and_shows_the_tracking_code(
    en: Client, world: World, station: LiaisonStation, community: Community
) -> None:
    resp = en.post(form_url(station), opinion_data(category="traffic"))
    assert resp.status_code == 302
    opinion = Opinion.objects.get()
    assert opinion.source == Opinion.Source.RESIDENT
    assert opinion.street_committee == world.street_a
    assert opinion.district == world.district
    assert opinion.station == station
    assert opinion.community == community
    assert opinion.category == "traffic"
    assert opinion.status == Opinion.Status.RECEIVED
    assert resp["Location"] == reverse(
        "public:opinion_thanks", args=[station.public_code, opinion.tracking_code]
    )
    thanks = en.get(resp["Location"])
    assert thanks.status_code == 200
    page = thanks.content.decode()
    assert "Your opinion has been received" in page
    assert f'data-code="{opinion.tracking_code}"' in page
    assert status_url(opinion) in page
    assert "take a screenshot" in page


def test_thanks_page_only_for_the_stations_own_opinion(
    client: Client, world: World, station: LiaisonStation
) -> None:
    other = station_save(
        street_committee=world.street_b, kind="point", name="沧浪联系点", address="沧浪路1号"
    )
    opinion = submit(station)
    wrong = reverse("public:opinion_thanks", args=[other.public_code, opinion.tracking_code])
    assert client.get(wrong).status_code == 404
    unknown = reverse("public:opinion_thanks", args=[station.public_code, "ABCDEFGHJK"])
    assert client.get(unknown).status_code == 404


def test_resident_chooses_another_community_of_the_street(
    client: Client, world: World, station: LiaisonStation
) -> None:
    other = CommunityFactory.create(street_committee=world.street_a, name="大儒巷社区")
    assert client.post(form_url(station), opinion_data(community=other.pk)).status_code == 302
    assert Opinion.objects.get().community == other


def test_community_of_another_street_is_refused(
    en: Client, world: World, station: LiaisonStation
) -> None:
    foreign = CommunityFactory.create(street_committee=world.street_b, name="南门社区")
    resp = en.post(form_url(station), opinion_data(community=foreign.pk))
    assert resp.status_code == 400
    assert "Choose a community of this street." in resp.content.decode()
    assert not Opinion.objects.exists()


def test_name_and_phone_with_consent_are_stored(client: Client, station: LiaisonStation) -> None:
    resp = client.post(
        form_url(station),
        opinion_data(name="王小明", phone="138 0000 1111", consent="on"),
    )
    assert resp.status_code == 302
    opinion = Opinion.objects.get()
    assert (opinion.submitter_name, opinion.submitter_phone) == ("王小明", "13800001111")
    assert opinion.consent is True


def test_inactive_or_unknown_station_is_not_found(client: Client, station: LiaisonStation) -> None:
    station_save(station=station, is_active=False)
    assert client.get(form_url(station)).status_code == 404
    assert client.post(form_url(station), opinion_data()).status_code == 404
    assert client.get(reverse("public:opinion_form", args=["zzzzzzzz"])).status_code == 404
    assert not Opinion.objects.exists()


# --- Refusals keep what was typed ---------------------------------------------------------


def test_honeypot_is_refused_and_nothing_is_created(en: Client, station: LiaisonStation) -> None:
    resp = en.post(form_url(station), opinion_data(website="http://cheap-pills.example"))
    assert resp.status_code == 400
    page = resp.content.decode()
    assert "could not be accepted" in page
    assert CONTENT in page
    # The trap is rendered empty again, so a person whose browser filled it can resend.
    assert "cheap-pills" not in page
    assert not Opinion.objects.exists()


def test_errors_keep_everything_typed(en: Client, world: World, station: LiaisonStation) -> None:
    other = CommunityFactory.create(street_committee=world.street_a, name="大儒巷社区")
    resp = en.post(
        form_url(station),
        opinion_data(
            content="灯坏了",
            category="elderly",
            community=other.pk,
            name="王小明",
            phone="13800001111",
            consent="on",
        ),
    )
    assert resp.status_code == 400
    page = resp.content.decode()
    assert "at least 5 characters" in page
    assert re.search(r">\s*灯坏了</textarea>", page)
    assert re.search(r'value="elderly" checked', page)
    assert re.search(rf'<option value="{other.pk}" selected>', page)
    assert 'value="王小明"' in page
    assert 'value="13800001111"' in page
    assert re.search(r'name="consent" id="id_consent" checked', page)
    assert "Everything you typed has been kept" in page
    assert not Opinion.objects.exists()


def test_missing_category_keeps_the_long_text(en: Client, station: LiaisonStation) -> None:
    resp = en.post(form_url(station), opinion_data(category=""))
    assert resp.status_code == 400
    page = resp.content.decode()
    assert "Choose what the matter is about." in page
    assert CONTENT in page


def test_whitespace_only_content_is_refused(en: Client, station: LiaisonStation) -> None:
    resp = en.post(form_url(station), opinion_data(content="   \n\t  "))
    assert resp.status_code == 400
    assert "at least 5 characters" in resp.content.decode()
    assert not Opinion.objects.exists()


def test_phone_without_consent_is_refused(en: Client, station: LiaisonStation) -> None:
    resp = en.post(form_url(station), opinion_data(name="王小明", phone="13800001111"))
    assert resp.status_code == 400
    page = resp.content.decode()
    assert "tick the box to agree we may use it" in page
    assert CONTENT in page
    assert 'value="13800001111"' in page
    assert not Opinion.objects.exists()


def test_bad_phone_number_is_explained(en: Client, station: LiaisonStation) -> None:
    resp = en.post(form_url(station), opinion_data(phone="12345", consent="on"))
    assert resp.status_code == 400
    assert "11-digit mobile number" in resp.content.decode()


def test_user_input_is_escaped(en: Client, station: LiaisonStation) -> None:
    evil = '<script>alert("x")</script> 路灯坏了很久'
    resp = en.post(form_url(station), opinion_data(content=evil, phone="1", consent="on"))
    assert resp.status_code == 400
    assert "<script>alert" not in resp.content.decode()
    opinion = submit(station, content=evil + "\n第二行")
    page = en.get(status_url(opinion)).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page
    assert "<br>第二行" in page


# --- Photos -----------------------------------------------------------------------------


def test_text_disguised_as_jpeg_is_refused(en: Client, station: LiaisonStation) -> None:
    fake = SimpleUploadedFile("photo.jpg", b"just some text, no picture", content_type="image/jpeg")
    resp = en.post(form_url(station), {**opinion_data(), "photo": fake})
    assert resp.status_code == 400
    page = resp.content.decode()
    assert "is not a picture we can read" in page
    assert "Please choose it again" in page
    assert CONTENT in page
    assert not Opinion.objects.exists()


def test_photo_over_10_mb_is_refused_before_decoding(en: Client, station: LiaisonStation) -> None:
    big = SimpleUploadedFile("big.jpg", b"\xff" * (MAX_UPLOAD_BYTES + 1), content_type="image/jpeg")
    resp = en.post(form_url(station), {**opinion_data(), "photo": big})
    assert resp.status_code == 400
    assert "larger than 10 MB" in resp.content.decode()
    assert not Opinion.objects.exists()


def test_photo_is_stored_without_exif(client: Client, station: LiaisonStation) -> None:
    upload = jpeg_with_gps()
    with Image.open(io.BytesIO(upload.read())) as original:
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test photo has GPS
    upload.seek(0)
    resp = client.post(form_url(station), {**opinion_data(), "photo": upload})
    assert resp.status_code == 302
    opinion = Opinion.objects.get()
    assert opinion.photo
    with opinion.photo.open("rb") as f, Image.open(f) as stored:
        assert stored.format == "JPEG"
        assert len(stored.getexif()) == 0
        assert "exif" not in stored.info


# --- Rate limits --------------------------------------------------------------------------


def test_sixth_opinion_from_one_address_within_the_hour_is_refused(
    en: Client, station: LiaisonStation
) -> None:
    for _ in range(5):
        resp = en.post(form_url(station), opinion_data(), REMOTE_ADDR="203.0.113.7")
        assert resp.status_code == 302
    resp = en.post(
        form_url(station), opinion_data(name="王小明", consent="on"), REMOTE_ADDR="203.0.113.7"
    )
    assert resp.status_code == 429
    page = resp.content.decode()
    assert "Too many opinions" in page
    assert CONTENT in page
    assert 'value="王小明"' in page
    assert Opinion.objects.count() == 5
    other = en.post(form_url(station), opinion_data(), REMOTE_ADDR="198.51.100.20")
    assert other.status_code == 302
    assert Opinion.objects.count() == 6


def test_failed_attempts_do_not_use_up_the_opinion_limit(
    client: Client, station: LiaisonStation
) -> None:
    for _ in range(6):
        assert client.post(form_url(station), opinion_data(content="短")).status_code == 400
    assert client.post(form_url(station), opinion_data()).status_code == 302


def test_attempts_are_limited_too(client: Client, station: LiaisonStation) -> None:
    for _ in range(ratelimit.OPINION_ATTEMPT.max_hits):
        assert client.post(form_url(station), opinion_data(content="短")).status_code == 400
    assert client.post(form_url(station), opinion_data()).status_code == 429
    assert not Opinion.objects.exists()


def test_limit_resets_in_the_next_window(
    rf: RequestFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    limit = ratelimit.Limit("test", 2, 60)
    request = rf.get("/", REMOTE_ADDR="192.0.2.1")
    monkeypatch.setattr(ratelimit.time, "time", lambda: 6000.0)
    assert ratelimit.hit(request, limit)
    assert ratelimit.hit(request, limit)
    assert ratelimit.is_limited(request, limit)
    assert not ratelimit.hit(request, limit)
    assert not ratelimit.is_limited(rf.get("/", REMOTE_ADDR="192.0.2.2"), limit)
    monkeypatch.setattr(ratelimit.time, "time", lambda: 6060.0)
    assert not ratelimit.is_limited(request, limit)
    assert ratelimit.hit(request, limit)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "1.1.1.1", "10.0.0.9"),  # no proxy configured: the header is the client's lie
        (1, "", "10.0.0.9"),  # nothing forwarded
        (1, "1.1.1.1", "1.1.1.1"),
        (1, "6.6.6.6, 1.1.1.1", "1.1.1.1"),  # spoofed entries on the left are ignored
        (2, "6.6.6.6, 1.1.1.1, 172.16.0.2", "1.1.1.1"),
        (2, "1.1.1.1", "10.0.0.9"),  # fewer entries than proxies
        (1, "6.6.6.6, not-an-ip", "10.0.0.9"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address_behind_proxies(
    rf: RequestFactory, settings: Any, proxies: int, forwarded: str, expected: str
) -> None:
    settings.AXES_IPWARE_PROXY_COUNT = proxies
    meta: dict[str, Any] = {"REMOTE_ADDR": "10.0.0.9"}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    request = rf.get("/", **meta)
    assert ratelimit.client_address(request) == expected


def test_behind_a_proxy_each_resident_is_counted_apart(
    client: Client, settings: Any, station: LiaisonStation
) -> None:
    settings.AXES_IPWARE_PROXY_COUNT = 1
    proxy: dict[str, Any] = {"REMOTE_ADDR": "172.16.0.2"}
    for _ in range(5):
        resp = client.post(
            form_url(station), opinion_data(), HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy
        )
        assert resp.status_code == 302
    spoofed = client.post(
        form_url(station),
        opinion_data(),
        HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.7",
        **proxy,
    )
    assert spoofed.status_code == 429
    other = client.post(
        form_url(station), opinion_data(), HTTP_X_FORWARDED_FOR="198.51.100.20", **proxy
    )
    assert other.status_code == 302


def test_tracking_lookups_are_limited(en: Client, station: LiaisonStation) -> None:
    opinion = submit(station)
    for _ in range(ratelimit.TRACKING_LOOKUP.max_hits):
        en.post(TRACK, {"code": "ZZZZZZZZZZ"}, REMOTE_ADDR="203.0.113.7")
    resp = en.post(TRACK, {"code": opinion.tracking_code}, REMOTE_ADDR="203.0.113.7")
    assert resp.status_code == 429
    page = resp.content.decode()
    assert "Too many lookups" in page
    assert opinion.tracking_code in page  # what was typed is still in the box
    assert en.get(status_url(opinion), REMOTE_ADDR="203.0.113.7").status_code == 429
    other = en.post(TRACK, {"code": opinion.tracking_code}, REMOTE_ADDR="198.51.100.20")
    assert other.status_code == 302


def test_guessing_codes_on_the_status_page_is_limited(
    client: Client, station: LiaisonStation
) -> None:
    opinion = submit(station)
    # Opening one's own page again and again is free.
    for _ in range(ratelimit.TRACKING_LOOKUP.max_hits + 5):
        assert client.get(status_url(opinion)).status_code == 200
    for i in range(ratelimit.TRACKING_LOOKUP.max_hits):
        guess = reverse("public:opinion_status", args=[f"ABCDEFGH{i:02d}"])
        assert client.get(guess).status_code == 404
    assert client.get(status_url(opinion)).status_code == 429


# --- Tracking and status ------------------------------------------------------------------


def test_track_form_accepts_sloppy_codes(client: Client, station: LiaisonStation) -> None:
    opinion = submit(station)
    code = opinion.tracking_code
    sloppy = f" {code[:5].lower()}-{code[5:]} "
    resp = client.post(TRACK, {"code": sloppy})
    assert resp.status_code == 302
    assert resp["Location"] == status_url(opinion)


def test_unknown_code_is_not_found_and_kept_in_the_box(en: Client) -> None:
    assert en.get(TRACK).status_code == 200
    resp = en.post(TRACK, {"code": "wxyz-23456"})
    assert resp.status_code == 404
    page = resp.content.decode()
    assert "No opinion was found" in page
    assert 'value="wxyz-23456"' in page


def test_empty_code_asks_for_one(en: Client) -> None:
    resp = en.post(TRACK, {"code": " - "})
    assert resp.status_code == 400
    assert "Enter the tracking code" in resp.content.decode()


def test_status_shows_progress_and_reply_but_not_who(
    en: Client, world: World, station: LiaisonStation
) -> None:
    opinion = submit(station, submitter_name="王小明", submitter_phone="13800001111", consent=True)
    page = en.get(status_url(opinion)).content.decode()
    assert "Received" in page
    assert "congress working committee will pass it on" in page

    opinion_assign(opinion=opinion, assigned_by=world.street_a_user, deputy=world.deputy_a)
    page = en.get(status_url(opinion)).content.decode()
    assert "Being handled by the street people's congress working committee" in page

    opinion_reply(
        opinion=opinion, reply="已联系城管部门，路灯已于周五修复。", replied_by=world.street_a_user
    )
    resp = en.get(status_url(opinion))
    assert resp.status_code == 200
    page = resp.content.decode()
    assert 'id="opinion-status">Replied<' in page
    assert "已联系城管部门，路灯已于周五修复。" in page
    assert CONTENT in page
    assert "Urban construction and management" in page
    assert opinion.reply_deadline.isoformat() in page
    for private in ("王小明", "13800001111", world.deputy_a.name, "13812348000"):
        assert private not in page


def test_rejected_opinion_shows_the_reason(
    en: Client, world: World, station: LiaisonStation
) -> None:
    opinion = submit(station)
    opinion_reject(opinion=opinion, reason="与编号 X 重复", rejected_by=world.street_a_user)
    page = en.get(status_url(opinion)).content.decode()
    assert "Not accepted" in page
    assert "与编号 X 重复" in page
    assert "rating-form" not in page


def test_wrong_code_is_not_found(client: Client, station: LiaisonStation) -> None:
    submit(station)
    assert client.get(reverse("public:opinion_status", args=["ABCDEFGHJK"])).status_code == 404


def test_one_code_never_shows_another_opinion(client: Client, station: LiaisonStation) -> None:
    a = submit(station, content="甲：小区东门的垃圾桶满了没人清理")
    b = submit(station, content="乙：学校门口早高峰需要交警疏导")
    page_a = client.get(status_url(a)).content.decode()
    assert "甲：小区东门的垃圾桶满了没人清理" in page_a
    assert "乙：学校门口早高峰需要交警疏导" not in page_a
    assert b.tracking_code not in page_a
    # Lower case in the address still finds it.
    lower = reverse("public:opinion_status", args=[a.tracking_code.lower()])
    assert client.get(lower).status_code == 200


def test_status_page_makes_a_fixed_number_of_queries(
    client: Client, station: LiaisonStation, django_assert_max_num_queries: Any
) -> None:
    opinion = submit(station)
    with django_assert_max_num_queries(3):
        assert client.get(status_url(opinion)).status_code == 200


# --- Rating -----------------------------------------------------------------------------


def test_rating_before_a_reply_is_refused(en: Client, station: LiaisonStation) -> None:
    opinion = submit(station)
    assert "rating-form" not in en.get(status_url(opinion)).content.decode()
    resp = en.post(status_url(opinion), {"rating": 3})
    assert resp.status_code == 400
    assert "once there is one" in resp.content.decode()
    opinion.refresh_from_db()
    assert opinion.rating is None


def test_rating_after_reply_works_once(en: Client, world: World, station: LiaisonStation) -> None:
    opinion = submit(station)
    opinion_reply(opinion=opinion, reply="已修复。", replied_by=world.street_a_user)
    page = en.get(status_url(opinion)).content.decode()
    assert 'id="rating-form"' in page
    assert "Basically satisfied" in page

    resp = en.post(status_url(opinion), {"rating": 2, "comment": "修得有点慢"})
    assert resp.status_code == 302
    opinion.refresh_from_db()
    assert opinion.rating == Opinion.Rating.BASICALLY
    assert opinion.rating_comment == "修得有点慢"
    page = en.get(status_url(opinion)).content.decode()
    assert "Thank you for your rating" in page
    assert "Basically satisfied" in page
    assert 'id="rating-form"' not in page

    again = en.post(status_url(opinion), {"rating": 1})
    assert again.status_code == 400
    assert "already been rated" in again.content.decode()
    opinion.refresh_from_db()
    assert opinion.rating == Opinion.Rating.BASICALLY


def test_closed_opinion_can_be_rated_and_bad_rating_is_explained(
    en: Client, world: World, station: LiaisonStation
) -> None:
    opinion = submit(station)
    opinion_reply(opinion=opinion, reply="已修复。", replied_by=world.street_a_user)
    opinion_close(opinion=opinion, closed_by=world.street_a_user)
    resp = en.post(status_url(opinion), {"rating": 7, "comment": "写了评语"})
    assert resp.status_code == 400
    page = resp.content.decode()
    assert "Select a valid choice" in page or "Choose one of the ratings" in page
    assert "写了评语" in page
    assert en.post(status_url(opinion), {"rating": 3}).status_code == 302
    opinion.refresh_from_db()
    assert opinion.rating == Opinion.Rating.SATISFIED
