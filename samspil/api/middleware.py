"""Refuse NUL characters anywhere in an API request before it reaches a view.

PostgreSQL cannot store or compare text with NUL (0x00) in it and raises an error, which would
be a 500 for what is the client's mistake. The fuzzer finds these; people never type them.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.utils.translation import gettext as _

API_PREFIX = "/api/v1/"


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(API_PREFIX) and self._has_nul(request):
            return JsonResponse({"code": "invalid", "detail": _("The request has invalid values."),
                                 "errors": [{"loc": [], "msg": "NUL (0x00) is not allowed"}]},
                                status=422)
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        if "\x00" in request.path or any("\x00" in k or "\x00" in v
                                         for k, values in request.GET.lists() for v in values):
            return True
        if any("\x00" in str(v) for k, v in request.META.items() if k.startswith("HTTP_")):
            return True
        body = request.body if request.method in ("POST", "PUT", "PATCH") else b""
        return b"\x00" in body or b"\\u0000" in body
