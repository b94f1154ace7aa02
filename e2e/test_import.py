"""A coordinator imports families from a spreadsheet: uploads, checks the columns, sees every
problem of a faulty file, corrects it, sees a duplicate, imports with the progress bar, and
downloads the household list as XLSX."""

from __future__ import annotations

import os
import subprocess
import sys

from playwright.sync_api import Page, expect
from support import COORDINATOR, ROOT, Journey, log_in, text

HEADER = "Husstand;Adresse;Postnr;Telefon;Email;Rolle;Fornavn;Efternavn;Fødselsdato;Køn"
FAULTY = "\n".join([
    HEADER,
    "1;Kildevej 1;9999;20123456;;forælder;Ida;Holmgaard;1985-03-01;kvinde",
    "1;Kildevej 1;9999;;;barn;Alma;Holmgaard;2090-01-01;pige",
])
GOOD = "\n".join([
    HEADER,
    "1;Kildevej 1;2610;20123456;;forælder;Ida;Holmgaard;1985-03-01;kvinde",
    "1;Kildevej 1;2610;;;barn;Alma;Holmgaard;2016-01-01;pige",
    "2;Kildevej 2;2610;;;forælder;Bo;Brixen;1979-05-05;mand",
    "2;Kildevej 2;2610;;;forælder;Bo;Brixen;1979-05-05;mand",
])


def run_worker(server) -> None:
    env = dict(os.environ, SAMSPIL_VAR_DIR=str(server.var_dir), PYTHONUNBUFFERED="1")
    env.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, "manage.py", "db_worker", "--batch",
                             "--no-startup-delay"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr


def _upload(page: Page, tmp_path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    page.get_by_role("navigation", name=text("Main menu")).get_by_role(
        "link", name=text("Import")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Import from a spreadsheet"))
    page.get_by_label(text("What is in the file")).select_option("households")
    page.get_by_label(text("File (XLSX or CSV)")).set_input_files(str(path))
    page.get_by_role("button", name=text("Upload and choose columns")).click()
    expect(page.get_by_role("heading", name=text("Which column is which"))).to_be_visible()


def test_a_coordinator_imports_families_from_a_spreadsheet(page: Page, server, tmp_path):
    journey = Journey("import")
    log_in(page, COORDINATOR)
    _upload(page, tmp_path, "faulty.csv", FAULTY)
    journey.check(page, "columns")
    page.get_by_role("button", name=text("Check the file")).click()
    expect(page.locator("progress")).to_be_visible()  # the page follows the task
    journey.check(page, "checking")
    run_worker(server)
    expect(page.get_by_role("heading", name=text("Problems"))).to_be_visible(timeout=15000)
    problems = page.get_by_role("table").last
    expect(problems).to_contain_text("9999 er ikke et dansk postnummer.")
    expect(problems).to_contain_text("2090-01-01")
    journey.check(page, "problems")

    _upload(page, tmp_path, "good.csv", GOOD)
    page.get_by_role("button", name=text("Check the file")).click()
    run_worker(server)
    expect(page.get_by_role("button", name=text("Import now"))).to_be_visible(timeout=15000)
    journey.check(page, "valid")
    page.get_by_role("button", name=text("Import now")).click()
    expect(page.locator("progress")).to_be_visible()
    run_worker(server)
    expect(page.get_by_text(text("The import is done."))).to_be_visible(timeout=15000)
    journey.check(page, "done")

    # The same file again: both households are now duplicates, shown and not created again.
    _upload(page, tmp_path, "again.csv", GOOD)
    page.get_by_role("button", name=text("Check the file")).click()
    run_worker(server)
    expect(page.get_by_role("heading", name=text("Households that are already registered"))
           ).to_be_visible(timeout=15000)
    expect(page.get_by_role("link", name="Ida Holmgaard")).to_be_visible()
    journey.check(page, "duplicates")

    page.get_by_role("navigation", name=text("Main menu")).get_by_role(
        "link", name=text("Households")).click()
    with page.expect_download() as download:
        page.get_by_role("link", name=text("Excel (XLSX)")).click()
    assert download.value.suggested_filename.endswith(".xlsx")
