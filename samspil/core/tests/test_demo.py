from django.core.management import call_command

from samspil.core.models import Role, User
from samspil.households.models import Household


def test_the_demo_has_every_role_and_can_run_twice(db, capsys):
    call_command("seed_demo", households=12)
    first = capsys.readouterr().out
    call_command("seed_demo", households=12)
    # Granted Christmas-aid applications become households too (samspil/christmas/demo.py),
    # and the municipality's own team has households of its own (samspil/partners/demo.py).
    assert Household.objects.filter(organisation__name="Familiehjælpen (demo)",
                                    christmas_applications__isnull=True).count() == 12
    roles = set(User.objects.values_list("role", flat=True))
    assert {r.value for r in Role} <= roles
    assert "koordinator" in first and "samspil-demo-2026" in first
    assert User.objects.get(username="koordinator").check_password("samspil-demo-2026")
    # No CPR numbers in the demo: any well-formed one might belong to a real person.
    from samspil.households.models import Person

    assert not Person.objects.exclude(cpr_encrypted="").exists()


def test_the_demo_is_the_same_each_time(db):
    call_command("seed_demo", households=5)
    registry = Household.objects.filter(christmas_applications__isnull=True)
    names = list(registry.order_by("id").values_list("display_name", flat=True))
    Household.objects.all().delete()
    call_command("seed_demo", households=5)
    again = list(registry.order_by("id").values_list("display_name", flat=True))
    assert names == again


def test_the_demo_has_volunteers_and_engagements_in_every_state(db):
    from samspil.engagements.models import Engagement, EngagementState, Meeting

    call_command("seed_demo", households=60)
    states = set(Engagement.objects.values_list("state", flat=True))
    assert states == set(EngagementState.values)
    assert Meeting.objects.exists()
    frida = User.objects.get(username="frivillig").volunteer
    assert frida.engagements.filter(state="active").exists()


def test_the_demo_prints_the_addresses_of_the_pages_families_see(db, client, capsys):
    """The public pages need no login, so the demo says where they are; each address opens."""
    import re

    call_command("seed_demo", households=5)
    out = capsys.readouterr().out
    family_part = out.split("Pages for families (no login):", 1)[1]
    urls = re.findall(r"(/christmas/apply/\S+/|/activities/join/\S+/)", family_part)
    assert any(u.startswith("/christmas/apply/") for u in urls)
    assert any(u.startswith("/activities/join/") for u in urls)
    client.logout()
    for url in urls:
        assert client.get(url).status_code == 200, url
