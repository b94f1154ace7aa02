"""Registering a household with its members through the page, and the bad input it refuses."""

from __future__ import annotations

import pytest
from django.utils import timezone

from samspil.conftest import client_for
from samspil.core.models import AuditEvent
from samspil.households.models import Consent, Household, Person


def form_data(branch, members, **household):
    data = {
        "branch": branch.pk, "address": "Egevej 12", "postcode": "2610", "municipality": "",
        "phone": "20 12 34 56", "email": "familie@example.org", "preferred_language": "da",
        "notes": "",
        "members-TOTAL_FORMS": str(len(members)), "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0", "members-MAX_NUM_FORMS": "1000",
    }
    data.update(household)
    for i, m in enumerate(members):
        for key, value in m.items():
            data[f"members-{i}-{key}"] = value
    return data


def parent(first="Anna", birth="1985-03-14", **extra):
    return {"role": "parent", "first_name": first, "last_name": "Jensen", "birth_date": birth,
            "gender": "female", "work_status": "unemployed", **extra}


def child(first="Alma", birth="2014-06-01", **extra):
    return {"role": "child", "first_name": first, "last_name": "Jensen", "birth_date": birth,
            "school_grade": "5", **extra}


def test_it_registers_a_household_with_two_parents_and_three_children(coordinator, branch):
    members = [parent(), parent("Peter", "1983-01-02", gender="male"), child(),
               child("Oscar", "2016-02-02"), child("Ella", "2019-09-09")]
    response = client_for(coordinator).post("/households/new/", form_data(branch, members))
    household = Household.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/households/{household.pk}/"
    assert household.members.count() == 5
    assert household.municipality_id == "0175"  # from postcode 2610 Rødovre
    assert household.phone == "+4520123456"
    assert household.organisation == branch.organisation
    assert household.display_name == "Anna Jensen / Peter Jensen"
    actions = set(AuditEvent.objects.filter(household_id=household.pk).values_list(
        "object_type", "action"))
    assert ("households.household", "create") in actions
    assert ("households.person", "create") in actions


def test_it_stores_a_cpr_number_only_encrypted_and_with_its_consent(coordinator, branch):
    members = [parent(cpr="140385-1234", cpr_consent="on")]
    client_for(coordinator).post("/households/new/", form_data(branch, members))
    person = Person.objects.get()
    assert "1403851234" not in person.cpr_encrypted and person.cpr_encrypted
    assert person.cpr_masked == "140385-xxxx"
    assert Consent.objects.filter(person=person, purpose="cpr").exists()
    page = client_for(coordinator).get(f"/households/{person.household_id}/").content.decode()
    assert "140385-xxxx" in page and "1234" not in page.split("140385-xxxx")[0][-50:]
    assert "140385-1234" not in page and "1403851234" not in page
    for event in AuditEvent.objects.all():
        assert "1234" not in f"{event.summary}{event.object_label}{event.fields}"


BAD_INPUT = [
    ("an invalid CPR number", [parent(cpr="320185-1234", cpr_consent="on")], {},
     "members-0-cpr", "Enter a valid CPR number"),
    ("a CPR that does not match the birth date", [parent(cpr="150385-1234", cpr_consent="on")],
     {}, "members-0-cpr", "does not match the birth date"),
    ("a CPR without consent", [parent(cpr="140385-1234")], {}, "members-0-cpr_consent",
     "may only be stored"),
    ("a birth date in the future", [parent(birth="2099-01-01")], {}, "members-0-birth_date",
     "cannot be in the future"),
    ("a child older than a parent", [parent(birth="1990-01-01"), child(birth="1989-05-05")],
     {}, "members-1-birth_date", "cannot be older than a parent"),
    ("an unknown postcode", [parent()], {"postcode": "0000"}, "postcode",
     "is not a Danish postcode"),
    ("a phone number that is not one", [parent()], {"phone": "12 34"}, "phone",
     "Enter a valid phone number"),
    ("an e-mail that is not one", [parent()], {"email": "anna@"}, "email",
     "Enter a valid email address"),
]


@pytest.mark.parametrize("case, members, household, field, message", BAD_INPUT,
                         ids=[c[0] for c in BAD_INPUT])
def test_it_refuses_bad_input_at_the_field_and_saves_nothing(
    coordinator, branch, case, members, household, field, message
):
    response = client_for(coordinator).post(
        "/households/new/", form_data(branch, members, **household)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    # The message sits with its field: the input is marked invalid and described by the error.
    assert f'id="id_{field}"' in html
    assert f'aria-describedby="id_{field}_error' in html or 'aria-invalid="true"' in html
    assert Household.objects.count() == 0 and Person.objects.count() == 0
    assert not AuditEvent.objects.filter(action="create").exists()


def test_messages_are_in_danish_by_default(coordinator, branch):
    members = [parent(birth="2099-01-01")]
    client = client_for(coordinator, language="da")
    html = client.post("/households/new/", form_data(branch, members)).content.decode()
    assert "Fødselsdatoen kan ikke ligge i fremtiden." in html


def test_a_household_needs_a_parent(coordinator, branch):
    response = client_for(coordinator).post("/households/new/", form_data(branch, [child()]))
    assert "at least one parent" in response.content.decode()
    assert Household.objects.count() == 0


def test_a_coordinator_cannot_register_in_another_branch(coordinator, other_branch):
    response = client_for(coordinator).post(
        "/households/new/", form_data(other_branch, [parent()])
    )
    assert response.status_code == 200
    assert Household.objects.count() == 0


def test_the_cpr_never_reaches_the_error_page_or_logs(coordinator, branch, caplog):
    members = [parent(cpr="150385-1234", cpr_consent="on")]
    response = client_for(coordinator).post("/households/new/", form_data(branch, members))
    html = response.content.decode()
    # Echoing the typed value back in the field is what a form does; nothing else may show it.
    assert html.count("150385-1234") <= 1
    assert "150385-1234" not in caplog.text


def test_birth_date_today_is_accepted_for_a_newborn(coordinator, branch):
    today = timezone.localdate().isoformat()
    response = client_for(coordinator).post(
        "/households/new/", form_data(branch, [parent(), child(birth=today)])
    )
    assert response.status_code == 302


def test_the_postcode_hint_names_town_and_municipality(coordinator):
    client = client_for(coordinator)
    hint = client.get("/households/postcode-town/", {"postcode": "2610"}).content.decode()
    assert "Rødovre · Rødovre Municipality" in hint
    assert "Unknown postcode" in client.get(
        "/households/postcode-town/", {"postcode": "0000"}).content.decode()
    assert client.get("/households/postcode-town/", {"postcode": "26"}).content.strip() == b""
