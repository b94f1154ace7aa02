"""The volunteer pages: what they save, what they refuse (saving nothing), what they show."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from samspil.conftest import client_for
from samspil.core.models import AuditEvent
from samspil.volunteers import services
from samspil.volunteers.models import AvailabilitySlot, ChildCertificate, Volunteer
from samspil.volunteers.services import Slot
from samspil.volunteers.tests.factories import certify, give_load, make_volunteer

T = datetime.time


def today() -> datetime.date:
    return timezone.localdate()


def form_data(branch, **overrides) -> dict:
    data = {
        "branch": branch.pk, "user": "", "first_name": "Bodil", "last_name": "Østergaard",
        "email": "bodil@example.org", "phone": "20 12 34 56", "gender": "female",
        "birth_year": "1962", "postcode": "2610", "languages": ["da", "ar"],
        "skills": ["homework", "digital"], "tags": "Syning, cykelreparation",
        "roles": ["family_friend"], "capacity": "2", "preferred_gender": "",
        "preferred_child_age": "6-12", "status": "applicant", "notes": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- registering and editing ------------------------------------------------------------------

def test_a_coordinator_registers_a_volunteer(coordinator, branch):
    response = client_for(coordinator).post("/volunteers/new/", form_data(branch))
    volunteer = Volunteer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/volunteers/{volunteer.pk}/"
    assert volunteer.phone == "+4520123456"
    assert volunteer.languages == ["da", "ar"] and volunteer.skills == ["homework", "digital"]
    assert volunteer.tags == ["Syning", "cykelreparation"]
    assert volunteer.postcode_id == "2610" and volunteer.preferred_child_age == "6-12"
    assert volunteer.organisation == branch.organisation and volunteer.status == "applicant"
    assert AuditEvent.objects.filter(object_type="volunteers.volunteer", action="create",
                                     object_id=str(volunteer.pk)).exists()


BAD_INPUT = [
    ("an unknown postcode", {"postcode": "0000"}, "postcode", "0000 is not a Danish postcode."),
    ("a phone number that is not one", {"phone": "12 34"}, "phone",
     "Enter a valid phone number"),
    ("an e-mail that is not one", {"email": "bodil@"}, "email", "Enter a valid email address"),
    ("no first name", {"first_name": ""}, "first_name", "This field is required."),
    ("no role", {"roles": None}, "roles", "This field is required."),
    ("a role that does not exist", {"roles": ["babysitter"]}, "roles",
     "Select a valid choice."),
    ("no capacity", {"capacity": "0"}, "capacity",
     "Ensure this value is greater than or equal to 1."),
    ("a capacity above 20", {"capacity": "21"}, "capacity",
     "Ensure this value is less than or equal to 20."),
    ("a birth year of a child", {"birth_year": str(timezone.now().year - 10)},
     "birth_year", "Enter a birth year between 1900 and"),
    ("a preference that is a must without a preference",
     {"preferred_gender_required": "on"}, "preferred_gender_required",
     "Choose the preference first."),
    ("a CPR number in the notes", {"notes": "Hun har cpr 010170-1234"}, "notes",
     "Do not write a CPR number here."),
    ("too many other skills", {"tags": ",".join(f"tag{i}" for i in range(21))}, "tags",
     "Enter at most 20 other skills."),
]


@pytest.mark.parametrize("case, overrides, field, message", BAD_INPUT,
                         ids=[c[0] for c in BAD_INPUT])
def test_bad_input_is_refused_at_the_field_and_nothing_is_saved(
    coordinator, branch, case, overrides, field, message
):
    response = client_for(coordinator).post("/volunteers/new/", form_data(branch, **overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Nothing has been saved." in html
    assert field in response.context["form"].errors
    assert not Volunteer.objects.exists()
    assert not AuditEvent.objects.filter(action="create").exists()


def test_a_coordinator_cannot_register_in_another_branch(coordinator, other_branch):
    response = client_for(coordinator).post("/volunteers/new/", form_data(other_branch))
    assert response.status_code == 200
    assert "branch" in response.context["form"].errors
    assert not Volunteer.objects.exists()


def test_a_coordinator_without_a_branch_cannot_register(personas):
    from samspil.conftest import make_user
    from samspil.core.models import Role

    lonely = make_user("lone", personas["coordinator"].organisation, Role.COORDINATOR)
    response = client_for(lonely).get("/volunteers/new/", follow=True)
    assert "You are not attached to a branch" in response.content.decode()


def test_only_free_volunteer_logins_of_the_branch_are_offered(personas, branch):
    from samspil.conftest import make_user
    from samspil.core.models import Role

    coordinator = personas["coordinator"]
    taken = make_user("taken", coordinator.organisation, Role.VOLUNTEER, [branch])
    make_volunteer(coordinator, branch, user=taken)
    form = client_for(coordinator).get("/volunteers/new/").context["form"]
    offered = set(form.fields["user"].queryset.values_list("username", flat=True))
    assert offered == {"frida"}  # not the linked one, not other branches, not other roles


def test_editing_capacity_below_the_load_shows_why_and_saves_nothing(
    coordinator, branch, household
):
    volunteer = make_volunteer(coordinator, branch, capacity=3, status="active")
    give_load(volunteer, household, 2)
    response = client_for(coordinator).post(
        f"/volunteers/{volunteer.pk}/edit/",
        form_data(branch, capacity="1", status="active", first_name="Anden"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["capacity"] == [
        "The volunteer has 2 families or parents now; the capacity cannot be lower."
    ]
    assert "Nothing has been saved." in response.content.decode()
    volunteer.refresh_from_db()
    assert (volunteer.capacity, volunteer.first_name, volunteer.version) == (3, "Vera", 1)


def test_editing_status_bumps_the_version(coordinator, branch):
    volunteer = make_volunteer(coordinator, branch, status="applicant")
    response = client_for(coordinator).post(
        f"/volunteers/{volunteer.pk}/edit/", form_data(branch, status="active"))
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.status == "active" and volunteer.version == 2
    assert volunteer.first_name == "Bodil"


def test_the_edit_form_shows_the_stored_values(coordinator, branch):
    volunteer = make_volunteer(coordinator, branch, tags=["Syning", "Fodbold"])
    html = client_for(coordinator).get(f"/volunteers/{volunteer.pk}/edit/").content.decode()
    assert 'value="Syning, Fodbold"' in html and 'value="2610"' in html
    assert "Rødovre · Rødovre Municipality" in html


# --- the profile page -------------------------------------------------------------------------

def test_the_profile_shows_load_capacity_availability_and_screening(
    coordinator, branch, household
):
    volunteer = make_volunteer(coordinator, branch, capacity=3, skills=["homework"])
    give_load(volunteer, household, 1)
    services.availability_set(actor=coordinator, volunteer=volunteer,
                              slots=[Slot(1, T(16), T(18))])
    certify(coordinator, volunteer, received_on=today() - datetime.timedelta(days=3))
    html = client_for(coordinator).get(f"/volunteers/{volunteer.pk}/").content.decode()
    assert "1 of at most 3" in html
    assert "Tuesday 16:00–18:00" in html
    assert "Homework help" in html
    assert 'class="badge badge-valid">Valid</span>' in html
    assert "Not yet" in html  # confidentiality declaration and training


def test_a_mentor_does_not_need_a_certificate(coordinator, branch):
    volunteer = make_volunteer(coordinator, branch, roles=["job_mentor"])
    html = client_for(coordinator).get(f"/volunteers/{volunteer.pk}/").content.decode()
    assert "Not needed for the volunteer" in html


# --- availability -----------------------------------------------------------------------------

def slot_data(slots, initial: int = 0) -> dict:
    data = {"slots-TOTAL_FORMS": str(len(slots)), "slots-INITIAL_FORMS": str(initial),
            "slots-MIN_NUM_FORMS": "0", "slots-MAX_NUM_FORMS": "1000"}
    for i, slot in enumerate(slots):
        for key, value in slot.items():
            data[f"slots-{i}-{key}"] = value
    return data


def test_adding_availability(coordinator, branch):
    volunteer = make_volunteer(coordinator, branch)
    response = client_for(coordinator).post(f"/volunteers/{volunteer.pk}/availability/", slot_data([
        {"weekday": "0", "start": "16:00", "end": "18:00"},
        {"weekday": "", "start": "", "end": ""},  # an untouched new row is left out
        {"weekday": "3", "start": "09:30", "end": "11:00"},
    ]))
    assert response.status_code == 302
    assert [str(s) for s in volunteer.availability.all()] == [
        "Monday 16:00–18:00", "Thursday 09:30–11:00"]


def test_keeping_and_removing_stored_slots(coordinator, branch):
    volunteer = make_volunteer(coordinator, branch)
    services.availability_set(actor=coordinator, volunteer=volunteer,
                              slots=[Slot(0, T(16), T(18)), Slot(2, T(10), T(12))])
    client = client_for(coordinator)
    page = client.get(f"/volunteers/{volunteer.pk}/availability/")
    assert len(page.context["formset"].forms) == 2
    response = client.post(f"/volunteers/{volunteer.pk}/availability/", slot_data([
        {"weekday": "0", "start": "16:00", "end": "18:00"},
        {"weekday": "2", "start": "10:00", "end": "12:00", "DELETE": "on"},
    ], initial=2))
    assert response.status_code == 302
    assert [str(s) for s in volunteer.availability.all()] == ["Monday 16:00–18:00"]


@pytest.mark.parametrize("slots, message", [
    ([{"weekday": "0", "start": "16:00", "end": "18:00"},
      {"weekday": "0", "start": "17:30", "end": "19:00"}],
     "Monday 17:30–19:00 overlaps Monday 16:00–18:00 on the same day."),
    ([{"weekday": "4", "start": "18:00", "end": "17:00"}],
     "The end time must be after the start time."),
    ([{"weekday": "4", "start": "18:00", "end": ""}], "This field is required."),
    ([{"weekday": "9", "start": "18:00", "end": "19:00"}], "Select a valid choice."),
])
def test_bad_availability_is_refused_and_nothing_is_saved(coordinator, branch, slots, message):
    volunteer = make_volunteer(coordinator, branch)
    services.availability_set(actor=coordinator, volunteer=volunteer,
                              slots=[Slot(6, T(10), T(12))])
    response = client_for(coordinator).post(f"/volunteers/{volunteer.pk}/availability/",
                                            slot_data(slots))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and "Nothing has been saved." in html
    assert [str(s) for s in AvailabilitySlot.objects.all()] == ["Sunday 10:00–12:00"]


def test_add_time_slot_returns_one_empty_row(coordinator):
    response = client_for(coordinator).get("/volunteers/slot-row/", {"index": "3"},
                                           HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'name="slots-3-weekday"' in html and "Time slot 4" in html
    assert "<html" not in html


# --- screening --------------------------------------------------------------------------------

def test_ordering_and_then_assessing_a_certificate(coordinator, branch):
    volunteer = make_volunteer(coordinator, branch)
    client = client_for(coordinator)
    requested = today() - datetime.timedelta(days=12)
    response = client.post(f"/volunteers/{volunteer.pk}/screening/", {
        "requested_on": requested.isoformat(), "consent_deadline": "", "received_on": "",
        "result": "pending", "valid_until": "", "note": "",
    })
    assert response.status_code == 302
    cert = ChildCertificate.objects.get()
    assert cert.consent_deadline == requested + datetime.timedelta(days=14)
    page = client.get(f"/volunteers/{volunteer.pk}/screening/").content.decode()
    assert "Awaiting answer" in page and "Record the answer" in page

    url = f"/volunteers/{volunteer.pk}/screening/certificates/{cert.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"received_on": today().isoformat(), "result": "clear",
                                 "valid_until": "", "note": ""})
    assert response.status_code == 302
    cert.refresh_from_db()
    assert cert.result == "clear" and cert.assessed_by == coordinator and cert.valid_until
    # A decided certificate is history: its answer page is gone.
    assert client.get(url).status_code == 404


def test_recording_a_checked_certificate_in_one_go(coordinator, branch):
    volunteer = make_volunteer(coordinator, branch)
    client_for(coordinator).post(f"/volunteers/{volunteer.pk}/screening/", {
        "requested_on": (today() - datetime.timedelta(days=20)).isoformat(),
        "received_on": today().isoformat(), "result": "clear", "note": "Ingen anmærkninger",
    })
    html = client_for(coordinator).get(f"/volunteers/{volunteer.pk}/").content.decode()
    assert 'badge-valid">Valid' in html


@pytest.mark.parametrize("data, field, message", [
    ({"received_on": "2026-01-01", "result": "clear", "requested_on": "2026-02-01"},
     "received_on", "A certificate cannot be received before it was requested."),
    ({"result": "remarks"}, "received_on",
     "Enter the date the answer was received and checked."),
    ({"requested_on": "2099-01-01"}, "requested_on", "The date cannot be in the future."),
    ({"note": "CPR 010170-1234"}, "note", "Do not write a CPR number here."),
    ({"requested_on": ""}, "requested_on", "This field is required."),
])
def test_bad_certificate_facts_are_refused_and_nothing_is_saved(
    coordinator, branch, data, field, message
):
    volunteer = make_volunteer(coordinator, branch)
    post = {"requested_on": "2026-01-05", "result": "pending", **data}
    response = client_for(coordinator).post(f"/volunteers/{volunteer.pk}/screening/", post)
    assert response.status_code == 200
    assert response.context["certificate_form"].errors[field] == [message]
    assert "Nothing has been saved." in response.content.decode()
    assert not ChildCertificate.objects.exists()


def test_the_answer_page_refuses_a_date_before_the_request(coordinator, branch):
    volunteer = make_volunteer(coordinator, branch)
    cert = services.certificate_record(actor=coordinator, volunteer=volunteer,
                                       requested_on=today() - datetime.timedelta(days=3))
    response = client_for(coordinator).post(
        f"/volunteers/{volunteer.pk}/screening/certificates/{cert.pk}/",
        {"received_on": (today() - datetime.timedelta(days=5)).isoformat(), "result": "clear"})
    assert response.status_code == 200
    assert "cannot be received before it was requested" in response.content.decode()
    cert.refresh_from_db()
    assert cert.result == "pending"


def test_recording_confidentiality_and_training(coordinator, branch):
    volunteer = make_volunteer(coordinator, branch)
    client = client_for(coordinator)
    url = f"/volunteers/{volunteer.pk}/screening/dates/"
    response = client.post(url, {"confidentiality_signed_on": "2026-02-01",
                                 "training_completed_on": "2026-02-10"})
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.confidentiality_signed_on == datetime.date(2026, 2, 1)
    assert volunteer.training_completed_on == datetime.date(2026, 2, 10)

    response = client.post(url, {"confidentiality_signed_on": "2099-01-01",
                                 "training_completed_on": ""})
    assert response.status_code == 200
    assert response.context["screening_form"].errors["confidentiality_signed_on"] == [
        "The date cannot be in the future."]
    volunteer.refresh_from_db()
    assert volunteer.training_completed_on == datetime.date(2026, 2, 10)
    assert client.get(url).status_code == 405


# --- the list ---------------------------------------------------------------------------------

@pytest.fixture
def roster(coordinator, branch, other_branch, personas):
    make_volunteer(coordinator, branch, first_name="Bodil", last_name="Østergaard",
                   phone="+4522334455", skills=["homework"], tags=["Syning"])
    make_volunteer(coordinator, branch, first_name="Hassan", last_name="Ali",
                   email="hassan@example.org", roles=["job_mentor"], skills=["job_search"],
                   status="paused")
    make_volunteer(personas["org_admin"], other_branch, first_name="Bodil", last_name="Aarhus",
                   postcode="8000")


@pytest.mark.parametrize("params, expected", [
    ({}, ["Bodil Østergaard", "Hassan Ali"]),
    ({"q": "østergaard"}, ["Bodil Østergaard"]),
    ({"q": "ØSTERGAARD"}, ["Bodil Østergaard"]),
    ({"q": "22 33 44 55"}, ["Bodil Østergaard"]),
    ({"q": "22334455"}, ["Bodil Østergaard"]),
    ({"q": "hassan@example"}, ["Hassan Ali"]),
    ({"q": "2610"}, ["Bodil Østergaard", "Hassan Ali"]),
    ({"q": "homework"}, ["Bodil Østergaard"]),
    ({"q": "job search"}, ["Hassan Ali"]),
    ({"q": "syning"}, ["Bodil Østergaard"]),
    ({"q": "nobody"}, []),
    ({"status": "paused"}, ["Hassan Ali"]),
    ({"role": "job_mentor"}, ["Hassan Ali"]),
    ({"role": "family_friend", "q": "bodil"}, ["Bodil Østergaard"]),
    ({"status": "nonsense", "role": "nonsense"}, ["Bodil Østergaard", "Hassan Ali"]),
])
def test_a_coordinator_finds_volunteers_of_her_branch(coordinator, roster, params, expected):
    response = client_for(coordinator).get("/volunteers/", params)
    assert [v.full_name for v in response.context["page"].object_list] == expected


def test_an_organisation_administrator_finds_volunteers_in_all_branches(personas, roster):
    response = client_for(personas["org_admin"]).get("/volunteers/", {"q": "bodil"})
    assert len(response.context["page"].object_list) == 2


def test_searches_are_logged_with_the_term_but_never_a_cpr(coordinator, roster):
    client = client_for(coordinator)
    client.get("/volunteers/", {"q": "hassan"})
    client.get("/volunteers/", {"q": "010170-1234"})
    client.get("/volunteers/", {"status": "paused"})  # a filter is not a search
    terms = list(AuditEvent.objects.filter(action="search", object_type="volunteers.volunteer")
                 .values_list("summary", flat=True))
    assert sorted(terms) == ["******-****", "hassan"]


def test_htmx_search_returns_only_the_results(coordinator, roster):
    response = client_for(coordinator).get(
        "/volunteers/", {"q": "hassan"}, HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="volunteer-results")
    html = response.content.decode()
    assert "Hassan Ali" in html and "<html" not in html


def test_the_list_pages_and_keeps_the_filters(coordinator, branch, settings):
    settings.PAGE_SIZE = 2
    for i in range(5):
        make_volunteer(coordinator, branch, first_name=f"Frivillig{i}", status="active")
    make_volunteer(coordinator, branch, first_name="Xenia", status="paused")
    client = client_for(coordinator)
    first = client.get("/volunteers/", {"status": "active"}).content.decode()
    assert "Page 1 of 3" in first and "?status=active&amp;page=2" in first
    third = client.get("/volunteers/", {"status": "active", "page": 3}).content.decode()
    assert "Frivillig4 Frivillig" in third and "Frivillig0 Frivillig" not in third
    assert "Xenia" not in first + third


def test_the_list_shows_load_and_certificate(coordinator, branch, household):
    volunteer = make_volunteer(coordinator, branch, capacity=2)
    give_load(volunteer, household, 1)
    make_volunteer(coordinator, branch, first_name="Mentor", roles=["job_mentor"])
    html = client_for(coordinator).get("/volunteers/").content.decode()
    assert "1 / 2" in html
    assert 'badge-missing">Missing' in html and "Not needed" in html


@pytest.mark.parametrize("url", [
    "/volunteers/99999999999999999999999/",
    "/volunteers/?page=abc",
    "/volunteers/?page=99999",
    "/volunteers/slot-row/?index=abc",
    "/volunteers/?q=" + "x" * 500,
    "/volunteers/certificates/?state=nonsense&page=x",
])
def test_odd_requests_do_not_fail(coordinator, url):
    assert client_for(coordinator).get(url).status_code in (200, 404)


def test_the_answer_page_of_another_volunteers_certificate_is_404(coordinator, branch):
    one = make_volunteer(coordinator, branch)
    other = make_volunteer(coordinator, branch, first_name="Anden")
    cert = services.certificate_record(actor=coordinator, volunteer=other,
                                       requested_on=today())
    response = client_for(coordinator).get(
        f"/volunteers/{one.pk}/screening/certificates/{cert.pk}/")
    assert response.status_code == 404
