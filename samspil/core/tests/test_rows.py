"""core/rows.py: the hot path's one-row read and insert give what the ORM gives."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.db.models.signals import post_save, pre_save
from django.utils import timezone

from samspil.christmas.models import Application, Round
from samspil.core import rows
from samspil.core.models import AuditEvent, Postcode


@pytest.fixture
def open_round(org):
    now = timezone.now()
    return Round.objects.create(
        organisation=org, name="Jul", year=now.year, opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=1), budget=100_000, amount_per_household=500,
        income_categories=["cash_benefit", "unemployment"], followup_kinds=["camp"],
        require_children=False)


def _values(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


@pytest.mark.django_db
def test_get_by_reads_every_field_as_the_orm_does(open_round):
    fetched = rows.get_by(Round, "slug", open_round.slug)
    assert _values(fetched) == _values(Round.objects.get(pk=open_round.pk))
    assert fetched.income_categories == ["cash_benefit", "unemployment"]  # JSON decoded
    assert fetched.require_children is False  # a boolean, also on SQLite
    assert isinstance(fetched.opens_at, datetime.datetime) and fetched.opens_at.tzinfo
    assert not fetched._state.adding
    assert rows.get_by(Round, "slug", "no-such-round") is None


def test_get_by_refuses_a_column_that_is_not_unique():
    with pytest.raises(ValueError):
        rows.get_by(Round, "name", "Jul")


@pytest.mark.django_db
def test_insert_stores_what_save_would_and_sends_the_save_signals(open_round):
    seen = []

    def pre(sender, instance, **kwargs):
        seen.append(("pre", instance.pk))

    def post(sender, instance, created, **kwargs):
        seen.append(("post", instance.pk, created))

    pre_save.connect(pre, sender=Application)
    post_save.connect(post, sender=Application)
    try:
        application = Application(
            round=open_round, submission_token=uuid.uuid4(), submitted_at=timezone.now(),
            first_name="Åse", last_name="Østergård", birth_date=datetime.date(1985, 3, 14),
            address="Vej 1", postcode=Postcode.objects.get(code="2610"), municipality_id="0175",
            phone="+4520123456", children_birth_years=[2015, 2018], income="cash_benefit",
            ineligible_reasons=["area"], eligible=False, priority=4)
        rows.insert(application)
    finally:
        pre_save.disconnect(pre, sender=Application)
        post_save.disconnect(post, sender=Application)
    assert application.pk is not None and not application._state.adding
    assert seen == [("pre", None), ("post", application.pk, True)]
    stored = Application.objects.get(pk=application.pk)
    assert _values(stored) == _values(application)
    assert stored.children_birth_years == [2015, 2018]
    assert stored.receipt and stored.linkage_ref  # the fields' defaults


@pytest.mark.django_db
def test_insert_refuses_an_object_that_is_already_stored(open_round):
    with pytest.raises(ValueError):
        rows.insert(open_round)
    assert AuditEvent.objects.count() == 0
