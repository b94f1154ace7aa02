"""The REST API: tokens, the error format, pagination, filters, writes and throttling."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samspil.api.models import ApiToken
from samspil.api.selectors import key_hash
from samspil.api.site import api
from samspil.api.tests.conftest import ApiClient
from samspil.conftest import make_household
from samspil.core.models import AuditEvent
from samspil.engagements.models import Meeting
from samspil.households import cpr


def test_without_a_token_the_api_answers_401_with_the_error_body(world):
    response = ApiClient(None).get("/api/v1/households/")
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "unauthenticated"
    assert "Bearer" in body["detail"]
    assert body["errors"] == []


@pytest.mark.parametrize("key", ["garbage", "sps_" + "x" * 43, "sps_" + "y" * 500])
def test_an_unknown_token_is_401(world, key):
    assert ApiClient(key).get("/api/v1/households/").status_code == 401


def test_a_revoked_token_stops_working_at_once(personas, world):
    from samspil.api import services

    token, key = services.token_create(actor=personas["coordinator"], name="sync")
    client = ApiClient(key)
    assert client.get("/api/v1/households/").status_code == 200
    services.token_revoke(actor=personas["coordinator"], token=token)
    assert client.get("/api/v1/households/").status_code == 401


def test_a_token_of_a_deactivated_user_stops_working(personas, world, api_for):
    client = api_for("coordinator")
    personas["coordinator"].is_active = False
    personas["coordinator"].save()
    assert client.get("/api/v1/households/").status_code == 401


def test_tokens_are_stored_only_as_a_hash(personas):
    from samspil.api import services

    token, key = services.token_create(actor=personas["coordinator"], name="sync")
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == key_hash(key) and key not in stored.key_hash
    assert key.startswith(stored.prefix) and len(stored.prefix) < 12


def test_a_coordinator_lists_her_branches_households_only(world, api_for):
    body = api_for("coordinator").get("/api/v1/households/").json()
    assert body["count"] == 1
    assert [h["display_name"] for h in body["items"]] == [world["household"].display_name]


def test_a_household_with_members_and_never_a_cpr_number(world, api_for, personas):
    household = world["household"]
    anna = household.members.get(role="parent")
    anna.cpr_encrypted = cpr.encrypt("1403859876")
    anna.save()
    response = api_for("coordinator").get(f"/api/v1/households/{household.pk}")
    assert response.status_code == 200
    body = response.json()
    assert {m["first_name"] for m in body["members"]} == {"Anna", "Barn0", "Barn1"}
    assert [m["has_cpr"] for m in body["members"] if m["first_name"] == "Anna"] == [True]
    text = response.content.decode()
    assert "140385" not in text and "9876" not in text  # not even masked
    assert AuditEvent.objects.filter(action="view", household_id=household.pk, purpose="api",
                                     actor=personas["coordinator"]).exists()


def test_another_organisations_token_reads_nothing(world, api_for):
    outsider = api_for("outsider")
    for path in ("/api/v1/households/", "/api/v1/volunteers/", "/api/v1/engagements/"):
        assert outsider.get(path).json()["count"] == 0, path
    for path in (f"/api/v1/households/{world['household'].pk}",
                 f"/api/v1/volunteers/{world['volunteer'].pk}",
                 f"/api/v1/engagements/{world['engagement'].pk}",
                 f"/api/v1/engagements/{world['engagement'].pk}/meetings"):
        response = outsider.get(path)
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found"
        assert "Hemmeligsen" not in response.content.decode()


def test_a_foreign_household_is_404_and_the_attempt_is_logged(world, api_for, personas):
    api_for("outsider").get(f"/api/v1/households/{world['household'].pk}")
    assert AuditEvent.objects.filter(action="denied", actor=personas["outsider"],
                                     household_id=world["household"].pk).exists()


def test_pages_and_page_size(world, api_for, personas, branch):
    for i in range(4):
        make_household(personas["coordinator"], branch, last=f"Side{i}")
    client = api_for("coordinator")
    first = client.get("/api/v1/households/", {"page_size": 2}).json()
    second = client.get("/api/v1/households/", {"page_size": 2, "page": 2}).json()
    beyond = client.get("/api/v1/households/", {"page_size": 2, "page": 9}).json()
    assert first["count"] == second["count"] == 5
    assert len(first["items"]) == 2 and len(second["items"]) == 2
    assert not {h["id"] for h in first["items"]} & {h["id"] for h in second["items"]}
    assert beyond["items"] == []


@pytest.mark.parametrize("params", [{"page_size": 201}, {"page": 0}, {"page": "two"},
                                    {"updated_since": "yesterday"}, {"branch": -1}])
def test_bad_parameters_are_422_with_the_field(world, api_for, params):
    response = api_for("coordinator").get("/api/v1/households/", params)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert body["errors"] and all(e["msg"] for e in body["errors"])


def test_filters_by_branch_and_change_date(world, api_for):
    client = api_for("org_admin")
    rødovre = world["household"].branch_id
    assert client.get("/api/v1/households/").json()["count"] == 2
    assert client.get("/api/v1/households/", {"branch": rødovre}).json()["count"] == 1
    future = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)).isoformat()
    assert client.get("/api/v1/households/", {"updated_since": future}).json()["count"] == 0


def test_a_search_is_logged_with_its_terms(world, api_for, personas):
    body = api_for("coordinator").get("/api/v1/households/", {"q": "hemmelig"}).json()
    assert body["count"] == 1
    assert AuditEvent.objects.filter(action="search", summary="hemmelig", purpose="api",
                                     actor=personas["coordinator"]).exists()


def test_engagements_filtered_by_state_and_referral_dates(world, api_for):
    client = api_for("coordinator")
    assert client.get("/api/v1/engagements/", {"state": "active"}).json()["count"] == 1
    assert client.get("/api/v1/engagements/", {"state": "ended"}).json()["count"] == 0
    referred = world["engagement"].referred_on
    assert client.get("/api/v1/engagements/",
                      {"referred_from": referred.isoformat()}).json()["count"] == 1
    assert client.get("/api/v1/engagements/", {
        "referred_to": (referred - datetime.timedelta(days=1)).isoformat()}).json()["count"] == 0
    assert client.get("/api/v1/engagements/", {"state": "asleep"}).status_code == 422


def test_an_engagement_with_its_goals_and_no_coordinator_note(world, api_for):
    engagement = world["engagement"]
    engagement.goals.create(area="work", text="Skrive et CV")
    engagement.note = "Fortroligt"
    engagement.save()
    body = api_for("coordinator").get(f"/api/v1/engagements/{engagement.pk}").json()
    assert [g["text"] for g in body["goals"]] == ["Skrive et CV"]
    assert "Fortroligt" not in json.dumps(body)


def test_a_volunteer_sees_her_own_engagements_and_herself(world, api_for):
    client = api_for("volunteer")
    engagements = client.get("/api/v1/engagements/").json()
    assert [e["id"] for e in engagements["items"]] == [world["engagement"].pk]
    volunteers = client.get("/api/v1/volunteers/").json()
    assert [v["first_name"] for v in volunteers["items"]] == ["Frida"]
    assert client.get("/api/v1/households/").json()["count"] == 0


def test_a_volunteer_logs_a_meeting(world, api_for):
    engagement = world["engagement"]
    response = api_for("volunteer").post(
        f"/api/v1/engagements/{engagement.pk}/meetings",
        {"date": engagement.started_on.isoformat(), "minutes": 90, "kind": "home_visit",
         "areas": ["work"], "note": "CV"},
    )
    assert response.status_code == 201, response.content
    meeting = Meeting.objects.get(engagement=engagement)
    assert (meeting.minutes, meeting.kind, meeting.areas) == (90, "home_visit", ["work"])
    assert response.json()["id"] == meeting.pk


@pytest.mark.parametrize("payload, field", [
    ({"date": "2999-01-01", "minutes": 60, "kind": "home_visit"}, "date"),
    ({"date": "2026-03-01", "minutes": 0, "kind": "home_visit"}, "minutes"),
    ({"date": "2026-03-01", "minutes": 60, "kind": "party"}, "kind"),
    ({"date": "2026-03-01", "minutes": 60, "kind": "home_visit", "note": "x" * 1001}, "note"),
])
def test_a_bad_meeting_is_refused_with_the_field_and_nothing_is_saved(world, api_for, payload,
                                                                      field):
    response = api_for("volunteer").post(
        f"/api/v1/engagements/{world['engagement'].pk}/meetings", payload)
    assert response.status_code == 422
    assert any(field in [str(p) for p in e["loc"]] for e in response.json()["errors"])
    assert not Meeting.objects.exists()


def test_coordinators_read_meetings_but_do_not_log_them(world, api_for):
    response = api_for("coordinator").post(
        f"/api/v1/engagements/{world['engagement'].pk}/meetings",
        {"date": "2026-03-01", "minutes": 60, "kind": "home_visit"})
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert not Meeting.objects.exists()


def test_too_many_requests_are_429_with_retry_after(world, api_for, monkeypatch):
    throttle = api.throttle[0]
    monkeypatch.setattr(throttle, "num_requests", 3)
    client = api_for("coordinator")
    statuses = [client.get("/api/v1/households/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/households/")
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


def test_the_openapi_document_and_the_docs_are_served_without_a_cdn(client):
    schema = client.get("/api/openapi.json").json()
    assert {"/api/v1/households/", "/api/v1/engagements/{engagement_id}/meetings"} <= set(
        schema["paths"])
    docs = client.get("/api/docs").content.decode()
    assert "swagger-ui" in docs
    assert not re.search(r"""(src|href)=["']https?://""", docs)


@pytest.mark.parametrize("path", ["/api/v1/households/", "/api/v1/volunteers/",
                                  "/api/v1/engagements/"])
def test_list_endpoints_run_a_fixed_number_of_queries(world, api_for, personas, branch, path):
    client = api_for("coordinator")
    client.get(path)  # the token's "last used" is written once a minute at most

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(5):
        make_household(personas["coordinator"], branch, last=f"Flere{i}")
    assert count() == few
    assert few <= 6


@pytest.mark.parametrize("how", ["query", "body"])
def test_a_nul_character_is_refused_with_422_not_a_server_error(world, api_for, how):
    client = api_for("volunteer")
    if how == "query":
        response = client.get("/api/v1/households/", {"q": "a\x00b"})
    else:
        response = client.post(f"/api/v1/engagements/{world['engagement'].pk}/meetings",
                               {"date": "2026-03-01", "minutes": 60, "kind": "home_visit",
                                "note": "a\x00b"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert not Meeting.objects.exists()


# --- activities, referrals, outcomes, goals (issue 10, part 1) ---------------------------------

def test_activities_with_signups_and_attendance(api_for, world):
    coordinator = api_for("coordinator")
    activity = world["activity"]
    items = coordinator.get("/api/v1/activities/", {"date_from": "2026-05-01",
                                                     "date_to": "2026-05-31"}).json()["items"]
    assert [a["id"] for a in items] == [activity.pk]
    assert coordinator.get("/api/v1/activities/", {"date_from": "2026-06-01"}).json()["count"] == 0
    detail = coordinator.get(f"/api/v1/activities/{activity.pk}").json()
    assert detail["sessions"][0] == {"id": detail["sessions"][0]["id"], "date": "2026-05-20",
                                     "start": "17:00", "end": "19:00"}
    assert detail["taken"] >= 1
    signups = coordinator.get(f"/api/v1/activities/{activity.pk}/signups").json()["items"]
    assert signups[0]["household_id"] == world["household"].pk
    assert signups[0]["participants"]
    # The volunteer in charge sees first names and ages, not which household.
    volunteer = api_for("volunteer").get(f"/api/v1/activities/{activity.pk}/signups").json()
    assert volunteer["items"][0]["household_id"] is None
    attendance = coordinator.get(f"/api/v1/activities/{activity.pk}/attendance").json()
    assert attendance["count"] == 1 and attendance["items"][0]["present"] is True


def test_referrals_filtered_by_sent_date_and_branch(api_for, world):
    coordinator = api_for("coordinator")
    referral = world["referral"]
    assert coordinator.get("/api/v1/referrals/", {"date_from": str(referral.sent_on)}
                           ).json()["count"] == 1
    assert coordinator.get("/api/v1/referrals/", {"date_to": "2000-01-01"}).json()["count"] == 0
    other = world["aarhus"].branch_id
    assert coordinator.get("/api/v1/referrals/", {"branch": other}).json()["count"] == 0
    detail = coordinator.get(f"/api/v1/referrals/{referral.pk}").json()
    assert detail["help_kind"] == "school_support" and detail["direction"] == "out"


def test_questionnaires_and_their_answers(api_for, world):
    coordinator = api_for("coordinator")
    q = world["questionnaire"]
    items = coordinator.get("/api/v1/questionnaires/", {"answered": "true",
                                                        "instrument": "who5"}).json()["items"]
    assert [i["id"] for i in items] == [q.pk] and items[0]["score"] == 48
    assert coordinator.get("/api/v1/questionnaires/", {"answered": "false"}).json()["count"] == 0
    detail = coordinator.get(f"/api/v1/questionnaires/{q.pk}").json()
    assert detail["answers"] == q.answers


def test_kpi_figures_hide_small_numbers_as_the_dashboard_does(api_for, world):
    pk = world["programme"].pk
    for role in ("coordinator", "evaluator", "other_branch_coordinator"):
        body = api_for(role).get(f"/api/v1/programmes/{pk}/figures",
                                 {"on": "2026-06-15"}).json()
        assert body["suppressed"] is True
        reach = next(k for k in body["kpis"] if k["kpi"] == "reach")
        # One family reached: shown as "<5", and no raw count beside it.
        assert reach["shown"] == "<5" and reach["value"] is None, role
    admin = api_for("org_admin").get(f"/api/v1/programmes/{pk}/figures",
                                     {"on": "2026-06-15"}).json()
    assert admin["suppressed"] is False


def test_goals_of_an_engagement(api_for, world):
    engagement = world["engagement"]
    engagement.goals.create(area="work", text="Søge tre job")
    body = api_for("volunteer").get(f"/api/v1/engagements/{engagement.pk}/goals").json()
    assert [g["text"] for g in body["items"]] == ["Søge tre job"]


def test_ids_out_of_range_are_refused_with_the_usual_body(api_for, world):
    coordinator = api_for("coordinator")
    for path in ("/api/v1/activities/0", f"/api/v1/referrals/{2**63}",
                 "/api/v1/questionnaires/-1", f"/api/v1/programmes/{2**64}/figures"):
        response = coordinator.get(path)
        assert response.status_code == 422, path
        assert response.json()["code"] == "invalid"


def test_the_new_lists_run_a_fixed_number_of_queries(api_for, world, personas, branch):
    """More activities, sign-ups, referrals and questionnaires: not one query more."""
    import datetime as dt

    from samspil.activities.tests import factories as activity_factories
    from samspil.outcomes.tests import factories as outcome_factories
    from samspil.partners.models import Partner
    from samspil.partners.tests.factories import refer

    client = api_for("coordinator")
    activity = world["activity"]
    paths = ["/api/v1/activities/", f"/api/v1/activities/{activity.pk}/signups",
             f"/api/v1/activities/{activity.pk}/attendance", "/api/v1/referrals/",
             "/api/v1/questionnaires/", "/api/v1/programmes/",
             f"/api/v1/engagements/{world['engagement'].pk}/goals"]
    client.get(paths[0])  # the token's "last used" is written once a minute at most

    def counts():
        out = []
        for path in paths:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(path).status_code == 200, path
            out.append(len(ctx.captured_queries))
        return out

    few = counts()
    coordinator = personas["coordinator"]
    partner = Partner.objects.create(organisation=branch.organisation, kind="school",
                                     name="Vestskolen")
    for i in range(3):
        household = make_household(coordinator, branch, last=f"Flere{i}")
        activity_factories.make_activity(branch, title=f"Café {i}",
                                         sessions=(dt.date(2026, 5, 1),))
        signup = activity_factories.signed_up(activity, household)
        activity_factories.mark(activity.sessions.get(), signup.participants.first())
        refer(coordinator, household, partner, direction="out", help_kind="school_support")
        outcome_factories.answered(world["engagement"], household.members.first(), "who5",
                                   "end", outcome_factories.who5(60), dt.date(2026, 5, 2 + i)) \
            if i == 0 else None
        world["engagement"].goals.create(area="work", text=f"Skridt {i}")
    assert counts() == few
    assert max(few) <= 8
