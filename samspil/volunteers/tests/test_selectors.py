"""Who sees which volunteers, and the overview of missing and ageing certificates."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from samspil.conftest import client_for
from samspil.volunteers import selectors, services
from samspil.volunteers.models import ChildCertificate
from samspil.volunteers.tests.factories import certify, make_volunteer

D = datetime.date
TODAY = D(2026, 6, 15)


@pytest.fixture
def scoped(personas, branch, other_branch):
    coordinator = personas["coordinator"]
    make_volunteer(coordinator, branch, first_name="Rødovre")
    make_volunteer(personas["org_admin"], other_branch, first_name="Aarhus")
    make_volunteer(coordinator, branch, first_name="Frida", user=personas["volunteer"])
    outsider = personas["outsider"]
    make_volunteer(outsider, outsider.branches.get(), first_name="Udenfor")


@pytest.mark.parametrize("role, expected", [
    ("org_admin", ["Aarhus", "Frida", "Rødovre"]),
    ("coordinator", ["Frida", "Rødovre"]),
    ("other_branch_coordinator", ["Aarhus"]),
    ("volunteer", ["Frida"]),
    ("caseworker", []),
    ("evaluator", []),
    ("outsider", ["Udenfor"]),
])
def test_each_role_sees_its_own_volunteers(personas, scoped, role, expected):
    found = selectors.volunteer_list_for(user=personas[role])
    assert [v.first_name for v in found] == expected


def test_nobody_anonymous_sees_a_volunteer(scoped):
    assert not selectors.volunteer_list_for(user=AnonymousUser()).exists()


def test_an_inactive_user_sees_nothing(personas, scoped):
    admin = personas["org_admin"]
    admin.is_active = False
    assert not selectors.volunteer_list_for(user=admin).exists()


def test_get_for_answers_none_outside_the_scope(personas, scoped):
    aarhus = selectors.volunteer_list_for(user=personas["org_admin"]).get(first_name="Aarhus")
    assert selectors.volunteer_get_for(user=personas["coordinator"], pk=aarhus.pk) is None
    assert selectors.volunteer_get_for(user=personas["volunteer"], pk=aarhus.pk) is None
    assert selectors.volunteer_get_for(user=personas["org_admin"], pk=aarhus.pk) == aarhus


# --- the certificate overview -----------------------------------------------------------------

@pytest.fixture
def certificates(personas, branch, other_branch, settings):
    """One volunteer per case, names saying what their certificate is like on TODAY."""
    settings.CHILD_CERTIFICATE_ROLES = ["family_friend"]
    settings.CHILD_CERTIFICATE_VALID_MONTHS = 24
    settings.CHILD_CERTIFICATE_WARN_DAYS = 60
    c = personas["coordinator"]

    def friend(name, **extra):
        return make_volunteer(c, branch, first_name=name, **extra)

    friend("Missing")
    services.certificate_record(actor=c, volunteer=friend("Pending"),
                                requested_on=D(2026, 6, 1), today=TODAY)
    certify(c, friend("Valid"), received_on=D(2026, 1, 10))
    certify(c, friend("Expiring"), received_on=D(2024, 7, 20))  # until 2026-07-20
    certify(c, friend("Expired"), received_on=D(2024, 6, 1))  # until 2026-06-01
    certify(c, friend("Rejected"), received_on=D(2026, 5, 1), result="remarks")
    # The newest decision counts, not the longest validity.
    both = friend("Renewed")
    certify(c, both, received_on=D(2025, 1, 1), valid_until=D(2030, 1, 1))
    certify(c, both, received_on=D(2026, 5, 1), valid_until=D(2026, 7, 1))
    # An old remark, then an approved certificate: fine.
    cleared = friend("Cleared")
    certify(c, cleared, received_on=D(2025, 1, 1), result="remarks")
    certify(c, cleared, received_on=D(2026, 2, 1))
    # Recorded without a validity (not through the services): computed from the check date.
    old = friend("Undated")
    ChildCertificate.objects.create(volunteer=old, requested_on=D(2024, 1, 1),
                                    received_on=D(2024, 1, 10), result="clear")
    # Renewal ordered after expiry.
    renewing = friend("Renewing")
    certify(c, renewing, received_on=D(2024, 1, 10))
    services.certificate_record(actor=c, volunteer=renewing, requested_on=D(2026, 6, 10),
                                today=TODAY)
    # Left out: a role that needs none, a stopped volunteer, another branch (for Karen).
    make_volunteer(c, branch, first_name="Mentor", roles=["job_mentor"])
    friend("Stopped", status="stopped")
    make_volunteer(personas["org_admin"], other_branch, first_name="Elsewhere")


def names(rows):
    return [(r.volunteer.first_name, r.status.state) for r in rows]


def test_the_overview_lists_what_needs_attention_most_urgent_first(personas, certificates):
    rows = selectors.certificate_overview_for(user=personas["coordinator"], today=TODAY)
    assert names(rows) == [
        ("Undated", "expired"), ("Expired", "expired"),
        ("Rejected", "rejected"),
        ("Missing", "missing"),
        ("Renewing", "pending"), ("Pending", "pending"),  # the one already expired first
        ("Renewed", "expiring"), ("Expiring", "expiring"),
    ]
    assert rows[-1].status.valid_until == D(2026, 7, 20)


def test_the_overview_of_an_organisation_administrator_covers_all_branches(
    personas, certificates
):
    rows = selectors.certificate_overview_for(user=personas["org_admin"], today=TODAY)
    assert ("Elsewhere", "missing") in names(rows)


def test_the_overview_filters_by_state(personas, certificates):
    rows = selectors.certificate_overview_for(user=personas["coordinator"], today=TODAY,
                                              state="expiring")
    assert names(rows) == [("Renewed", "expiring"), ("Expiring", "expiring")]


def test_the_roles_that_need_a_certificate_are_a_setting(personas, certificates, settings):
    settings.CHILD_CERTIFICATE_ROLES = ["family_friend", "job_mentor"]
    rows = selectors.certificate_overview_for(user=personas["coordinator"], today=TODAY)
    assert ("Mentor", "missing") in names(rows)
    settings.CHILD_CERTIFICATE_ROLES = []
    assert selectors.certificate_overview_for(user=personas["coordinator"], today=TODAY) == []


def test_the_warning_period_is_a_setting(personas, certificates, settings):
    settings.CHILD_CERTIFICATE_WARN_DAYS = 20
    rows = selectors.certificate_overview_for(user=personas["coordinator"], today=TODAY)
    assert ("Expiring", "expiring") not in names(rows)  # 35 days left
    assert ("Renewed", "expiring") in names(rows)  # 16 days left


@pytest.mark.parametrize("role", ["volunteer", "caseworker", "evaluator"])
def test_other_roles_get_no_overview(personas, certificates, role):
    assert selectors.certificate_overview_for(user=personas[role], today=TODAY) == []


def test_the_overview_page(personas, certificates):
    html = client_for(personas["coordinator"]).get("/volunteers/certificates/").content.decode()
    assert "Missing and ageing certificates" in html
    assert "Family friend" in html  # the roles that need one
    assert "Missing Frivillig" in html and "Mentor Frivillig" not in html
    filtered = client_for(personas["coordinator"]).get(
        "/volunteers/certificates/", {"state": "rejected"}).content.decode()
    assert "Rejected Frivillig" in filtered and "Missing Frivillig" not in filtered
