"""The institution: districts, terms, street committees, communities, sessions and users."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class District(TimeStampedModel):
    """A standing committee running this deployment (区人大常委会)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=50)
    committee_name = models.CharField(
        _("standing committee name"),
        max_length=100,
        help_text=_("Shown on reports, e.g. 姑苏区人大常委会."),
    )

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class TermQuerySet(models.QuerySet["Term"]):
    def current(self, on: dt.date | None = None) -> TermQuerySet:
        on = on or timezone.localdate()
        return self.filter(start_date__lte=on).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on)
        )


class Term(TimeStampedModel):
    """A term of the district people's congress (届次), e.g. 第十八届."""

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="terms", verbose_name=_("district")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=50)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["district", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["district", "number"], name="term_unique_number"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="term_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district.name} {self.name}"


class StreetCommitteeQuerySet(models.QuerySet["StreetCommittee"]):
    def visible_to(self, user: Any) -> StreetCommitteeQuerySet:
        from .permissions import scope_of

        scope = scope_of(user)
        if scope.is_superuser:
            return self.all()
        return self.filter(
            Q(district_id__in=scope.district_ids) | Q(id__in=scope.street_ids)
        ).distinct()


class StreetCommittee(TimeStampedModel):
    """A street working committee (街道人大工委) and its deputies' delegation."""

    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="street_committees",
        verbose_name=_("district"),
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=50, help_text=_("e.g. 平江街道"))
    address = models.CharField(_("office address"), max_length=200, blank=True)
    phone = models.CharField(_("office phone"), max_length=30, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = StreetCommitteeQuerySet.as_manager()

    class Meta:
        verbose_name = _("street committee")
        verbose_name_plural = _("street committees")
        ordering = ["district", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["district", "code"], name="street_unique_code"),
            models.UniqueConstraint(fields=["district", "name"], name="street_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def committee_title(self) -> str:
        return _("%(street)s People's Congress Working Committee") % {"street": self.name}


class StreetCommitteePost(TimeStampedModel):
    """A seat on a street committee: director, part-time vice director, member, secretary."""

    class Post(models.TextChoices):
        DIRECTOR = "director", _("Director")
        VICE_DIRECTOR_OFFICE = "vice_director_office", _("Part-time vice director (street office)")
        VICE_DIRECTOR_DEPUTY = "vice_director_deputy", _("Part-time vice director (from deputies)")
        MEMBER = "member", _("Member")
        SECRETARY = "secretary", _("Secretary")

    street_committee = models.ForeignKey(
        StreetCommittee,
        on_delete=models.CASCADE,
        related_name="posts",
        verbose_name=_("street committee"),
    )
    post = models.CharField(_("post"), max_length=30, choices=Post.choices)
    person_name = models.CharField(_("name"), max_length=50)
    user = models.ForeignKey(
        "congress.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="street_posts",
        verbose_name=_("user account"),
    )
    is_part_time = models.BooleanField(_("part-time"), default=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("street committee post")
        verbose_name_plural = _("street committee posts")
        ordering = ["street_committee", "post", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="street_post_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.street_committee} {self.get_post_display()} {self.person_name}"


class Community(TimeStampedModel):
    """A residents' community (社区) inside a street."""

    street_committee = models.ForeignKey(
        StreetCommittee,
        on_delete=models.PROTECT,
        related_name="communities",
        verbose_name=_("street committee"),
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=50)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["street_committee", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["street_committee", "name"], name="community_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CongressSession(TimeStampedModel):
    """A session of the district people's congress (人代会会议)."""

    term = models.ForeignKey(
        Term, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("term")
    )
    number = models.PositiveSmallIntegerField(_("session number"))
    name = models.CharField(_("name"), max_length=100)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    half_days = models.PositiveSmallIntegerField(
        _("half-days"), default=1, help_text=_("Length of the session in half-days.")
    )

    class Meta:
        verbose_name = _("congress session")
        verbose_name_plural = _("congress sessions")
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(fields=["term", "number"], name="session_unique_number"),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="session_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class HandlingUnit(TimeStampedModel):
    """A government department that handles proposals and residents' opinions (承办单位).

    Kept with the institution because role assignments, opinions and proposals all
    refer to it.
    """

    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="handling_units",
        verbose_name=_("district"),
    )
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("handling unit")
        verbose_name_plural = _("handling units")
        ordering = ["district", "name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="handling_unit_unique_name"),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name


class User(AbstractUser):
    """An account. What it may do comes from its role assignments."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username


class RoleAssignment(TimeStampedModel):
    class Role(models.TextChoices):
        DISTRICT_STAFF = "district_staff", _("District staff")
        STREET_STAFF = "street_staff", _("Street staff")
        DEPUTY = "deputy", _("Deputy")
        HANDLING_UNIT = "handling_unit", _("Handling unit")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="roles", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    district = models.ForeignKey(
        District,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("district"),
    )
    street_committee = models.ForeignKey(
        StreetCommittee,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("street committee"),
        help_text=_("Required for street staff; the only street they can see."),
    )
    title = models.CharField(
        _("title"), max_length=30, blank=True, choices=StreetCommitteePost.Post.choices
    )
    handling_unit = models.ForeignKey(
        HandlingUnit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("handling unit"),
        help_text=_("Required for handling unit staff."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user", "role"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role="street_staff", street_committee__isnull=False)
                    | (~Q(role="street_staff") & Q(street_committee__isnull=True))
                ),
                name="role_street_scope_only_for_street_staff",
            ),
            models.CheckConstraint(
                condition=Q(role="handling_unit", handling_unit__isnull=False)
                | (~Q(role="handling_unit") & Q(handling_unit__isnull=True)),
                name="role_unit_only_for_handling_unit",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "district"],
                condition=Q(street_committee__isnull=True) & Q(handling_unit__isnull=True),
                name="role_unique_district_scope",
            ),
            models.UniqueConstraint(
                fields=["user", "handling_unit"],
                condition=Q(handling_unit__isnull=False),
                name="role_unique_unit_scope",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "street_committee"],
                condition=Q(street_committee__isnull=False),
                name="role_unique_street_scope",
            ),
        ]

    def __str__(self) -> str:
        scope = self.street_committee or self.district
        return f"{self.user} · {self.get_role_display()} · {scope}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.role == self.Role.STREET_STAFF and not self.street_committee_id:
            raise ValidationError(
                {"street_committee": _("Street staff must be assigned to a street committee.")}
            )
        if self.role != self.Role.STREET_STAFF and self.street_committee_id:
            raise ValidationError(
                {"street_committee": _("Only street staff are scoped to a street committee.")}
            )
        if self.role == self.Role.HANDLING_UNIT and not self.handling_unit_id:
            raise ValidationError(
                {"handling_unit": _("Handling unit staff must be linked to their unit.")}
            )
        if self.role != self.Role.HANDLING_UNIT and self.handling_unit_id:
            raise ValidationError(
                {"handling_unit": _("Only handling unit staff are linked to a unit.")}
            )
        if (
            self.street_committee_id
            and self.district_id
            and self.street_committee is not None
            and self.street_committee.district_id != self.district_id
        ):
            raise ValidationError(
                {"street_committee": _("The street committee belongs to another district.")}
            )
