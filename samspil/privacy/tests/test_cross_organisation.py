"""Every URL × every role × the objects of another organisation → never their data.

The demo fills organisation A (and its neighbours) with households, engagements, activities,
Christmas aid, partners and outcomes. A fresh organisation C, with a user in every role and no
data of its own, then opens every named URL with every id-shaped argument set to the ids of A's
objects, by GET and by POST: the answer is never a 500, never one of A's names or addresses,
and a POST changes nothing.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from samspil.conftest import client_for, make_user
from samspil.core.models import AuditEvent, Branch, Organisation, Role
from samspil.households.models import Household, Person

IDS = (1, 2)
ROLES = (Role.ORG_ADMIN, Role.COORDINATOR, Role.VOLUNTEER, Role.CASEWORKER, Role.EVALUATOR)
SKIP = {"logout", "set_language"}


def _patterns():
    found = []

    def walk(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin":
                    continue
                walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and p.name:
                found.append((f"{namespace}{p.name}", list(p.pattern.converters.items())))

    walk(get_resolver().url_patterns)
    return found


def _urls():
    urls = []
    for name, converters in _patterns():
        if name in SKIP:
            continue
        if not converters:
            urls.append((name, reverse(name)))
            continue
        if not all(type(c).__name__ in ("IntConverter", "IdConverter") for _k, c in converters):
            continue  # token links of the public forms: public by design, tested by their apps
        for value in IDS:
            urls.append((name, reverse(name, kwargs={k: value for k, _c in converters})))
    return urls


@pytest.fixture
def world(db):
    call_command("seed_demo", households=12, stdout=open("/dev/null", "w"))  # noqa: SIM115
    secrets = set()
    for h in Household.objects.all():
        secrets.add(h.address)
    for p in Person.objects.all():
        secrets.add(p.full_name)
    stranger = Organisation.objects.create(name="Fremmedforeningen", kind="charity")
    branch = Branch.objects.create(organisation=stranger, name="Fremmedby",
                                   municipality_id="0101")
    users = {role: make_user(f"fremmed-{role}", stranger, role, [branch]) for role in ROLES}
    return secrets, users


@pytest.mark.parametrize("role", ROLES)
def test_no_url_gives_another_organisations_data(role, world):
    secrets, users = world
    client = client_for(users[role])
    before = (Household.objects.count(), Person.objects.count())
    failures = []
    for name, url in _urls():
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if response.status_code >= 500:
                failures.append((name, method, url, response.status_code))
                continue
            if response.status_code != 200 or not hasattr(response, "content"):
                continue
            body = response.content.decode(errors="replace")
            leaked = [s for s in secrets if s and s in body]
            if leaked:
                failures.append((name, method, url, leaked[:3]))
    assert failures == []
    assert (Household.objects.count(), Person.objects.count()) == before
    # The attempts on households are in the log, under the stranger's organisation.
    assert AuditEvent.objects.filter(actor=users[role], action="denied").exists() or role in (
        Role.VOLUNTEER, Role.CASEWORKER, Role.EVALUATOR)
