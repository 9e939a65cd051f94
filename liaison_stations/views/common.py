from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import HttpRequest

from congress.models import StreetCommittee
from congress.permissions import scope_of
from deputies.models import Deputy


def require_staff(request: HttpRequest) -> None:
    if not scope_of(request.user).is_staff_member:
        raise PermissionDenied


def staff_streets(request: HttpRequest) -> QuerySet[StreetCommittee]:
    return StreetCommittee.objects.visible_to(request.user).order_by("sort_order", "code")


def street_filter_choices(request: HttpRequest) -> QuerySet[StreetCommittee] | None:
    """A street filter only makes sense to someone who sees more than one street."""
    scope = scope_of(request.user)
    if scope.is_district_staff or len(scope.street_ids) > 1:
        return staff_streets(request)
    return None


def scoped_deputies(request: HttpRequest) -> QuerySet[Deputy]:
    return Deputy.objects.visible_to(request.user).current().order_by("name_pinyin")


def paginate(request: HttpRequest, queryset: Any, per_page: int = 30) -> tuple[Page, str]:
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def add_errors(form: BaseForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
