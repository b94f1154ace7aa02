"""The public form's post is the hot path: a fixed, small number of queries, and the one-statement
intake facts follow the same rules as the readable ORM versions."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samspil.christmas import rules, services
from samspil.christmas.forms import cached_postcode
from samspil.christmas.models import Application
from samspil.christmas.tests.factories import form_data, make_application, make_round
from samspil.core.models import Branch, Municipality
from samspil.core.public_forms import rate_limited


def test_a_post_takes_eight_queries_whatever_the_round_holds(round):
    client = Client(HTTP_ACCEPT_LANGUAGE="da")
    url = reverse("christmas:apply", args=[round.slug])
    client.post(url, form_data(client, url, first_name="Først"))  # warms the postcode copy
    for i in range(5):
        make_application(round, first=f"N{i}")
    data = form_data(client, url)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data)
    assert response.status_code == 302
    # The round; the rate-limit upsert; inside create_once's transaction (a savepoint and its
    # release in a test): the intake facts (on PostgreSQL a prepared statement, prepared by the
    # first post on the connection), the application, its audit event (two: the chain's lock
    # and head hash in one statement, then the insert). The same on both databases.
    sql = [q["sql"] for q in queries.captured_queries]
    assert len(sql) == 8, sql
    if connection.vendor == "postgresql":
        assert any(s.startswith("EXECUTE samspil_intake_facts_") for s in sql), sql
    assert not any("core_postcode" in s for s in sql)
    assert Application.objects.filter(first_name="Mette").count() == 1


def test_a_repeated_post_still_finds_the_first_application(round):
    client = Client()
    url = reverse("christmas:apply", args=[round.slug])
    data = form_data(client, url)
    first = client.post(url, data)
    again = client.post(url, data)
    assert first["Location"].split("?r=")[0] == again["Location"].split("?r=")[0]
    assert Application.objects.count() == 1


def _facts(round, **who):
    who = {"first_name": "Mette", "last_name": "Hansen", "birth_date": datetime.date(1988, 4, 3),
           "digest": "", **who}
    return services.intake_facts(round, **who)


def test_the_facts_equal_the_readable_rules(org, branch, other_branch, round):
    # Two branches in Rødovre: the older one screens.
    Branch.objects.create(organisation=org, name="Rødovre Nord", municipality_id="0175")
    facts = _facts(round)
    assert facts.area == rules.round_municipality_codes(round) == {"0175", "0751"}
    for code in ("0175", "0751", "0101"):
        expected = services.branch_for(round, code)
        assert facts.branch_of.get(code) == (expected.pk if expected else None)
    assert facts.branch_of["0175"] == branch.pk
    # Municipalities chosen on the round replace the branches' as the area.
    round.municipalities.set([Municipality.objects.get(code="0101")])
    assert _facts(round).area == rules.round_municipality_codes(round) == {"0101"}


@pytest.mark.parametrize("who, expected", [
    ({}, True),
    ({"first_name": "METTE", "last_name": "hansen"}, True),  # case does not matter
    ({"first_name": "Mette", "birth_date": datetime.date(1988, 3, 4)}, False),
    ({"first_name": "Anna", "digest": "same-digest"}, True),  # the CPR number says so
    ({"first_name": "Anna", "digest": ""}, False),  # no number matches no number
])
def test_aid_last_year_is_the_same_rule(org, branch, who, expected):
    last_year = make_round(org, name="Julehjælp 2025", year=2025)
    granted = make_application(last_year, cpr_number="")
    granted.cpr_digest = "same-digest"
    granted.status, granted.amount = "granted", 1000
    granted.save(update_fields=["cpr_digest", "status", "amount"])
    make_application(last_year, first="Anna", cpr_number="")  # not granted: no aid
    this_year = make_round(org)
    facts = _facts(this_year, **who)
    full = {"first_name": "Mette", "last_name": "Hansen",
            "birth_date": datetime.date(1988, 4, 3), "digest": "", **who}
    assert facts.aid_last_year is services.had_aid_last_year(this_year, **full) is expected


def test_the_postcode_copy_gives_the_databases_answer(db):
    postcode = cached_postcode(" 2610 ")
    assert (postcode.code, postcode.municipality_id) == ("2610", "0175")
    with pytest.raises(Exception, match="is not a Danish postcode"):
        cached_postcode("0000")


# serialized_rollback: a transactional test empties every table afterwards; the reference data
# (municipalities, postcodes) from the migrations comes back with it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(PUBLIC_FORM_MAX_SUBMISSIONS=2)
def test_the_rate_limit_counts_outside_a_transaction():
    """Outside a transaction the count commits on its own (on PostgreSQL without waiting for
    the disk): every post counts, the third is refused."""
    from django.test import RequestFactory

    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
    assert [rate_limited(request, scope="t") for _ in range(3)] == [False, False, True]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
def test_a_connection_that_already_has_the_statement_prepared_is_used_as_it_is(round):
    # As a pooler's server connection would come: the statement prepared, this process unaware.
    first = _facts(round)
    services._PREPARED.discard(connection.connection)
    assert _facts(round) == first
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements "
                       "WHERE name LIKE 'samspil_intake_facts_%%'")
        assert cursor.fetchone()[0] == 1
