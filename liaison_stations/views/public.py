"""Pages for residents, without an account (有事码上说): the opinion form a station's QR code
opens, the thank-you page with the tracking code, and the status page reached by that code.

Nothing here shows who submitted an opinion or who holds it: a tracking code is the only
key, and it opens only its own opinion.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .. import ratelimit
from ..forms_public import (
    PublicOpinionForm,
    RatingForm,
    TrackingForm,
    normalise_tracking_code,
)
from ..models import LiaisonStation, Opinion
from ..services import opinion_rate, opinion_submit_public

# Codes photo_prepare gives its errors: they belong to the photo field.
PHOTO_ERROR_CODES = {"too_large", "not_an_image", "too_many_pixels"}


def _station_qs() -> Any:
    return LiaisonStation.objects.select_related("street_committee__district", "community")


def _too_many_opinions() -> str:
    return _(
        "Too many opinions have been sent from this network in the last hour. Please try "
        "again later, or visit the station in person. What you typed is still below."
    )


def _too_many_lookups() -> str:
    return _("Too many lookups from this network. Please wait ten minutes and try again.")


@never_cache
@require_http_methods(["GET", "POST"])
def opinion_form(request: HttpRequest, code: str) -> HttpResponse:
    station = get_object_or_404(_station_qs(), public_code=code.lower(), is_active=True)
    refusal = ""
    status = 200
    photo_sent = False
    if request.method == "POST":
        form = PublicOpinionForm(request.POST, request.FILES, station=station)
        photo_sent = bool(request.FILES.get("photo"))
        if ratelimit.is_limited(request, ratelimit.OPINION_SUBMIT) or not ratelimit.hit(
            request, ratelimit.OPINION_ATTEMPT
        ):
            refusal, status = _too_many_opinions(), 429
        elif form.is_spam:
            refusal, status = (
                _(
                    "Your opinion could not be accepted. Please check it and send it again, "
                    "or visit the station in person."
                ),
                400,
            )
        elif form.is_valid():
            data = form.cleaned_data
            try:
                opinion = opinion_submit_public(
                    station=station,
                    content=data["content"],
                    category=data["category"],
                    community=data["community"],
                    submitter_name=data["name"],
                    submitter_phone=data["phone"],
                    consent=data["consent"],
                    photo=data["photo"],
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    form.add_service_errors(exc.message_dict)
                elif getattr(exc, "code", None) in PHOTO_ERROR_CODES:
                    form.add_error("photo", exc.messages)
                else:
                    form.add_error(None, exc.messages)
            else:
                ratelimit.record(request, ratelimit.OPINION_SUBMIT)
                return redirect(
                    "public:opinion_thanks",
                    code=station.public_code,
                    tracking=opinion.tracking_code,
                )
        if status == 200:
            status = 400
    else:
        form = PublicOpinionForm(station=station)
    form.mark_invalid()
    return render(
        request,
        "liaison_stations/public_opinion_form.html",
        {
            "station": station,
            "form": form,
            "refusal": refusal,
            "photo_sent": photo_sent,
            "reply_days": Opinion.REPLY_DAYS,
        },
        status=status,
    )


@never_cache
def opinion_thanks(request: HttpRequest, code: str, tracking: str) -> HttpResponse:
    opinion = get_object_or_404(
        Opinion.objects.select_related("station__street_committee__district"),
        station__public_code=code.lower(),
        tracking_code=normalise_tracking_code(tracking),
    )
    return render(
        request,
        "liaison_stations/public_opinion_thanks.html",
        {"opinion": opinion, "station": opinion.station},
    )


def _track_page(
    request: HttpRequest, form: TrackingForm, *, message: str = "", status: int = 200
) -> HttpResponse:
    return render(
        request,
        "liaison_stations/public_opinion_track.html",
        {"form": form, "message": message},
        status=status,
    )


def _not_found(code: str) -> str:
    return _(
        "No opinion was found with the code %(code)s. Check the code (10 letters and digits) "
        "and try again."
    ) % {"code": code}


@never_cache
@require_http_methods(["GET", "POST"])
def opinion_track(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _track_page(request, TrackingForm())
    form = TrackingForm(request.POST)
    if not ratelimit.hit(request, ratelimit.TRACKING_LOOKUP):
        return _track_page(request, form, message=_too_many_lookups(), status=429)
    if not form.is_valid():
        return _track_page(request, form, status=400)
    code = form.cleaned_data["code"]
    if not Opinion.objects.filter(tracking_code=code).exists():
        return _track_page(request, form, message=_not_found(code), status=404)
    return redirect("public:opinion_status", tracking=code)


def _timeline(opinion: Opinion) -> list[dict[str, Any]]:
    S = Opinion.Status
    if opinion.status == S.REJECTED:
        return [
            {"label": S.RECEIVED.label, "when": opinion.received_on, "done": True},
            {
                "label": S.REJECTED.label,
                "when": opinion.closed_at,
                "done": True,
                "current": True,
                "rejected": True,
            },
        ]
    reached = {
        S.RECEIVED: 0,
        S.ASSIGNED: 1,
        S.REPLIED: 2,
        S.CLOSED: 3,
    }[S(opinion.status)]
    steps = [
        (S.RECEIVED.label, opinion.received_on),
        (S.ASSIGNED.label, opinion.assigned_at),
        (S.REPLIED.label, opinion.replied_at),
        (S.CLOSED.label, opinion.closed_at),
    ]
    return [
        {"label": label, "when": when, "done": i <= reached, "current": i == reached}
        for i, (label, when) in enumerate(steps)
    ]


@never_cache
@require_http_methods(["GET", "POST"])
def opinion_status(request: HttpRequest, tracking: str) -> HttpResponse:
    code = normalise_tracking_code(tracking)
    if ratelimit.is_limited(request, ratelimit.TRACKING_LOOKUP):
        form = TrackingForm(initial={"code": code})
        return _track_page(request, form, message=_too_many_lookups(), status=429)
    opinion = (
        Opinion.objects.select_related("station", "street_committee", "community")
        .filter(tracking_code=code)
        .first()
    )
    if opinion is None:
        # Only misses count on GET: refreshing one's own page is free, guessing is not.
        ratelimit.record(request, ratelimit.TRACKING_LOOKUP)
        form = TrackingForm(initial={"code": code})
        return _track_page(request, form, message=_not_found(code), status=404)

    rateable = opinion.status in (Opinion.Status.REPLIED, Opinion.Status.CLOSED)
    rating_form = RatingForm() if rateable and opinion.rating is None else None
    rating_errors: list[str] = []
    status = 200
    if request.method == "POST":
        ratelimit.record(request, ratelimit.TRACKING_LOOKUP)
        bound = RatingForm(request.POST)
        if bound.is_valid():
            try:
                opinion_rate(
                    opinion=opinion,
                    rating=bound.cleaned_data["rating"],
                    comment=bound.cleaned_data["comment"],
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, messages in exc.message_dict.items():
                        bound.add_error(field if field in bound.fields else None, messages)
                else:
                    rating_errors.extend(exc.messages)
            else:
                return redirect("public:opinion_status", tracking=opinion.tracking_code)
        if rating_form is not None:
            rating_form = bound
        else:
            rating_errors.extend(str(e) for errors in bound.errors.values() for e in errors)
        status = 400
    return render(
        request,
        "liaison_stations/public_opinion_status.html",
        {
            "opinion": opinion,
            "station": opinion.station,
            "timeline": _timeline(opinion),
            "rating_form": rating_form,
            "rating_errors": list(dict.fromkeys(rating_errors)),
        },
        status=status,
    )
