"""The API tokens page: every user with a role makes and revokes their own tokens."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from samspil.api import selectors, services
from samspil.api.forms import TokenForm
from samspil.core.access import role_required
from samspil.core.models import Role
from samspil.core.service_errors import add_service_errors

token_access = role_required(*Role.values)
NEW_KEY = "api_new_token_key"


@never_cache
@token_access
def token_list(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _, key = services.token_create(actor=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # Shown once, on the page the redirect leads to (so a reload makes no second token).
            request.session[NEW_KEY] = key
            return redirect("api_tokens:list")
    new_key = request.session.pop(NEW_KEY, None) if request.method == "GET" else None
    return render(request, "api/tokens.html", {
        "form": form, "new_key": new_key,
        "tokens": list(selectors.token_list_for(user=request.user)),
    })


@require_POST
@token_access
def token_revoke(request, pk: int):
    token = selectors.token_get_for(user=request.user, pk=pk)
    if token is None:
        raise Http404
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token “%(name)s” has been revoked.") % {"name": token.name})
    return redirect("api_tokens:list")
