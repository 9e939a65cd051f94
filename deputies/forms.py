from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import DutyRecord, DutyType


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Accepts several files; each is decoded and checked by the photo service, not here."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleImageField, self).clean(f, initial) for f in files]


class DutyTypeRadio(forms.RadioSelect):
    template_name = "deputies/widgets/duty_type_radio.html"
    option_template_name = "deputies/widgets/duty_type_option.html"


class DutyTypeField(forms.ModelChoiceField):
    def label_from_instance(self, obj: DutyType) -> str:
        return obj.label


class DutyRecordForm(forms.Form):
    """The phone form. Photos already uploaded with an earlier, failed attempt come back as
    ``kept_photos`` so nothing the deputy added is lost."""

    duty_type = DutyTypeField(
        label=_("What did you do?"),
        queryset=DutyType.objects.filter(is_active=True),
        widget=DutyTypeRadio,
        empty_label=None,
        error_messages={"required": _("Choose what kind of duty this was.")},
    )
    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Give the date."),
            "invalid": _("Give the date as YYYY-MM-DD."),
        },
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. community office, liaison station")}),
    )
    description = forms.CharField(
        label=_("What you did"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Describe what you did.")},
    )
    photos = MultipleImageField(
        label=_("Photos (up to 3)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*", "multiple": True}),
    )
    kept_photos = forms.CharField(required=False, widget=forms.HiddenInput)
    client_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()
        if not self.is_bound and "client_token" not in self.initial:
            self.initial["client_token"] = uuid.uuid4()

    def clean_kept_photos(self) -> list[int]:
        raw = self.cleaned_data.get("kept_photos") or ""
        try:
            return [int(part) for part in raw.split(",") if part.strip()]
        except ValueError as exc:
            raise forms.ValidationError(
                _("The photo list was damaged; add the photos again.")
            ) from exc


class DutyReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for return"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the record is returned.")},
    )


class DutyRecordFilterForm(forms.Form):
    """Shared filters of the review queue and the staff record list."""

    q = forms.CharField(
        label=_("Deputy"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Name or pinyin")}),
    )
    duty_type = forms.ModelChoiceField(
        label=_("Duty type"),
        queryset=DutyType.objects.all(),
        required=False,
        empty_label=_("All types"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *DutyRecord.Status.choices],
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, streets: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if streets is not None:
            self.fields["street"] = forms.ModelChoiceField(
                label=_("Street"),
                queryset=streets,
                required=False,
                empty_label=_("All streets"),
            )
        self.fields["deputy"] = forms.IntegerField(required=False, widget=forms.HiddenInput)
        for field in self.fields.values():
            if isinstance(field.widget, forms.HiddenInput):
                continue
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
