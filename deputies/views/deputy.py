from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from congress.permissions import scope_of

from ..filters import DeputyFilter
from ..models import DutyRecord
from ..permissions import can_see_full_phone, phone_for
from ..selectors import deputy_list, deputy_membership_history

PAGE_SIZE = 25


@login_required
def deputy_list_view(request: HttpRequest) -> HttpResponse:
    if not scope_of(request.user).is_staff_member:
        raise PermissionDenied
    filterset = DeputyFilter(
        request.GET or None, queryset=deputy_list(user=request.user), user=request.user
    )
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    if "ordering" not in request.GET:
        queryset = queryset.order_by("name_pinyin", "id")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    for deputy in page.object_list:
        deputy.phone_shown = phone_for(request.user, deputy)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "deputies/deputy_list.html",
        {"filter": filterset, "page": page, "querystring": query.urlencode()},
    )


@login_required
def deputy_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    deputy = get_object_or_404(deputy_list(user=request.user), pk=pk)
    scope = scope_of(request.user)
    is_self = deputy.user_id == request.user.pk
    history = []
    if scope.is_superuser or deputy.district_id in scope.district_ids:
        history = list(deputy.history.select_related("history_user").order_by("-history_date")[:20])
    duty_counts = dict.fromkeys(DutyRecord.Status.values, 0) | {
        row["status"]: row["n"]
        for row in DutyRecord.objects.filter(deputy=deputy).values("status").annotate(n=Count("id"))
    }
    return render(
        request,
        "deputies/deputy_detail.html",
        {
            "deputy": deputy,
            "phone_shown": phone_for(request.user, deputy),
            "phone_is_full": can_see_full_phone(request.user, deputy),
            "memberships": deputy_membership_history(deputy=deputy),
            "history": history,
            "duty_counts": duty_counts,
            "is_self": is_self,
            "base_template": "base_mobile.html"
            if is_self and not scope.is_staff_member
            else "base.html",
        },
    )
