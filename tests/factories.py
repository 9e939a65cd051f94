"""Shared factory_boy factories. Deputies are created through the service, like the app does."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from congress.models import (
    Community,
    District,
    RoleAssignment,
    StreetCommittee,
    StreetCommitteePost,
    Term,
    User,
)
from deputies.models import Deputy
from deputies.services import deputy_create

TERM_START = dt.date(2021, 12, 1)


class DistrictFactory(factory.django.DjangoModelFactory[District]):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"D{n:04d}")
    name = factory.Sequence(lambda n: f"测试{n}区")
    committee_name = factory.LazyAttribute(lambda o: f"{o.name}人大常委会")


class TermFactory(factory.django.DjangoModelFactory[Term]):
    class Meta:
        model = Term

    district = factory.SubFactory(DistrictFactory)
    number = 18
    name = "第十八届"
    start_date = TERM_START


class StreetCommitteeFactory(factory.django.DjangoModelFactory[StreetCommittee]):
    class Meta:
        model = StreetCommittee

    district = factory.SubFactory(DistrictFactory)
    code = factory.Sequence(lambda n: f"S{n:03d}")
    name = factory.Sequence(lambda n: f"第{n}街道")
    phone = "0512-65000000"


class StreetCommitteePostFactory(factory.django.DjangoModelFactory[StreetCommitteePost]):
    class Meta:
        model = StreetCommitteePost

    street_committee = factory.SubFactory(StreetCommitteeFactory)
    post = StreetCommitteePost.Post.SECRETARY
    person_name = factory.Sequence(lambda n: f"秘书{n}")
    start_date = TERM_START


class CommunityFactory(factory.django.DjangoModelFactory[Community]):
    class Meta:
        model = Community

    street_committee = factory.SubFactory(StreetCommitteeFactory)
    code = factory.Sequence(lambda n: f"C{n:04d}")
    name = factory.Sequence(lambda n: f"第{n}社区")


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", "pass12345")

    @factory.post_generation
    def saved(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.save()


def district_staff(district: District, **kwargs: Any) -> User:
    user = UserFactory.create(**kwargs)
    RoleAssignment.objects.create(
        user=user, role=RoleAssignment.Role.DISTRICT_STAFF, district=district
    )
    return user


def street_staff(street: StreetCommittee, **kwargs: Any) -> User:
    user = UserFactory.create(**kwargs)
    RoleAssignment.objects.create(
        user=user,
        role=RoleAssignment.Role.STREET_STAFF,
        district_id=street.district_id,
        street_committee=street,
        title=StreetCommitteePost.Post.SECRETARY,
    )
    return user


_phone_counter = iter(range(10_000_000, 99_999_999))


def make_deputy(
    *,
    street: StreetCommittee,
    term: Term | None = None,
    name: str | None = None,
    level: str = Deputy.Level.DISTRICT,
    with_user: bool = False,
    elected_on: dt.date = TERM_START,
    **fields: Any,
) -> Deputy:
    term = (
        term
        or Term.objects.filter(district_id=street.district_id).first()
        or TermFactory.create(district=street.district)
    )
    n = next(_phone_counter)
    fields.setdefault("phone", f"138{n:08d}")
    deputy = deputy_create(
        district=street.district,
        term=term,
        name=name or f"代表{n}",
        gender=Deputy.Gender.FEMALE if n % 2 else Deputy.Gender.MALE,
        level=level,
        elected_on=elected_on,
        street_committee=street,
        constituency=f"第{n % 40 + 1}选区",
        sector="教育工作者",
        **fields,
    )
    if with_user:
        user = UserFactory.create(username=f"deputy{n}", full_name=deputy.name)
        RoleAssignment.objects.create(
            user=user, role=RoleAssignment.Role.DEPUTY, district_id=street.district_id
        )
        deputy.user = user
        deputy.save(update_fields=["user"])
    return deputy
