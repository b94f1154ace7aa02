from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"), max_length=100,
        help_text=gettext_lazy("What the token is for, e.g. “Member system sync”."),
        error_messages={"required": gettext_lazy("Give the token a name, e.g. what it is "
                                                 "used for.")},
    )
