"""Who may open which page: the one decorator views use to say it."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404


def role_required(*roles: str, not_found_for: tuple[str, ...] = ()):
    """Logged-in users of an organisation with one of the roles; others get 403, or 404 for
    the roles in not_found_for (pages whose existence they should not learn, e.g. a household
    page for an evaluator)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user.has_role(*roles):
                if user.role in not_found_for:
                    raise Http404
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
