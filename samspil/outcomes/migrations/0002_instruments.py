"""The instruments (WHO-5, benefit, work/education, school level, network, belief), version 1,
as defined in samspil/outcomes/instruments.py at the time of this migration."""

from django.db import migrations

from samspil.outcomes.instruments import DEFINITIONS


def create(apps, schema_editor):
    Instrument = apps.get_model("outcomes", "Instrument")
    for definition in DEFINITIONS:
        Instrument.objects.update_or_create(
            code=definition["code"], version=definition["version"],
            defaults={"name": definition["name"], "items": definition["items"],
                      "subject": definition["subject"], "is_current": True},
        )


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
