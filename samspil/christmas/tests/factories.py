"""Rounds and applications for the tests, made through the services where it matters."""

from __future__ import annotations

import datetime
import uuid

from samspil.christmas import services
from samspil.christmas.models import Round
from samspil.core.models import Postcode

NOW = datetime.datetime(2026, 11, 20, 11, 0, tzinfo=datetime.UTC)


def make_round(org, **extra) -> Round:
    values = {
        "organisation": org, "name": "Julehjælp 2026", "year": 2026,
        "opens_at": NOW - datetime.timedelta(days=10),
        "closes_at": NOW + datetime.timedelta(days=10),
        "budget": 10000, "amount_per_household": 1000, "amount_per_child": 250,
        "income_categories": ["cash_benefit", "unemployment", "student_grant", "pension",
                              "low_wage"],
        "followup_kinds": ["network", "camp", "mentor", "counselling", "debt_advice"],
    }
    values.update(extra)
    return Round.objects.create(**values)


def make_application(round, *, first="Mette", last="Hansen", birth=datetime.date(1988, 4, 3),
                     postcode="2610", address="Egevej 12, 2. tv", phone="+4520123456",
                     children=(2015, 2019), income="cash_benefit", cpr_number="",
                     other=None, submitted=None, **extra):
    pc = Postcode.objects.get(code=postcode)
    values = {"first_name": first, "last_name": last, "birth_date": birth, "address": address,
              "postcode": pc, "phone": phone, "email": "", "other_first_name": "",
              "other_last_name": "", "other_birth_date": None,
              "children_birth_years": list(children), "income": income, "description": "",
              "consent_followup": True, "language": "da"}
    if other:
        values.update(other_first_name=other[0], other_last_name=other[1],
                      other_birth_date=other[2])
    values.update(extra)
    return services.application_submit(round=round, values=values, cpr_number=cpr_number,
                                       token=uuid.uuid4(), now=submitted or NOW)


def form_data(client, url: str, **overrides) -> dict:
    """The public form's fields as a phone would post them, with a fresh token from the page."""
    import re

    page = client.get(url).content.decode()
    token = re.search(r'name="submission_token" value="([^"]+)"', page).group(1)
    data = {
        "submission_token": token, "website": "", "first_name": "Mette",
        "last_name": "Hansen", "birth_date": "1988-04-03", "cpr": "", "address": "Egevej 12",
        "postcode": "2610", "phone": "20 12 34 56", "email": "", "other_first_name": "",
        "other_last_name": "", "other_birth_date": "", "children_birth_years": "2015, 2019",
        "income": "cash_benefit", "description": "", "consent": "on",
    }
    data.update(overrides)
    return data
