"""The coordinators' journey through HTTP: screening, decisions, budget, duplicates, report."""

from __future__ import annotations

import datetime
import io
import json
import threading

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samspil.christmas import retention, services
from samspil.christmas.linkage import crosscharity, duplicates
from samspil.christmas.models import Application, ApplicationLink, Overlap, Round, Status
from samspil.christmas.tests.factories import make_application, make_round
from samspil.conftest import client_for


def test_a_coordinator_grants_and_the_queue_shows_it(personas, round):
    application = make_application(round)
    client = client_for(personas["coordinator"])
    response = client.post(reverse("christmas:decide", args=[application.pk]),
                           {"decision": "grant", "reason": ""})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.GRANTED and application.household is not None
    body = client.get(reverse("christmas:queue", args=[round.pk])).content.decode()
    assert "Granted" in body and "1500 kr." in body


def test_a_grant_past_the_budget_is_a_message_not_an_error(personas, org, branch):
    round = make_round(org, budget=1000)
    application = make_application(round)
    response = client_for(personas["coordinator"]).post(
        reverse("christmas:decide", args=[application.pk]), {"decision": "grant"})
    assert response.status_code == 400
    assert "budget would be exceeded" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.NEW


def test_reject_without_reason_is_refused(personas, round):
    application = make_application(round)
    response = client_for(personas["coordinator"]).post(
        reverse("christmas:decide", args=[application.pk]), {"decision": "reject"})
    assert "Give the reason" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.NEW


def test_delivery_and_follow_up_through_the_page(personas, round):
    application = make_application(round)
    coordinator = personas["coordinator"]
    services.application_grant(actor=coordinator, application=application)
    client = client_for(coordinator)
    client.post(reverse("christmas:delivery", args=[application.pk]), {"delivery": "handed_out"})
    client.post(reverse("christmas:offer_add", args=[application.pk]),
                {"kind": "network", "offered_on": "2026-12-20"})
    offer = application.offers.get()
    client.post(reverse("christmas:offer_update", args=[offer.pk]),
                {f"o{offer.pk}-response": "accepted", f"o{offer.pk}-took_part": "yes"})
    offer.refresh_from_db()
    application.refresh_from_db()
    assert application.delivery == "handed_out" and offer.took_part is True


def test_the_report_counts_the_funnel(personas, round):
    coordinator = personas["coordinator"]
    a, b, c = (make_application(round, first=n) for n in ("A", "B", "C"))
    make_application(round, first="D", income="other")
    for x in (a, b):
        services.application_grant(actor=coordinator, application=x)
    services.delivery_register(actor=coordinator, application=a, delivery="sent")
    services.delivery_register(actor=coordinator, application=b, delivery="not_collected")
    offer = services.followup_offer(actor=coordinator, application=a, kind="camp",
                                    offered_on=datetime.date(2026, 12, 20))
    services.followup_update(actor=coordinator, offer=offer, response="accepted", took_part=True)
    response = client_for(personas["org_admin"]).get(reverse("christmas:report", args=[round.pk]))
    total = response.context["total"].counts
    assert total == {"applications": 4, "eligible": 3, "granted": 2, "delivered": 1,
                     "offered": 1, "accepted": 1, "took_part": 1}
    assert "<svg" in response.content.decode() and "Took part" in response.content.decode()
    assert c.status == Status.NEW


def test_the_queue_and_an_application_have_a_fixed_number_of_queries(personas, round):
    for i in range(5):
        make_application(round, first=f"N{i}")
    client = client_for(personas["coordinator"])
    url = reverse("christmas:queue", args=[round.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(20):
        make_application(round, first=f"M{i}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few) <= 14
    application = round.applications.first()
    with CaptureQueriesContext(connection) as detail:
        client.get(reverse("christmas:application", args=[application.pk]))
    assert len(detail) <= 16


def _look_alikes(round):
    """The same household three times (typo, swapped names, via the other adult) and a
    relative in the same building who is not the same household."""
    born, partner = datetime.date(1988, 4, 3), datetime.date(1986, 1, 2)
    base = dict(children=(2015, 2019), address="Egevej 12, 2. tv")
    make_application(round, first="Mette", last="Hansen", other=("Bo", "Larsen", partner),
                     cpr_number="0304881234", **base)
    make_application(round, first="Mete", last="Hansen", other=("Bo", "Larsen", partner),
                     phone="20 12 34 56", **base)
    make_application(round, first="Bo", last="Larsen", other=("Mette", "Hansen", born),
                     phone="+45 31 31 31 31", **base)
    make_application(round, first="Hansen", last="Mette", phone="0045 20123456",
                     birth=datetime.date(1988, 3, 4), children=(2015, 2019),
                     address="Nyvej 3", postcode="2610")
    make_application(round, first="Karen", last="Hansen", birth=datetime.date(1990, 7, 9),
                     phone="+4522222222", children=(2021,), address="Egevej 12, 1. th")


def test_duplicates_are_found_with_evidence_and_decisions_are_remembered(personas, round):
    _look_alikes(round)
    client = client_for(personas["coordinator"])
    client.post(reverse("christmas:detect", args=[round.pk]))
    links = list(ApplicationLink.objects.all())
    names = {frozenset((link.first.first_name, link.second.first_name)) for link in links}
    karen = Application.objects.get(first_name="Karen")
    assert all(karen.pk not in (link.first_id, link.second_id) for link in links)
    assert frozenset(("Mette", "Bo")) in names and frozenset(("Mette", "Mete")) in names
    assert frozenset(("Mette", "Hansen")) in names  # swapped names, day/month, new address
    page = client.get(reverse("christmas:duplicates", args=[round.pk])).content.decode()
    assert "day and month swapped" in page and "one adult in common" in page
    link = links[0]
    client.post(reverse("christmas:link_decide", args=[link.pk]), {"decision": "reject"})
    client.post(reverse("christmas:detect", args=[round.pk]))
    link.refresh_from_db()
    assert link.status == "rejected" and ApplicationLink.objects.count() == len(links)
    client.post(reverse("christmas:link_decide", args=[link.pk]), {"decision": "undo"})
    link.refresh_from_db()
    assert link.status == "proposed"
    assert Application.objects.count() == 5  # nothing merged


def test_allocation_waits_for_open_duplicate_proposals(personas, round):
    _look_alikes(round)
    duplicates.detect_for_round(actor=personas["coordinator"], round=round)
    result = services.round_allocate(actor=personas["coordinator"], round=round,
                                     applications=round.applications.all())
    granted = set(round.applications.filter(status="granted").values_list("first_name", flat=True))
    assert granted == {"Karen"} and result["held"] == 4


def test_cross_charity_files_find_the_overlap_and_nothing_else(personas, round, other_org):
    admin = personas["org_admin"]
    key = "k" * 40
    services.round_set_linkage_key(actor=admin, round=round, key=key)
    make_application(round, first="Mette", cpr_number="0304881234")
    make_application(round, first="Ulla", last="Andersen", birth=datetime.date(1979, 5, 5),
                     phone="+4540404040", address="Skolevej 1")
    theirs = make_round(other_org, name="Their round")
    theirs.linkage_key_encrypted = round.linkage_key_encrypted
    theirs.save()
    make_application(theirs, first="Mette", last="Hansen", phone="+4599999999")  # no CPR
    make_application(theirs, first="Jonas", last="Berg", birth=datetime.date(1970, 1, 1),
                     phone="+4541414141", address="Parkvej 9", children=(2012,))
    payload = crosscharity.export_round(round=theirs)
    text = json.dumps(payload)
    assert "Mette" not in text and "Egevej" not in text and "2610" not in text
    client = client_for(admin)
    upload = io.BytesIO(text.encode())
    upload.name = "theirs.json"
    client.post(reverse("christmas:linkage", args=[round.pk]),
                {"i-partner": "Naboforeningen", "i-file": upload})
    flagged = set(Overlap.objects.values_list("application__first_name", flat=True))
    assert flagged == {"Mette"}


def test_a_file_made_with_another_key_is_refused(personas, round):
    admin = personas["org_admin"]
    services.round_set_linkage_key(actor=admin, round=round, key="a" * 40)
    payload = {"format": crosscharity.FORMAT, "key_check": crosscharity.key_check("b" * 40),
               "records": []}
    upload = io.BytesIO(json.dumps(payload).encode())
    upload.name = "x.json"
    response = client_for(admin).post(reverse("christmas:linkage", args=[round.pk]),
                                      {"i-partner": "X", "i-file": upload})
    assert "another key" in response.content.decode()
    broken = io.BytesIO(b"<html>")
    broken.name = "x.json"
    response = client_for(admin).post(reverse("christmas:linkage", args=[round.pk]),
                                      {"i-partner": "X", "i-file": broken})
    assert "not a linkage encodings file" in response.content.decode()


def test_retention_deletes_only_applications_that_never_became_households(
        personas, org, branch):
    old = make_round(org, name="2025", year=2025,
                     opens_at=datetime.datetime(2025, 11, 1, tzinfo=datetime.UTC),
                     closes_at=datetime.datetime(2025, 12, 1, tzinfo=datetime.UTC))
    rejected = make_application(old, first="Afvist")
    granted = make_application(old, first="Givet")
    services.application_reject(actor=personas["coordinator"], application=rejected,
                                reason="x")
    services.application_grant(actor=personas["coordinator"], application=granted)
    recent = make_round(org, name="2026")
    make_application(recent, first="Ny")
    out = io.StringIO()
    call_command("christmas_prune_applications", stdout=out)
    assert "Deleted 1" in out.getvalue()
    assert set(Application.objects.values_list("first_name", flat=True)) == {"Givet", "Ny"}
    assert retention.prune_applications() == 0


def test_an_admin_opens_a_round(personas, org):
    client = client_for(personas["org_admin"])
    response = client.post(reverse("christmas:round_new"), {
        "name": "Jul 2027", "year": "2027", "opens_at": "2027-11-01T08:00",
        "closes_at": "2027-10-01T08:00", "budget": "50000", "amount_per_household": "800",
        "amount_per_child": "200", "require_children": "on", "weight_single_provider": "3",
        "weight_per_child": "1", "weight_no_aid_last_year": "2",
    })
    assert "must close after it opens" in response.content.decode()
    assert not Round.objects.filter(name="Jul 2027").exists()
    client.post(reverse("christmas:round_new"), {
        "name": "Jul 2027", "year": "2027", "opens_at": "2027-11-01T08:00",
        "closes_at": "2027-12-01T08:00", "budget": "50000", "amount_per_household": "800",
        "amount_per_child": "200", "require_children": "on", "income_categories": ["pension"],
        "weight_single_provider": "3", "weight_per_child": "1", "weight_no_aid_last_year": "2",
        "followup_kinds": ["camp"],
    })
    made = Round.objects.get(name="Jul 2027")
    assert made.organisation == org and made.income_categories == ["pension"]


@pytest.mark.postgres_only
@pytest.mark.skipif("sqlite" in settings.DATABASES["default"]["ENGINE"],
                    reason="row locks need PostgreSQL")
# serialized_rollback: a transactional test empties every table afterwards; the reference data
# (postcodes, municipalities) that later tests need are restored from the serialized copy.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_grants_never_pass_the_budget(org, branch, coordinator):
    round = make_round(org, budget=4500)  # room for three grants of 1500
    applications = [make_application(round, first=f"P{i}") for i in range(8)]
    barrier = threading.Barrier(len(applications))
    errors = []

    def grant(application):
        from django.db import connection as thread_connection
        try:
            barrier.wait()
            services.application_grant(actor=coordinator, application=application)
        except Exception as exc:  # noqa: BLE001 - the refusals are counted below
            errors.append(type(exc).__name__)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=grant, args=(a,)) for a in applications]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Application.objects.filter(status=Status.GRANTED).count() == 3
    assert services.granted_total(round) == 4500
    assert errors == ["ValidationError"] * 5


def test_the_demo_has_a_round_in_progress_with_every_state(db):
    from samspil.core import demo

    demo.seed(households=5)
    demo.seed(households=5)  # twice is safe
    round = Round.objects.get(name="Julehjælp (demo)")
    assert round.is_open(__import__("django.utils.timezone", fromlist=["now"]).now())
    statuses = set(round.applications.values_list("status", flat=True))
    assert statuses == {"new", "granted", "rejected"}
    assert ApplicationLink.objects.filter(first__round=round).count() >= 3
    deliveries = set(round.applications.values_list("delivery", flat=True))
    assert {"handed_out", "sent", "not_collected"} <= deliveries
    assert round.applications.filter(offers__took_part=True).exists()
    # Offers that point to the activities demo's networks and camps.
    assert round.applications.filter(offers__network__isnull=False).exists()
    assert round.applications.filter(offers__activity__isnull=False).exists()


def test_the_queue_speaks_plain_danish_about_budget_and_eligibility(personas, round):
    """Issue 19: the remaining budget read "Stoppet" (the network's "left") and eligible
    applications "Med i opgørelsen" (an outcomes term); one duplicate was "1 nye ... dubletter"."""
    make_application(round)
    client = client_for(personas["coordinator"], "da")
    body = client.get(reverse("christmas:queue", args=[round.pk])).content.decode()
    assert "Tilbage af budgettet" in body and "Stoppet" not in body
    assert "Opfylder betingelserne" in body and "Med i opgørelsen" not in body


@pytest.mark.parametrize("n, text", [(1, "1 ny mulig dublet fundet."),
                                     (2, "2 nye mulige dubletter fundet.")])
def test_the_duplicate_count_has_danish_plural_forms(personas, round, monkeypatch, n, text):
    monkeypatch.setattr(duplicates, "detect_for_round", lambda **kwargs: n)
    client = client_for(personas["coordinator"], "da")
    response = client.post(reverse("christmas:detect", args=[round.pk]), follow=True)
    assert text in response.content.decode()
