from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChristmasConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "samspil.christmas"
    verbose_name = _("Christmas aid")
