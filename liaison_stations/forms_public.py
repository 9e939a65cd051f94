"""Forms residents fill in without an account: an opinion, a tracking code, a rating."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from congress.models import Community
from deputies.photos import MAX_UPLOAD_BYTES

from .models import LiaisonStation, Opinion
from .services.opinions import MIN_CONTENT_CHARS

CATEGORY_ICONS = {
    Opinion.Category.URBAN: "bi-buildings",
    Opinion.Category.ENVIRONMENT: "bi-tree",
    Opinion.Category.TRAFFIC: "bi-car-front",
    Opinion.Category.EDUCATION: "bi-mortarboard",
    Opinion.Category.HEALTH: "bi-heart-pulse",
    Opinion.Category.ELDERLY: "bi-person-hearts",
    Opinion.Category.COMMUNITY: "bi-house-heart",
    Opinion.Category.PROPERTY: "bi-house-gear",
    Opinion.Category.SOCIAL: "bi-shield-check",
    Opinion.Category.OTHER: "bi-three-dots",
}

# Service error keys (model field names) → the field of this form that shows them.
SERVICE_FIELDS = {"submitter_name": "name", "submitter_phone": "phone"}

CONTENT_TOO_SHORT = _("Please describe the matter in a few words (at least 5 characters).")


class PublicOpinionForm(forms.Form):
    """The form a station's QR code opens. ``website`` is a honeypot: hidden from people,
    filled in by bots that fill in every field."""

    content = forms.CharField(
        label=_("Your opinion or suggestion"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": 2000, "class": "form-control"}),
        error_messages={
            "required": CONTENT_TOO_SHORT,
            "max_length": _("Please keep it under 2,000 characters."),
        },
    )
    category = forms.ChoiceField(
        label=_("What is it about?"),
        choices=Opinion.Category.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what the matter is about.")},
    )
    community = forms.ModelChoiceField(
        label=_("Your community"),
        queryset=Community.objects.none(),
        required=False,
        empty_label=_("Not sure / not listed"),
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": _("Choose a community of this street.")},
    )
    name = forms.CharField(
        label=_("Your name"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name", "class": "form-control"}),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=20,
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "tel", "class": "form-control"}
        ),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the committee may use my name and phone number only to contact me "
            "about this matter. They are not published and not shared with anyone else."
        ),
        required=False,
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
    website = forms.CharField(
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, station: LiaisonStation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.station = station
        field = self.fields["community"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Community.objects.filter(street_committee_id=station.street_committee_id)
        if not self.is_bound and station.community_id:
            self.initial.setdefault("community", station.community_id)

    def category_tiles(self) -> list[dict[str, Any]]:
        chosen = str(self["category"].value() or "")
        return [
            {
                "value": value,
                "label": label,
                "icon": CATEGORY_ICONS[Opinion.Category(value)],
                "checked": value == chosen,
                "id": f"id_category_{i}",
            }
            for i, (value, label) in enumerate(Opinion.Category.choices)
        ]

    def mark_invalid(self) -> None:
        """Bootstrap's red outline on the inputs that have an error."""
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()

    @property
    def is_spam(self) -> bool:
        return bool(str(self.data.get("website", "")).strip())

    def clean_content(self) -> str:
        content = str(self.cleaned_data["content"])
        # The service has the final word; checking here too shows every problem at once.
        if len(re.sub(r"\s+", "", content)) < MIN_CONTENT_CHARS:
            raise forms.ValidationError(CONTENT_TOO_SHORT)
        return content

    def clean_photo(self) -> UploadedFile | None:
        photo: UploadedFile | None = self.cleaned_data.get("photo")
        if photo is not None and (photo.size or 0) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The photo is larger than 10 MB. Choose a smaller photo, or send it without.")
            )
        return photo

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        for key, messages in errors.items():
            field = SERVICE_FIELDS.get(key, key)
            self.add_error(field if field in self.fields else None, messages)


def normalise_tracking_code(value: str) -> str:
    """Residents copy codes from screenshots and notes: ignore case, spaces and dashes."""
    return re.sub(r"[\s\-–—_]+", "", value).upper()


class TrackingForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-lg",
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "placeholder": _("e.g. 7KQ2MX9PRT"),
            }
        ),
        error_messages={"required": _("Enter the tracking code you were given.")},
    )

    def clean_code(self) -> str:
        code = normalise_tracking_code(str(self.cleaned_data["code"]))
        if not code:
            raise forms.ValidationError(self.fields["code"].error_messages["required"])
        return code


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you with the answer?"),
        choices=Opinion.Rating.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one of the ratings.")},
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 300, "class": "form-control"}),
    )
