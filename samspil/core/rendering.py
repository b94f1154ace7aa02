"""How form fields render everywhere: each field group in its own <div class="field">, so
labels, help texts, errors and inputs stay together in grids and on phones."""

from django.forms.renderers import DjangoTemplates


class SamspilFormRenderer(DjangoTemplates):
    field_template_name = "core/field.html"
