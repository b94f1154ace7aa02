from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from samspil.core.access import role_required
from samspil.core.forms import AuditSearchForm
from samspil.core.models import AuditEvent, Role
from samspil.core.selectors import audit_event_list_for_organisation, audit_event_search
from samspil.core.services import mask_cpr_like
from samspil.households.selectors import REGISTRY_ROLES


@login_required
def home(request):
    if request.user.has_role(*REGISTRY_ROLES):
        return redirect("households:list")
    if request.user.has_role(Role.VOLUNTEER):
        return redirect("engagements:mine")
    return render(request, "core/home.html")


@role_required(Role.ORG_ADMIN)
def audit_log(request):
    events = audit_event_list_for_organisation(user=request.user)
    action = request.GET.get("action", "")
    if action in AuditEvent.Action.values:
        events = events.filter(action=action)
    data = request.GET.copy()
    if "text" in data:  # a CPR number typed as a search word is not written back to the page
        data["text"] = mask_cpr_like(data["text"])
    form = AuditSearchForm(data or None)
    if form.is_valid():
        events = audit_event_search(events, **form.cleaned_data)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit.html", {
        "page": page, "action": action, "actions": AuditEvent.Action.choices, "form": form,
    })
