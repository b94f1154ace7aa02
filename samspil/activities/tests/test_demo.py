"""The demo has networks, a camp with attendance and a café series with a waiting list."""

from django.core.management import call_command

from samspil.activities.models import Activity, Attendance, Network, SignUp


def test_the_demo_has_networks_a_camp_and_a_cafe_with_a_waiting_list(db):
    call_command("seed_demo")
    call_command("seed_demo")  # the second run changes nothing
    assert Network.objects.count() == 4
    assert Network.objects.filter(ended_on__isnull=False).count() == 1
    camp = Activity.objects.get(kind__code="family_camp")
    assert camp.sessions.count() == 3 and camp.volunteers.exists()
    assert Attendance.objects.filter(session__activity=camp, present=True).exists()
    cafe = Activity.objects.get(kind__code="cafe_meeting")
    statuses = list(cafe.signups.values_list("status", flat=True))
    assert statuses.count("confirmed") == cafe.capacity
    assert statuses.count("waiting") == 3 and statuses.count("cancelled") == 1
    assert cafe.public_signup and cafe.volunteers.filter(user__username="frivillig").exists()
    assert SignUp.objects.filter(household__isnull=True).count() == 2
