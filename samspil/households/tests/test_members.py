"""Editing members and the household, and what the audit log shows afterwards."""

from __future__ import annotations

from samspil.conftest import client_for
from samspil.core.models import AuditEvent
from samspil.households.models import Person


def members_post(household, changes: dict | None = None, extra: list[dict] | None = None,
                 delete: set[int] | None = None):
    members = list(household.members.all())
    extra = extra or []
    data = {
        "members-TOTAL_FORMS": str(len(members) + len(extra)),
        "members-INITIAL_FORMS": str(len(members)),
        "members-MIN_NUM_FORMS": "0", "members-MAX_NUM_FORMS": "1000",
    }
    for i, m in enumerate(members):
        values = {"id": m.pk, "role": m.role, "first_name": m.first_name,
                  "last_name": m.last_name, "birth_date": m.birth_date.isoformat(),
                  "gender": m.gender, "school_grade": m.school_grade,
                  "work_status": m.work_status}
        values.update((changes or {}).get(m.pk, {}))
        if delete and m.pk in delete:
            values["DELETE"] = "on"
        data.update({f"members-{i}-{k}": v for k, v in values.items()})
    for j, values in enumerate(extra, start=len(members)):
        data.update({f"members-{j}-{k}": v for k, v in values.items()})
    return data


def test_editing_a_member_shows_in_the_audit_log(coordinator, household):
    anna = household.members.get(first_name="Anna")
    client = client_for(coordinator)
    response = client.post(f"/households/{household.pk}/members/",
                           members_post(household, {anna.pk: {"first_name": "Annika"}}))
    assert response.status_code == 302
    anna.refresh_from_db()
    assert anna.first_name == "Annika"
    event = AuditEvent.objects.filter(action="change", object_type="households.person").get()
    assert event.fields == "first_name" and event.actor == coordinator
    log = client.get(f"/households/{household.pk}/audit/").content.decode()
    assert "Changed member «Annika Jensen»: first name" in log
    household.refresh_from_db()
    assert "annika" in household.search_text and household.display_name == "Annika Jensen"


def test_saving_unchanged_members_writes_no_change_event(coordinator, household):
    client_for(coordinator).post(f"/households/{household.pk}/members/", members_post(household))
    assert not AuditEvent.objects.filter(action="change").exists()


def test_adding_and_removing_members(coordinator, household):
    child = household.members.filter(role="child").first()
    new = {"role": "child", "first_name": "Lille", "last_name": "Jensen",
           "birth_date": "2024-01-01", "school_grade": "none"}
    response = client_for(coordinator).post(
        f"/households/{household.pk}/members/",
        members_post(household, extra=[new], delete={child.pk}),
    )
    assert response.status_code == 302
    names = set(household.members.values_list("first_name", flat=True))
    assert "Lille" in names and child.first_name not in names
    assert AuditEvent.objects.filter(action="delete", object_id=str(child.pk)).exists()


def test_a_member_edit_that_breaks_a_rule_changes_nothing(coordinator, household):
    child = household.members.filter(role="child").first()
    response = client_for(coordinator).post(
        f"/households/{household.pk}/members/",
        members_post(household, {child.pk: {"birth_date": "1970-01-01"}}),
    )
    assert response.status_code == 200
    assert "cannot be older than a parent" in response.content.decode()
    assert Person.objects.get(pk=child.pk).birth_date.year != 1970


def test_adding_a_cpr_later_and_removing_it(coordinator, household):
    anna = household.members.get(first_name="Anna")
    client = client_for(coordinator)
    client.post(f"/households/{household.pk}/members/", members_post(
        household, {anna.pk: {"cpr": "1403851234", "cpr_consent": "on"}}))
    anna.refresh_from_db()
    assert anna.cpr_masked == "140385-xxxx"
    page = client.get(f"/households/{household.pk}/members/").content.decode()
    assert "140385-xxxx" in page and "1403851234" not in page and "140385-1234" not in page
    client.post(f"/households/{household.pk}/members/", members_post(
        household, {anna.pk: {"remove_cpr": "on"}}))
    anna.refresh_from_db()
    assert not anna.has_cpr


def test_editing_the_household_logs_the_fields(coordinator, household):
    client = client_for(coordinator)
    data = {"branch": household.branch_id, "address": "Nyvej 1", "postcode": "2610",
            "municipality": "0175", "phone": "+4520123456", "email": "",
            "preferred_language": "en", "notes": ""}
    response = client.post(f"/households/{household.pk}/edit/", data)
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.address == "Nyvej 1" and household.preferred_language == "en"
    event = AuditEvent.objects.get(action="change", object_type="households.household")
    assert set(event.fields.split(",")) == {"address", "preferred_language"}
    assert "nyvej 1" in household.search_text


def test_viewing_a_household_is_logged(coordinator, household):
    client_for(coordinator).get(f"/households/{household.pk}/")
    assert AuditEvent.objects.filter(action="view", household_id=household.pk,
                                     actor=coordinator).count() == 1
