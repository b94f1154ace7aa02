"""The export buttons carry the list page's filters, never a CPR number: a CPR-shaped search
term is masked as on the page itself (a CPR number must never be in a URL)."""

from django import template
from django.http import QueryDict

from samspil.core.services import mask_cpr_like

register = template.Library()


@register.simple_tag(takes_context=True)
def export_query(context) -> str:
    request = context.get("request")
    if request is None or not request.GET:
        return ""
    query = QueryDict(mutable=True)
    for key, values in request.GET.lists():
        query.setlist(key, [mask_cpr_like(value) for value in values])
    return "?" + query.urlencode()
