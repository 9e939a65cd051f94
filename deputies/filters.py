from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress.models import StreetCommittee

from .models import Deputy, StreetMembership, _active_on_q


class DeputyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"placeholder": _("Name, pinyin, constituency, employer")}),
    )
    street = django_filters.ModelChoiceFilter(
        label=_("Street"),
        queryset=StreetCommittee.objects.none(),
        method="filter_street",
        empty_label=_("All streets"),
    )
    level = django_filters.ChoiceFilter(
        label=_("Level"), choices=Deputy.Level.choices, empty_label=_("All levels")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Deputy.Status.choices, empty_label=_("All")
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort"),
        fields=(("name_pinyin", "name"), ("level", "level"), ("elected_on", "elected_on")),
        field_labels={"name": _("Name"), "level": _("Level"), "elected_on": _("In office from")},
        empty_label=None,
    )

    class Meta:
        model = Deputy
        fields = ["q", "street", "level", "status"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["street"].queryset = StreetCommittee.objects.visible_to(user)
        for field in self.form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def search(self, queryset: QuerySet[Deputy], name: str, value: str) -> QuerySet[Deputy]:
        value = value.strip()
        if not value:
            return queryset
        compact = value.replace(" ", "").lower()
        return queryset.filter(
            Q(name__icontains=value)
            | Q(name_pinyin__icontains=value.lower())
            | Q(constituency__icontains=value)
            | Q(occupation__icontains=value)
            | Q(sector__icontains=value)
            | Q(name_pinyin__icontains=compact)
        )

    def filter_street(
        self, queryset: QuerySet[Deputy], name: str, value: StreetCommittee | None
    ) -> QuerySet[Deputy]:
        if value is None:
            return queryset
        members = StreetMembership.objects.filter(
            _active_on_q(timezone.localdate()), street_committee=value
        ).values("deputy_id")
        return queryset.filter(id__in=members)
