"""Loads the Danish reference data shipped in core/data/ (see core/data/SOURCES.md)."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def load(municipality_model, postcode_model) -> tuple[int, int]:
    """Insert or update the 98 municipalities and the postcodes. Safe to run again."""
    with open(DATA_DIR / "dk_municipalities.csv", encoding="utf-8", newline="") as f:
        municipalities = list(csv.DictReader(f))
    with open(DATA_DIR / "dk_postcodes.csv", encoding="utf-8", newline="") as f:
        postcodes = list(csv.DictReader(f))
    municipality_model.objects.bulk_create(
        [
            municipality_model(
                code=row["code"], name=row["name"], region_code=row["region_code"],
                region_name=row["region_name"],
            )
            for row in municipalities
        ],
        update_conflicts=True, unique_fields=["code"],
        update_fields=["name", "region_code", "region_name"],
    )
    postcode_model.objects.bulk_create(
        [
            postcode_model(
                code=row["postcode"], town=row["town"],
                municipality_id=row["municipality_code"],
                latitude=Decimal(row["lat"]), longitude=Decimal(row["lon"]),
            )
            for row in postcodes
        ],
        update_conflicts=True, unique_fields=["code"],
        update_fields=["town", "municipality", "latitude", "longitude"],
        batch_size=500,
    )
    return len(municipalities), len(postcodes)
