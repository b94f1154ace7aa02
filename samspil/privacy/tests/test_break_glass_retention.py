"""Break the glass (time-limited, logged, shown to the administrator) and the retention run."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from samspil.conftest import client_for, make_household
from samspil.core import audit_chain
from samspil.core.models import AuditEvent, PublicFormHit
from samspil.households.models import Household
from samspil.privacy import services
from samspil.privacy.models import BreakGlass, Erasure


@pytest.fixture
def far_household(personas, other_branch):
    return make_household(personas["other_branch_coordinator"], other_branch, last="Fjernsen",
                          address="Langtvækvej 9")


def test_break_the_glass_gives_time_limited_logged_access(personas, far_household, settings):
    coordinator = personas["coordinator"]
    client = client_for(coordinator)
    url = f"/households/{far_household.pk}/"
    assert client.get(url).status_code == 404
    short = client.post("/privacy/break-the-glass/",
                        {"household": far_household.pk, "reason": "hurry"})
    assert short.status_code == 200 and "at least 10 characters" in short.content.decode()
    response = client.post("/privacy/break-the-glass/", {
        "household": far_household.pk, "reason": "Kollega syg, familien ringer akut"})
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url)
    assert page.status_code == 200 and "Fjernsen" in page.content.decode()
    assert AuditEvent.objects.filter(actor=coordinator, purpose="break the glass",
                                     household_id=far_household.pk).exists()
    # The organisation administrator sees it.
    overview = client_for(personas["org_admin"]).get("/privacy/").content.decode()
    assert "Kollega syg, familien ringer akut" in overview
    # After the period (default 3 hours) the door closes again.
    assert settings.BREAK_GLASS_HOURS == 3
    BreakGlass.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(url).status_code == 404


def test_break_the_glass_never_opens_another_organisation(personas, branch):
    outsider = personas["outsider"]
    household = make_household(personas["coordinator"], branch, last="Hemmeligsen")
    response = client_for(outsider).post("/privacy/break-the-glass/", {
        "household": household.pk, "reason": "Jeg vil gerne se familien"})
    assert response.status_code == 200 and "Hemmeligsen" not in response.content.decode()
    assert not BreakGlass.objects.exists()
    assert client_for(outsider).get(f"/households/{household.pk}/").status_code == 404


def test_retention_dry_run_reports_and_apply_deletes(personas, branch, settings):
    old = make_household(personas["coordinator"], branch, last="Gammelsen")
    new = make_household(personas["coordinator"], branch, last="Nysen")
    later = timezone.now() + datetime.timedelta(days=365 * 6)
    Household.objects.filter(pk=old.pk).update(created_at=timezone.now()
                                               - datetime.timedelta(days=365 * 6))
    PublicFormHit.objects.create(key="k", window=1, count=3, seen_at=timezone.now())
    report = services.retention_run(apply=False)
    assert report.counts["households"] == 1 and report.counts["public_form_counters"] == 1
    assert Household.objects.get(pk=old.pk).display_name  # a dry run deletes nothing
    report = services.retention_run(apply=True)
    assert report.counts["households"] == 1
    assert Household.objects.get(pk=old.pk).display_name == ""
    assert Household.objects.get(pk=new.pk).display_name
    assert Erasure.objects.get(household_id=old.pk).ground == "retention"
    assert not PublicFormHit.objects.exists()
    assert audit_chain.verify().ok
    # Six years on, the audit entries are past their 6 months and go, with a checkpoint.
    report = services.retention_run(apply=True, now=later)
    assert report.counts["audit_events"] > 0
    assert audit_chain.verify().ok


def test_the_retention_command(personas, branch):
    out = io.StringIO()
    call_command("retention", "--dry-run", stdout=out)
    assert "would delete" in out.getvalue() and "audit entries" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("retention")
    call_command("retention", "--apply", stdout=out)
    assert "deleted" in out.getvalue()
