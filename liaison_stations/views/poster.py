"""The printable A4 poster with a station's QR code (有事码上说), for staff to print and hang."""

from __future__ import annotations

import segno
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.safestring import mark_safe

from ..models import LiaisonStation

QR_DARK = "#7f1212"


def station_form_url(request: HttpRequest, station: LiaisonStation) -> str:
    """The absolute address of the station's opinion form: what the QR code encodes.

    Built from the request, so the poster carries the host staff reached the site by (behind
    a proxy this relies on the proxy passing Host and X-Forwarded-Proto)."""
    return request.build_absolute_uri(reverse("public:opinion_form", args=[station.public_code]))


@login_required
def station_poster(request: HttpRequest, pk: int) -> HttpResponse:
    station = get_object_or_404(
        LiaisonStation.objects.visible_to(request.user).select_related(
            "street_committee__district", "community"
        ),
        pk=pk,
    )
    form_url = station_form_url(request, station)
    # Our own SVG markup (the URL is drawn as modules, not embedded as text): safe to inline.
    # omitsize leaves only a viewBox, so CSS decides the printed size.
    qr_svg = segno.make(form_url, error="m").svg_inline(
        scale=10, dark=QR_DARK, omitsize=True, svgclass="poster-qr-svg"
    )
    return render(
        request,
        "liaison_stations/station_poster.html",
        {"station": station, "form_url": form_url, "qr_svg": mark_safe(qr_svg)},
    )
