"""Danish is the default and complete; English is selectable."""

from pathlib import Path

import polib
from django.conf import settings

from samspil.conftest import client_for

PO = Path(settings.BASE_DIR) / "samspil" / "locale" / "da" / "LC_MESSAGES" / "django.po"


def test_every_string_has_a_danish_translation():
    catalogue = polib.pofile(str(PO))
    missing = [e.msgid for e in catalogue if not e.obsolete and not e.translated()]
    fuzzy = [e.msgid for e in catalogue if "fuzzy" in e.flags]
    assert not missing and not fuzzy, missing + fuzzy


def test_pages_are_danish_by_default_and_english_on_request(coordinator, household):
    danish = client_for(coordinator, language="da").get("/households/").content.decode()
    assert "Husstande" in danish and 'lang="da"' in danish
    english = client_for(coordinator, language="en").get("/households/").content.decode()
    assert "Households" in english and 'lang="en"' in english


def test_the_language_switch_sticks(coordinator):
    client = client_for(coordinator, language="da")
    client.post("/i18n/setlang/", {"language": "en", "next": "/households/"})
    assert "Search by name, phone or address" in client.get("/households/").content.decode()
