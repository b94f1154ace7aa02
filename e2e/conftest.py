"""Browser journeys against a real Samspil server with the demo data.

One server per test session: a fresh SQLite database in a temporary directory, migrated and
seeded with `seed_demo`, served by `manage.py runserver` on a free port of 127.0.0.1. Playwright
drives Debian's Chromium (/usr/bin/chromium); pytest-playwright is not used.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("SAMSPIL_E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000


class Server:
    """The running Samspil: its address and what the setup commands said."""

    def __init__(self, base_url: str, var_dir: Path, log_path: Path, setup_errors: list[str]):
        self.base_url = base_url
        self.var_dir = var_dir
        self.log_path = log_path
        # Setup steps that failed without making the server unusable (compile_translations on
        # a .po file that is being edited); the translation checks report them.
        self.setup_errors = setup_errors


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=300,
    )


def _wait_until_answering(url: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"runserver exited with {process.returncode}:\n{log_path.read_text()[-4000:]}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (local)
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"runserver did not answer {url}:\n{log_path.read_text()[-4000:]}")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    var_dir = tmp_path_factory.mktemp("samspil-var")
    env = dict(os.environ, SAMSPIL_VAR_DIR=str(var_dir), PYTHONUNBUFFERED="1")
    env.pop("DATABASE_URL", None)
    setup_errors = []
    for args in (["migrate", "--noinput"], ["compile_translations"], ["seed_demo"]):
        result = _manage(env, *args)
        if result.returncode == 0:
            continue
        message = f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
        if args[0] == "compile_translations":
            setup_errors.append(message)  # the server still runs, in English
        else:
            pytest.fail(message, pytrace=False)
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    log_path = var_dir / "runserver.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_answering(f"{base_url}/accounts/login/", process, log_path)
        yield Server(base_url, var_dir, log_path, setup_errors)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def base_url(server: Server) -> str:
    return server.base_url


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def new_page(browser: Browser, base_url: str) -> Iterator[Callable[..., Page]]:
    """Open a page in a fresh browser (own cookies), as a person in Denmark would.

    language: "da" or "en" sets the django_language cookie; None leaves the choice to the
    server and the browser's Accept-Language (locale).
    """
    contexts: list[BrowserContext] = []

    def open_page(*, language: str | None = "da", phone: bool = False,
                  locale: str = "da-DK") -> Page:
        options = {"base_url": base_url, "locale": locale, "timezone_id": "Europe/Copenhagen"}
        if phone:
            options.update(viewport=PHONE, is_mobile=True, has_touch=True)
        else:
            options.update(viewport=DESKTOP)
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        if language:
            context.add_cookies([{"name": "django_language", "value": language,
                                  "url": base_url}])
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    """A desktop page in Danish, the default language."""
    return new_page()


@pytest.fixture(scope="session")
def lund_household(browser: Browser, base_url: str) -> dict:
    """A family registered by the coordinator through the browser, for the read-only journeys."""
    from support import COORDINATOR, family, log_in, register

    household = family("Lund", address="Tårnvej 87", phone="40 50 60 70", children=2)
    context = browser.new_context(base_url=base_url, locale="da-DK", viewport=DESKTOP)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        log_in(page, COORDINATOR)
        household_id = register(page, household)
    finally:
        context.close()
    return {"id": household_id, "name": household.name, "household": household}
