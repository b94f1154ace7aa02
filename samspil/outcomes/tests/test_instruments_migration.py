"""Migration 0002 carries a frozen copy of the version-1 instruments: it does not import
instruments.py, and the copy equals what instruments.py defines as version 1 (a changed
wording there must become a new version, not a silent change of history)."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

from samspil.outcomes import instruments
from samspil.outcomes.models import Instrument

MIGRATION = "samspil.outcomes.migrations.0002_instruments"


def test_the_migration_does_not_import_the_live_definitions():
    source = (Path(instruments.__file__).parent / "migrations" / "0002_instruments.py").read_text()
    assert "samspil.outcomes.instruments" not in source


def test_the_frozen_copy_equals_version_1_of_the_module(db):
    frozen = importlib.import_module(MIGRATION).DEFINITIONS
    live = [{k: d[k] for k in ("code", "version", "subject", "name", "items")}
            for d in instruments.DEFINITIONS if d["version"] == 1]
    assert json.loads(json.dumps(frozen)) == json.loads(json.dumps(live))
    stored = {(i.code, i.version): i.items for i in Instrument.objects.all()}
    assert all(stored[(d["code"], 1)] == d["items"] for d in frozen)
