"""Personas shared by every test: who may, who may not.

Organisation A ("Familiehjælpen") has branches Rødovre and Aarhus; organisation B is an outsider.
"""

from __future__ import annotations

import datetime
import time

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from samspil.core.models import Branch, Organisation, Postcode, Role, User
from samspil.households import services
from samspil.households.models import Household

PASSWORD = "test-password-123"

# Test-only: a session made by client.force_login (or client.login) counts as having passed the
# second factor (and as just active), so the tests of every page need not type TOTP codes. The
# two-factor login itself is tested with real logins in samspil/security/tests/. Nothing in the
# product knows this marker: TwoFactorMiddleware reads django-otp's own session key, which only
# django_otp.login() (after a correct code) sets outside tests.
FORCE_LOGIN_OTP_MARKER = "test_force_login.device/0"
_django_client_login = Client._login


def _login_verified(self, user, backend=None):
    _django_client_login(self, user, backend)
    from samspil.security.middleware import LAST_ACTIVITY_KEY, STARTED_KEY

    session = self.session
    session[DEVICE_ID_SESSION_KEY] = FORCE_LOGIN_OTP_MARKER
    session[LAST_ACTIVITY_KEY] = session[STARTED_KEY] = int(time.time())
    session.save()


Client._login = _login_verified


def make_user(username, org, role, branches=()) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, organisation=org, role=role,
        first_name=username.title(), last_name="Test",
    )
    user.branches.set(branches)
    return user


def member(role, first, last, birth, **extra) -> services.MemberData:
    values = {"role": role, "first_name": first, "last_name": last, "birth_date": birth,
              "gender": "", "school_grade": "", "work_status": ""}
    values.update(extra)
    return services.MemberData(values=values)


# Query counts: an audit row is two statements on both databases, the chain's newest hash (on
# PostgreSQL together with the advisory lock that serialises writers, in one function call) and
# the insert (samspil/core/audit_chain.py).

@pytest.fixture
def org(db) -> Organisation:
    return Organisation.objects.create(name="Familiehjælpen", kind="charity")


@pytest.fixture
def other_org(db) -> Organisation:
    return Organisation.objects.create(name="Naboforeningen", kind="charity")


@pytest.fixture
def branch(org) -> Branch:
    return Branch.objects.create(organisation=org, name="Rødovre", municipality_id="0175")


@pytest.fixture
def other_branch(org) -> Branch:
    return Branch.objects.create(organisation=org, name="Aarhus", municipality_id="0751")


@pytest.fixture
def coordinator(org, branch) -> User:
    return make_user("karen", org, Role.COORDINATOR, [branch])


@pytest.fixture
def personas(org, other_org, branch, other_branch, coordinator) -> dict[str, User]:
    """Every role of organisation A, a coordinator of another branch, and an outsider."""
    outsider_branch = Branch.objects.create(
        organisation=other_org, name="København", municipality_id="0101"
    )
    return {
        "coordinator": coordinator,
        "org_admin": make_user("ole", org, Role.ORG_ADMIN),
        "other_branch_coordinator": make_user("kim", org, Role.COORDINATOR, [other_branch]),
        "volunteer": make_user("frida", org, Role.VOLUNTEER, [branch]),
        "caseworker": make_user("sanne", org, Role.CASEWORKER),
        "evaluator": make_user("eva", org, Role.EVALUATOR),
        "outsider": make_user("anders", other_org, Role.COORDINATOR, [outsider_branch]),
    }


def make_household(actor, branch, *, last="Jensen", address="Egevej 12", postcode="2610",
                   phone="+4520123456", children=2) -> Household:
    pc = Postcode.objects.get(code=postcode)
    members = [member("parent", "Anna", last, datetime.date(1985, 3, 14))]
    for i in range(children):
        members.append(member("child", f"Barn{i}", last, datetime.date(2012 + i, 6, 1),
                              school_grade="5"))
    return services.household_create(
        actor=actor,
        values={"branch": branch, "address": address, "postcode": pc,
                "municipality": pc.municipality, "phone": phone, "email": "",
                "preferred_language": "da", "notes": ""},
        members=members,
    )


@pytest.fixture
def household(coordinator, branch) -> Household:
    return make_household(coordinator, branch)


def client_for(user: User | None, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user)
    return client
