"""Finding households: by name, phone or address, only within what the user may see."""

from __future__ import annotations

import pytest

from samspil.conftest import client_for, make_household
from samspil.core.models import AuditEvent


@pytest.fixture
def registry(coordinator, branch, other_branch, personas):
    make_household(coordinator, branch, last="Sørensen", address="Lærkevej 3",
                   phone="+4522334455")
    make_household(coordinator, branch, last="Hussein", address="Birkealle 9",
                   phone="+4540506070")
    make_household(personas["org_admin"], other_branch, last="Sørensen", address="Aarhusvej 1",
                   postcode="8000", phone="+4530303030")


@pytest.mark.parametrize("query, expected", [
    ("sørensen", ["Anna Sørensen"]),
    ("SØRENSEN", ["Anna Sørensen"]),
    ("anna hussein", ["Anna Hussein"]),
    ("22 33 44 55", ["Anna Sørensen"]),
    ("40506070", ["Anna Hussein"]),
    ("birkealle", ["Anna Hussein"]),
    ("2610", ["Anna Hussein", "Anna Sørensen"]),
    ("nobody", []),
])
def test_a_coordinator_finds_households_of_her_branch(coordinator, registry, query, expected):
    response = client_for(coordinator).get("/households/", {"q": query})
    names = [h.display_name for h in response.context["page"].object_list]
    assert sorted(names) == expected


def test_an_organisation_administrator_searches_all_branches(personas, registry):
    response = client_for(personas["org_admin"]).get("/households/", {"q": "sørensen"})
    assert len(response.context["page"].object_list) == 2


def test_searches_are_logged_with_the_term_but_never_a_cpr(coordinator, registry):
    client = client_for(coordinator)
    client.get("/households/", {"q": "hussein"})
    client.get("/households/", {"q": "140385-1234"})
    terms = list(AuditEvent.objects.filter(action="search").values_list("summary", flat=True))
    assert "hussein" in terms and "******-****" in terms
    assert not any("1234" in t for t in terms)


def test_htmx_search_returns_only_the_results(coordinator, registry):
    response = client_for(coordinator).get(
        "/households/", {"q": "hussein"}, HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="household-results")
    html = response.content.decode()
    assert "Anna Hussein" in html and "<html" not in html


def test_the_list_pages(coordinator, branch, settings):
    settings.PAGE_SIZE = 2
    for i in range(5):
        make_household(coordinator, branch, last=f"Familie{i}")
    client = client_for(coordinator)
    first = client.get("/households/").content.decode()
    third = client.get("/households/", {"page": 3}).content.decode()
    assert "Page 1 of 3" in first and "Anna Familie4" in first
    assert "Anna Familie0" in third and "Anna Familie4" not in third
