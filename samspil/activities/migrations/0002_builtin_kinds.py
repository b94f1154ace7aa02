"""The built-in kinds of activity (organisation NULL). Their codes are stable; labels are
translated in code (activities.models.BUILTIN_KINDS)."""

from django.db import migrations

KINDS = [
    ("family_camp", "Family camp"),
    ("cafe_meeting", "Café meeting"),
    ("workshop", "Workshop"),
    ("excursion", "Excursion"),
    ("network_meeting", "Network meeting"),
    ("homework_cafe", "Homework café"),
    ("job_cafe", "Job café"),
    ("shared_meal", "Shared meal"),
    ("youth_club", "Youth club"),
    ("childrens_cafe", "Children's café"),
    ("family_workshop", "Family workshop"),
    ("counselling", "Counselling session"),
]


def load(apps, schema_editor):
    ActivityKind = apps.get_model("activities", "ActivityKind")
    for code, name in KINDS:
        ActivityKind.objects.get_or_create(organisation=None, code=code, defaults={"name": name})


def unload(apps, schema_editor):
    ActivityKind = apps.get_model("activities", "ActivityKind")
    ActivityKind.objects.filter(organisation=None, code__in=[c for c, _ in KINDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
