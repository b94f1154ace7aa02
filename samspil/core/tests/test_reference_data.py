from samspil.core import reference_data
from samspil.core.models import Municipality, Postcode


def test_the_98_municipalities_are_loaded_with_their_regions(db):
    assert Municipality.objects.count() == 98
    assert Municipality.objects.get(code="0175").name == "Rødovre"
    assert Municipality.objects.filter(region_code="1084").count() == 29
    assert not Municipality.objects.filter(code="0411").exists()  # Christiansø is not one
    assert Municipality.objects.get(code="0450").name == "Nyborg"


def test_postcodes_have_a_main_municipality_and_coordinates(db):
    assert Postcode.objects.count() == 1111
    rodovre = Postcode.objects.get(code="2610")
    assert rodovre.town == "Rødovre" and rodovre.municipality_id == "0175"
    assert (float(rodovre.latitude), float(rodovre.longitude)) == (55.6806, 12.4537)
    assert Postcode.objects.get(code="3760").municipality_id == "0400"  # Gudhjem, Bornholm


def test_loading_again_changes_nothing(db):
    assert reference_data.load(Municipality, Postcode) == (98, 1111)
    assert Municipality.objects.count() == 98 and Postcode.objects.count() == 1111
