"""The printable QR poster of a station: who may print it, and that its code scans to the
station's opinion form."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import urlsplit

import pytest
import segno
import zxingcpp
from django.test import Client, RequestFactory
from django.urls import resolve, reverse
from PIL import Image

from liaison_stations.models import LiaisonStation
from liaison_stations.services import station_save
from liaison_stations.views.poster import QR_DARK, station_form_url
from tests.conftest import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def station(world: World) -> LiaisonStation:
    return station_save(
        street_committee=world.street_a,
        kind=LiaisonStation.Kind.HOME,
        name="平江人大代表之家",
        address="平江路100号",
        opening_hours="每周四 9:00–11:30",
        phone="0512-65001234",
    )


def poster_url(station: LiaisonStation) -> str:
    return reverse("liaison_stations:station_poster", args=[station.pk])


def decode_qr(url: str) -> str:
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="png", scale=8)
    buf.seek(0)
    with Image.open(buf) as image:
        results = zxingcpp.read_barcodes(image)
    assert len(results) == 1
    return str(results[0].text)


def test_street_staff_prints_the_poster_of_their_station(
    client: Client, world: World, station: LiaisonStation
) -> None:
    client.force_login(world.street_a_user)
    resp = client.get(poster_url(station))
    assert resp.status_code == 200
    page = resp.content.decode()
    assert '<svg viewBox="' in page
    assert 'class="poster-qr-svg"' in page
    assert QR_DARK in page
    for text in (station.name, "平江路100号", "每周四 9:00–11:30", "平江街道", "0512-65001234"):
        assert text in page
    assert resp.context["form_url"] in page  # printed under the code
    assert "@media print" in page
    assert "size: A4" in page
    assert "window.print()" in page


def test_district_staff_may_print_any_station_of_the_district(
    client: Client, world: World, station: LiaisonStation
) -> None:
    client.force_login(world.district_user)
    assert client.get(poster_url(station)).status_code == 200


@pytest.mark.parametrize("who", ["street_b_user", "other_district_user"])
def test_staff_outside_the_scope_get_not_found(
    client: Client, world: World, station: LiaisonStation, who: str
) -> None:
    client.force_login(getattr(world, who))
    assert client.get(poster_url(station)).status_code == 404


def test_deputy_gets_not_found(client: Client, world: World, station: LiaisonStation) -> None:
    assert world.deputy_a.user is not None
    client.force_login(world.deputy_a.user)
    assert client.get(poster_url(station)).status_code == 404


def test_anonymous_is_sent_to_login(client: Client, station: LiaisonStation) -> None:
    resp = client.get(poster_url(station))
    assert resp.status_code == 302
    assert resp["Location"].startswith(reverse("login"))


def test_qr_code_scans_to_the_stations_opinion_form(
    client: Client, settings: Any, world: World, station: LiaisonStation
) -> None:
    settings.ALLOWED_HOSTS = ["renda.example.cn"]
    client.force_login(world.street_a_user)
    resp = client.get(poster_url(station), HTTP_HOST="renda.example.cn")
    form_url = resp.context["form_url"]
    decoded = decode_qr(form_url)
    assert decoded == form_url
    assert decoded == f"http://renda.example.cn/o/{station.public_code}/"
    match = resolve(urlsplit(decoded).path)
    assert match.view_name == "public:opinion_form"
    assert match.kwargs == {"code": station.public_code}
    # The SVG on the page is exactly the code of that URL.
    expected_svg = segno.make(decoded, error="m").svg_inline(
        scale=10, dark=QR_DARK, omitsize=True, svgclass="poster-qr-svg"
    )
    assert expected_svg in resp.content.decode()
    # And the address opens the form for residents, without an account.
    client.logout()
    assert client.get(urlsplit(decoded).path, HTTP_HOST="renda.example.cn").status_code == 200


def test_form_url_follows_the_scheme_the_site_is_reached_by(
    rf: RequestFactory, settings: Any, station: LiaisonStation
) -> None:
    settings.ALLOWED_HOSTS = ["renda.example.cn"]
    request = rf.get("/", HTTP_HOST="renda.example.cn", secure=True)
    assert station_form_url(request, station) == (
        f"https://renda.example.cn/o/{station.public_code}/"
    )


def test_poster_is_in_english_when_chosen(
    client: Client, world: World, station: LiaisonStation
) -> None:
    client.cookies["django_language"] = "en"
    client.force_login(world.street_a_user)
    page = client.get(poster_url(station)).content.decode()
    assert "Scan to tell us" in page
    assert "Deputies&#x27; home" in page or "Deputies' home" in page
