from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    name = "samspil.outcomes"
    label = "outcomes"
    verbose_name = _("Outcomes")

    def ready(self):
        from samspil.outcomes import signals

        signals.connect()
