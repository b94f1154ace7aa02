from django.db import migrations

from samspil.core import reference_data


def load(apps, schema_editor):
    reference_data.load(apps.get_model("core", "Municipality"), apps.get_model("core", "Postcode"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
