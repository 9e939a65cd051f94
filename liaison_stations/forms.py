from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress.models import Community, HandlingUnit, StreetCommittee
from congress.periods import Quarter
from deputies.models import Deputy

from .models import Activity, Attendance, LiaisonStation, Opinion, ReceptionShift


def bootstrap(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
            continue
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class DeputyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Deputy) -> str:
        return f"{obj.name}（{obj.get_level_display()}）"


class StationForm(forms.ModelForm):
    standards = forms.MultipleChoiceField(
        label=_("Standards met"),
        required=False,
        choices=LiaisonStation.STANDARDS,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = LiaisonStation
        fields = [
            "street_committee",
            "community",
            "kind",
            "name",
            "address",
            "opening_hours",
            "phone",
            "standards",
            "is_active",
        ]

    def __init__(self, *args: Any, streets: QuerySet[StreetCommittee], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(Any, self.fields["street_committee"]).queryset = streets
        cast(Any, self.fields["community"]).queryset = Community.objects.filter(
            street_committee__in=streets
        ).select_related("street_committee")
        bootstrap(self)


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Activity.Kind.choices)
    theme = forms.CharField(label=_("Theme"), max_length=200, required=False)
    street_committee = forms.ModelChoiceField(
        label=_("Organised by"),
        queryset=StreetCommittee.objects.none(),
        required=False,
        empty_label=_("The district"),
    )
    station = forms.ModelChoiceField(
        label=_("Liaison station"), queryset=LiaisonStation.objects.none(), required=False
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("Starts"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=_("Ends"), widget=forms.TimeInput(attrs={"type": "time"}))
    deputies = DeputyChoiceField(
        label=_("Invited deputies"),
        queryset=Deputy.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )

    def __init__(
        self,
        *args: Any,
        streets: QuerySet[StreetCommittee],
        deputies: QuerySet[Deputy],
        allow_district: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(Any, self.fields["street_committee"]).queryset = streets
        self.fields["street_committee"].required = not allow_district
        cast(Any, self.fields["station"]).queryset = LiaisonStation.objects.filter(
            street_committee__in=streets, is_active=True
        )
        cast(Any, self.fields["deputies"]).queryset = deputies
        bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("start_time")
            and data.get("end_time")
            and data["end_time"] <= data["start_time"]
        ):
            self.add_error("end_time", _("The end must be after the start."))
        station = data.get("station")
        street = data.get("street_committee")
        if station and street and station.street_committee_id != street.pk:
            self.add_error("station", _("The station is in another street."))
        return data

    def datetimes(self) -> tuple[dt.datetime, dt.datetime]:
        tz = timezone.get_current_timezone()
        d = self.cleaned_data["date"]
        return (
            dt.datetime.combine(d, self.cleaned_data["start_time"], tzinfo=tz),
            dt.datetime.combine(d, self.cleaned_data["end_time"], tzinfo=tz),
        )


WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class ScheduleWeeklyForm(forms.Form):
    street_committee = forms.ModelChoiceField(
        label=_("Street"), queryset=StreetCommittee.objects.none()
    )
    quarter = forms.ChoiceField(label=_("Quarter"))
    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=WEEKDAYS, coerce=int, initial=3)
    start_time = forms.TimeField(
        label=_("Starts"), initial=dt.time(9, 0), widget=forms.TimeInput(attrs={"type": "time"})
    )
    hours = forms.DecimalField(
        label=_("Hours"), initial=2, min_value=0.5, max_value=8, decimal_places=1
    )
    theme = forms.CharField(label=_("Theme"), max_length=200, required=False)
    stations = forms.ModelMultipleChoiceField(
        label=_("Stations, in turn"),
        queryset=LiaisonStation.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    deputies = DeputyChoiceField(
        label=_("Deputies, in rotation"),
        queryset=Deputy.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )
    per_visit = forms.IntegerField(
        label=_("Deputies per visit"), initial=3, min_value=1, max_value=20
    )

    def __init__(
        self,
        *args: Any,
        streets: QuerySet[StreetCommittee],
        deputies: QuerySet[Deputy],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        this = Quarter.containing(today)
        following = Quarter.containing(this.end + dt.timedelta(days=1))
        cast(Any, self.fields["quarter"]).choices = [
            (str(q), _("%(y)s Q%(q)s") % {"y": q.year, "q": q.number}) for q in (this, following)
        ]
        cast(Any, self.fields["street_committee"]).queryset = streets
        cast(Any, self.fields["stations"]).queryset = LiaisonStation.objects.filter(
            street_committee__in=streets, is_active=True
        ).select_related("street_committee")
        cast(Any, self.fields["deputies"]).queryset = deputies
        bootstrap(self)

    def chosen_quarter(self) -> Quarter:
        year, number = self.cleaned_data["quarter"].split("Q")
        return Quarter(int(year), int(number))


class CloseActivityForm(forms.Form):
    residents_received = forms.IntegerField(label=_("Residents received"), min_value=0, initial=0)
    opinions_collected = forms.IntegerField(label=_("Opinions collected"), min_value=0, initial=0)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    MARK_CHOICES = [
        ("", _("Not marked (absent unless leave approved)")),
        (Attendance.Status.PRESENT, Attendance.Status.PRESENT.label),
        (Attendance.Status.LATE, Attendance.Status.LATE.label),
        (Attendance.Status.LEFT_EARLY, Attendance.Status.LEFT_EARLY.label),
        (Attendance.Status.EXCUSED, Attendance.Status.EXCUSED.label),
        (Attendance.Status.ABSENT, Attendance.Status.ABSENT.label),
    ]

    def __init__(self, *args: Any, attendances: list[Attendance], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.attendances = attendances
        for a in attendances:
            self.fields[f"mark_{a.pk}"] = forms.ChoiceField(
                label=a.deputy.name,
                choices=self.MARK_CHOICES,
                required=False,
                initial=Attendance.Status.EXCUSED
                if a.leave == Attendance.Leave.APPROVED
                else Attendance.Status.PRESENT,
            )
        bootstrap(self)

    def marks(self) -> dict[int, str]:
        return {
            a.pk: self.cleaned_data[f"mark_{a.pk}"]
            for a in self.attendances
            if self.cleaned_data.get(f"mark_{a.pk}")
        }

    def rows(self) -> list[tuple[Attendance, forms.BoundField]]:
        return [(a, self[f"mark_{a.pk}"]) for a in self.attendances]


class LeaveRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why can you not attend?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control form-control-lg"}),
        error_messages={"required": _("Give the reason you cannot attend.")},
    )


class ShiftForm(forms.ModelForm):
    class Meta:
        model = ReceptionShift
        fields = ["deputy", "date", "period", "note"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, deputies: QuerySet[Deputy], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(Any, self.fields["deputy"]).queryset = deputies
        bootstrap(self)


class OpinionRecordForm(forms.Form):
    street_committee = forms.ModelChoiceField(
        label=_("Street"), queryset=StreetCommittee.objects.none()
    )
    community = forms.ModelChoiceField(
        label=_("Community"), queryset=Community.objects.none(), required=False
    )
    activity = forms.ModelChoiceField(
        label=_("Collected at activity"), queryset=Activity.objects.none(), required=False
    )
    category = forms.ChoiceField(label=_("Category"), choices=Opinion.Category.choices)
    content = forms.CharField(
        label=_("Content"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    received_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    submitter_name = forms.CharField(label=_("Resident's name"), max_length=50, required=False)
    submitter_phone = forms.CharField(label=_("Resident's phone"), max_length=20, required=False)
    consent = forms.BooleanField(
        label=_("The resident agrees to be contacted about this matter"), required=False
    )

    def __init__(
        self,
        *args: Any,
        streets: QuerySet[StreetCommittee],
        activities: QuerySet[Activity],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(Any, self.fields["street_committee"]).queryset = streets
        cast(Any, self.fields["community"]).queryset = Community.objects.filter(
            street_committee__in=streets
        )
        cast(Any, self.fields["activity"]).queryset = activities
        self.fields["received_on"].initial = timezone.localdate()
        bootstrap(self)


class OpinionAssignForm(forms.Form):
    deputy = forms.ModelChoiceField(
        label=_("To a deputy"), queryset=Deputy.objects.none(), required=False
    )
    unit = forms.ModelChoiceField(
        label=_("To a handling unit"), queryset=HandlingUnit.objects.none(), required=False
    )

    def __init__(
        self, *args: Any, deputies: QuerySet[Deputy], units: QuerySet[HandlingUnit], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(Any, self.fields["deputy"]).queryset = deputies
        cast(Any, self.fields["unit"]).queryset = units
        bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("deputy")) == bool(data.get("unit")):
            raise forms.ValidationError(_("Choose one deputy or one handling unit."))
        return data


class OpinionReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Answer to the resident"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
    )


class OpinionRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is not accepted"),
        max_length=300,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class ListFilterForm(forms.Form):
    """Filters shared by the staff lists; fields not relevant to a list are removed."""

    q = forms.CharField(label=_("Search"), required=False)
    street = forms.ModelChoiceField(
        label=_("Street"),
        queryset=StreetCommittee.objects.none(),
        required=False,
        empty_label=_("All streets"),
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(
        self,
        *args: Any,
        streets: QuerySet[StreetCommittee] | None,
        kinds: list[tuple[str, Any]] | None = None,
        statuses: list[tuple[str, Any]] | None = None,
        categories: list[tuple[str, Any]] | None = None,
        dates: bool = False,
        overdue: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if streets is None:
            del self.fields["street"]
        else:
            cast(Any, self.fields["street"]).queryset = streets
        for name, choices in (("kind", kinds), ("status", statuses), ("category", categories)):
            if choices is None:
                del self.fields[name]
            else:
                cast(Any, self.fields[name]).choices = [("", _("All")), *choices]
        if not dates:
            del self.fields["date_from"]
            del self.fields["date_to"]
        if not overdue:
            del self.fields["overdue"]
        bootstrap(self)
