"""Ranking pages: the quarter's ranking with street averages, publishing, a deputy's
points with every entry traced to its source, and manual adjustments."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress.models import District, StreetCommittee
from congress.periods import Quarter
from congress.permissions import scope_of
from deputies.models import Deputy

from .calculators import Source
from .forms import AdjustmentForm
from .ledger import ScoreEntry, ledger_entries
from .models import (
    RankingRow,
    RankingSnapshot,
    ReportJob,
    RuleSet,
    ScoreAdjustment,
    StreetAverage,
)
from .selectors import (
    breakdown_cells,
    distribution,
    indicator_columns,
    live_snapshot,
    published_snapshots,
    ranking_changes,
)
from .services import (
    ranking_publish,
    ranking_recompute,
    score_adjustment_create,
)
from .services import report_job_start as report_job_start_service

PAGE_SIZE = 50


def _district(request: HttpRequest) -> District:
    scope = scope_of(request.user)
    if not scope.is_staff_member:
        raise PermissionDenied
    ids = set(scope.district_ids) | set(
        StreetCommittee.objects.filter(pk__in=scope.street_ids).values_list(
            "district_id", flat=True
        )
    )
    chosen = request.GET.get("district")
    districts = District.objects.filter(pk__in=ids) if not scope.is_superuser else District.objects
    district = (
        districts.filter(code=chosen).first() if chosen else districts.order_by("code").first()
    )
    if district is None:
        raise PermissionDenied
    return district


def _quarter(request: HttpRequest) -> Quarter:
    today = timezone.localdate()
    raw = request.GET.get("quarter", "")
    try:
        year, number = (int(x) for x in raw.split("Q"))
        if 1 <= number <= 4 and 2000 <= year <= today.year:
            return Quarter(year, number)
    except ValueError:
        pass
    return Quarter.containing(today)


def _recent_quarters(n: int = 8) -> list[Quarter]:
    out, q = [], Quarter.containing(timezone.localdate())
    for _i in range(n):
        out.append(q)
        q = Quarter.containing(q.start - dt.timedelta(days=1))
    return out


@login_required
def ranking(request: HttpRequest) -> HttpResponse:
    district = _district(request)
    scope = scope_of(request.user)
    quarter = _quarter(request)
    live = live_snapshot(district=district, quarter=quarter)
    if live is None and quarter.start <= timezone.localdate():
        live = ranking_recompute(district=district, year=quarter.year, quarter=quarter.number)
    versions = list(published_snapshots(district=district, quarter=quarter))
    snapshot = live
    wanted = request.GET.get("version")
    if wanted and wanted.isdigit():
        snapshot = next((v for v in versions if v.version == int(wanted)), live)
    rows: Any = RankingRow.objects.none()
    columns: list[tuple[str, str]] = []
    levels: list[tuple[str, str]] = []
    averages: Any = []
    changes: list[dict[str, Any]] = []
    chart: dict[str, Any] = {}
    if snapshot is not None:
        rows = RankingRow.objects.filter(snapshot=snapshot).select_related("street_committee")
        q = (request.GET.get("q") or "").strip()
        if q:
            rows = rows.filter(Q(name__icontains=q) | Q(name_pinyin__icontains=q.lower()))
        street = request.GET.get("street")
        if street and street.isdigit():
            rows = rows.filter(street_committee_id=int(street))
        level = request.GET.get("level")
        if level in Deputy.Level.values:
            rows = rows.filter(level=level)
        if request.GET.get("top"):
            rows = rows.filter(is_top=True)
        sort = {
            "total": ("-total", "name_pinyin"),
            "name": ("name_pinyin",),
            "street": ("street_committee__sort_order", "rank"),
        }.get(request.GET.get("sort", ""), ("rank", "name_pinyin"))
        rows = rows.order_by(*sort)
        columns = indicator_columns(snapshot)
        ranked = set(snapshot.rule_set.ranked_levels)
        levels = [(v, str(label)) for v, label in Deputy.Level.choices if v in ranked]
        averages = list(
            StreetAverage.objects.filter(snapshot=snapshot)
            .select_related("street_committee")
            .order_by("rank", "street_committee__sort_order")
        )
        if snapshot.status == RankingSnapshot.Status.LIVE and versions:
            changes = ranking_changes(live=snapshot, published=versions[0])
        chart = {
            "distribution": distribution(snapshot),
            "streets": {
                "labels": [a.street_committee.name for a in averages],
                "values": [float(a.average) for a in averages],
            },
        }
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.cells = breakdown_cells(row, columns)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "scoring/ranking.html",
        {
            "district": district,
            "quarter": quarter,
            "quarters": _recent_quarters(),
            "snapshot": snapshot,
            "live": live,
            "versions": versions,
            "page": page,
            "columns": columns,
            "levels": levels,
            "averages": averages,
            "changes": changes,
            "chart": chart,
            "querystring": query.urlencode(),
            "own_streets": scope.street_ids,
            "streets": StreetCommittee.objects.filter(district=district),
            "can_publish": scope.is_district_staff,
            "export_in_background": snapshot is not None
            and snapshot.population > settings.SCORING_DIRECT_EXPORT_LIMIT,
        },
    )


@login_required
@require_POST
def recompute(request: HttpRequest) -> HttpResponse:
    district = _district(request)
    if not scope_of(request.user).is_district_staff:
        raise PermissionDenied
    quarter = _quarter(request)
    ranking_recompute(district=district, year=quarter.year, quarter=quarter.number)
    messages.success(request, _("Ranking recomputed."))
    return redirect(f"{reverse('scoring:ranking')}?quarter={quarter}")


@login_required
@require_POST
def publish(request: HttpRequest) -> HttpResponse:
    district = _district(request)
    if not scope_of(request.user).is_district_staff:
        raise PermissionDenied
    quarter = _quarter(request)
    try:
        snapshot = ranking_publish(
            district=district, year=quarter.year, quarter=quarter.number, by=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(f"{reverse('scoring:ranking')}?quarter={quarter}")
    messages.success(request, _("Published as version %(v)d.") % {"v": snapshot.version})
    return redirect(f"{reverse('scoring:ranking')}?quarter={quarter}&version={snapshot.version}")


def _requested_snapshot(
    district: District, quarter: Quarter, version: str | None
) -> RankingSnapshot | None:
    """The published version asked for (404 if there is none), else the live ranking."""
    if version and version.isdigit():
        return get_object_or_404(
            published_snapshots(district=district, quarter=quarter), version=int(version)
        )
    return live_snapshot(district=district, quarter=quarter)


@login_required
def export(request: HttpRequest) -> FileResponse:
    from .exports import quarterly_report_filename, quarterly_report_write

    district = _district(request)
    quarter = _quarter(request)
    snapshot = _requested_snapshot(district, quarter, request.GET.get("version"))
    if snapshot is None:
        snapshot = ranking_recompute(district=district, year=quarter.year, quarter=quarter.number)
    import tempfile

    out = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115
    quarterly_report_write(snapshot, out)
    out.seek(0)
    return FileResponse(
        out,
        as_attachment=True,
        filename=quarterly_report_filename(snapshot),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
@require_POST
def report_job_start(request: HttpRequest) -> HttpResponse:
    """Large rankings: write the report in the background and show its progress."""
    district = _district(request)
    quarter = _quarter(request)
    snapshot = _requested_snapshot(district, quarter, request.POST.get("version"))
    if snapshot is None:
        messages.error(request, _("There is no ranking for this quarter yet; recompute it first."))
        return redirect(f"{reverse('scoring:ranking')}?quarter={quarter}")
    job = report_job_start_service(
        snapshot=snapshot, by=request.user, language=translation.get_language() or "zh-hans"
    )
    return redirect("scoring:report_job", pk=job.pk)


def _own_job(request: HttpRequest, pk: Any) -> ReportJob:
    if not scope_of(request.user).is_staff_member:
        raise PermissionDenied
    return get_object_or_404(
        ReportJob.objects.select_related("snapshot"), pk=pk, requested_by=request.user
    )


@login_required
def report_job(request: HttpRequest, pk: Any) -> HttpResponse:
    job = _own_job(request, pk)
    return render(request, "scoring/reportjob_detail.html", {"job": job})


@login_required
def report_job_status(request: HttpRequest, pk: Any) -> JsonResponse:
    job = _own_job(request, pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "percent": job.percent,
            "rows_done": job.rows_done,
            "rows_total": job.rows_total,
            "error": job.error,
            "download": reverse("scoring:report_job_download", args=[job.pk])
            if job.status == ReportJob.Status.DONE
            else None,
        }
    )


@login_required
def report_job_download(request: HttpRequest, pk: Any) -> FileResponse:
    job = _own_job(request, pk)
    path = Path(settings.MEDIA_ROOT) / job.path
    if job.status != ReportJob.Status.DONE or not job.path or not path.is_file():
        raise Http404
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=job.filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _deputy_points_context(deputy: Deputy, quarter: Quarter) -> dict[str, Any]:
    snapshot = (
        RankingSnapshot.objects.filter(
            district_id=deputy.district_id,
            year=quarter.year,
            quarter=quarter.number,
            status=RankingSnapshot.Status.LIVE,
        )
        .select_related("rule_set")
        .first()
    )
    row = RankingRow.objects.filter(snapshot=snapshot, deputy=deputy).first() if snapshot else None
    entries = (
        ledger_entries(
            district=deputy.district,
            quarter=quarter,
            rule_set=snapshot.rule_set,
            deputy_id=deputy.pk,
        )
        if snapshot
        else []
    )
    columns = indicator_columns(snapshot) if snapshot else []
    earned_cells = breakdown_cells(row, columns) if row else [None] * len(columns)
    caps = {r.indicator: r for r in snapshot.rule_set.rules.all()} if snapshot else {}
    raw: dict[str, Any] = {}
    for e in entries:
        raw[e.indicator] = raw.get(e.indicator, 0) + e.points
    lines = []
    for (key, label), earned in zip(columns, earned_cells, strict=True):
        rule = caps.get(key)
        cap = rule.cap_per_quarter if rule else None
        lines.append(
            {
                "key": key,
                "label": label,
                "points": earned,
                "raw": raw.get(key),
                "rule": rule,
                "cap": cap,
                "room": (cap - max(raw.get(key, 0), 0)) if cap is not None else None,
            }
        )
    from liaison_stations.models import Attendance

    activity_of = dict(
        Attendance.objects.filter(
            pk__in=[e.source_id for e in entries if e.source_type == Source.ATTENDANCE]
        ).values_list("pk", "activity_id")
    )
    links = [_source_link(e, activity_of) for e in entries]
    return {
        "deputy": deputy,
        "quarter": quarter,
        "snapshot": snapshot,
        "row": row,
        "entries": list(zip(entries, links, strict=True)),
        "lines": lines,
        "quarters": _recent_quarters(),
    }


def _source_link(entry: ScoreEntry, activity_of: dict[int, int]) -> str | None:
    if entry.source_type == Source.ATTENDANCE:
        activity_id = activity_of.get(entry.source_id)
        return (
            reverse("liaison_stations:activity_detail", args=[activity_id]) if activity_id else None
        )
    if entry.source_type == Source.ADJUSTMENT:
        return reverse("scoring:adjustments")
    if entry.source_type == Source.OPINION:
        return reverse("liaison_stations:opinion_detail", args=[entry.source_id])
    if entry.source_type == Source.DUTY_RECORD:
        day = entry.date.isoformat()
        return (
            f"{reverse('deputies:duty_list')}?deputy={entry.deputy_id}"
            f"&date_from={day}&date_to={day}"
        )
    return None


@login_required
def deputy_points(request: HttpRequest, pk: int) -> HttpResponse:
    deputy = get_object_or_404(Deputy.objects.visible_to(request.user), pk=pk)
    context = _deputy_points_context(deputy, _quarter(request))
    is_self = deputy.user_id == request.user.pk and not scope_of(request.user).is_staff_member
    context["base_template"] = "base_mobile.html" if is_self else "base.html"
    context["is_self"] = is_self
    return render(request, "scoring/deputy_points.html", context)


@login_required
def adjustments(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    if not scope.is_district_staff:
        raise PermissionDenied
    deputies = Deputy.objects.visible_to(request.user).order_by("name_pinyin")
    form = AdjustmentForm(request.POST or None, deputies=deputies)
    if request.method == "POST" and form.is_valid():
        try:
            score_adjustment_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Adjustment saved; the ranking will update."))
            return redirect("scoring:adjustments")
    listing = (
        ScoreAdjustment.objects.filter(deputy__in=deputies)
        .select_related("deputy", "created_by")
        .order_by("-date", "-id")
    )
    page = Paginator(listing, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "scoring/adjustments.html",
        {"form": form, "page": page, "rule_sets": RuleSet.objects.all()[:5]},
    )
