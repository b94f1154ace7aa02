"""The audit log is append-only: not through the model, the queryset, nor raw SQL."""

import pytest
from django.db import DatabaseError, connection, transaction

from samspil.core.models import AuditEvent
from samspil.core.services import audit_record


def test_an_event_cannot_be_changed_or_deleted(coordinator):
    event = audit_record(actor=coordinator, action="view", object_type="households.household",
                         object_id=1, household_id=1)
    event.summary = "tampered"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="tampered")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def test_the_database_refuses_updates(coordinator):
    event = audit_record(actor=coordinator, action="view", object_type="households.household")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET summary = 'x' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).summary == ""


def test_events_belong_to_the_actors_organisation(coordinator):
    event = audit_record(actor=coordinator, action="search", object_type="households.household",
                         summary="jensen 010203-1234")
    assert event.organisation_id == coordinator.organisation_id
    assert event.summary == "jensen ******-****"


def test_the_organisation_log_is_for_organisation_administrators(personas, household):
    from samspil.conftest import client_for

    response = client_for(personas["org_admin"]).get("/audit/")
    assert response.status_code == 200
    assert "Created household" in response.content.decode()
    assert client_for(personas["coordinator"]).get("/audit/").status_code == 403
    # Another organisation's administrator sees none of it.
    from samspil.conftest import make_user
    from samspil.core.models import Role

    other_admin = make_user("other-admin", personas["outsider"].organisation, Role.ORG_ADMIN)
    other = client_for(other_admin).get("/audit/").content.decode()
    assert "No events." in other
