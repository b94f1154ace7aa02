"""Plan-all and confirming in the background, for plans too large to handle while the
coordinator waits.

Enqueued by views.plan_create and views.plan_confirm (through Django's task API, the
django-tasks backport; the database backend keeps the queue and `manage.py db_worker` runs it).
Arguments are ids, as a task's arguments must be JSON; the services check again that the user
may do it. views.plan_pending waits for either and shows the outcome.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from samspil.core.models import Branch, User
from samspil.engagements.matching import services
from samspil.engagements.matching.selectors import plan_get_for


@task()
def plan_all(*, actor_id: int, branch_id: int | None, language: str = "") -> dict:
    """Make the plan."""
    actor = User.objects.get(pk=actor_id)
    branch = Branch.objects.get(pk=branch_id) if branch_id else None
    return {"plan": services.match_plan_create(actor=actor, branch=branch).pk}


@task()
def confirm_plan(*, actor_id: int, plan_id: int, language: str = "") -> dict:
    """Confirm the plan; a refusal (a stale plan) is an outcome to show, not a failure. Its
    messages are in the language of the person who confirmed."""
    actor = User.objects.get(pk=actor_id)
    with translation.override(language or None):
        plan = plan_get_for(user=actor, pk=plan_id)
        if plan is None:
            return {"plan": plan_id, "errors": [_("You may not confirm this plan.")]}
        try:
            count = services.match_plan_confirm(actor=actor, plan=plan)
        except ValidationError as exc:
            return {"plan": plan_id, "errors": exc.messages}
    return {"plan": plan_id, "count": count}
