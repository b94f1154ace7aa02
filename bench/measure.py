"""Time the registry pages as a branch coordinator opens them, through the whole Django stack.

Requests go through django.test.Client (URL routing, every middleware, the session and user
lookups, the view, template rendering), without a network or a WSGI server in front; that is the
"server time" of a page. The pages are requested in turn (list, deeper list page, search, detail,
list, ...), so no page gets the database caches to itself.
"""

from __future__ import annotations

import math
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samspil.core.models import User
from samspil.households.models import Household
from samspil.households.selectors import household_list_for

TARGET_MS = 150.0
# A common last name and first name, as a coordinator types them.
SEARCHES = [
    "Jensen Anna", "Nielsen Mette", "Hansen Peter", "Pedersen Maria", "Andersen Lars",
    "Christensen Louise", "Larsen Thomas", "Sørensen Camilla", "Rasmussen Jens",
    "Jørgensen Sofie", "Nielsen Michael", "Jensen Søren", "Hansen Julie", "Hussein Fatima",
]


@dataclass
class Page:
    key: str
    title: str
    path: Callable[[random.Random], str]
    must_contain: bytes


def pages_for(user: User) -> list[Page]:
    ids = list(
        Household.objects.filter(branch__in=user.branches.all()).values_list("pk", flat=True)
    )
    if not ids:
        raise SystemExit(f"{user} has no households to open.")
    last_page = math.ceil(len(ids) / settings.PAGE_SIZE)
    # Only names that find someone in this branch (all of them do in the full-size seed).
    searches = [q for q in SEARCHES if household_list_for(user=user, query=q).exists()]
    if not searches:
        raise SystemExit("None of the benchmark's name searches finds a household.")
    base = reverse("households:list")
    table = b'<table class="households">'
    return [
        Page("list", "Household list, first page", lambda rng: base, table),
        Page("list_deep", "Household list, deeper pages (2 to last)",
             lambda rng: f"{base}?page={rng.randint(2, max(2, last_page))}", table),
        Page("search", "Search by name (last + first name)",
             lambda rng: f"{base}?{urlencode({'q': rng.choice(searches)})}", table),
        Page("detail", "Household detail (writes an audit row)",
             lambda rng: reverse("households:detail", args=[rng.choice(ids)]), b'id="h-members"'),
    ]


def client_for(user: User) -> Client:
    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="da")
    client.force_login(user)
    return client


def _get(client: Client, page: Page, path: str) -> float:
    started = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200 or page.must_contain not in response.content:
        raise SystemExit(f"GET {path} answered {response.status_code} without the expected "
                         f"content; the benchmark would measure the wrong thing.")
    return elapsed


def nearest_rank(values: list[float], q: float) -> float:
    """The q-quantile by the nearest-rank method: a value that was actually measured."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def summarise(samples: list[float]) -> dict:
    return {
        "n": len(samples),
        "median_ms": round(statistics.median(samples), 1),
        "p95_ms": round(nearest_rank(samples, 0.95), 1),
        "mean_ms": round(statistics.fmean(samples), 1),
        "min_ms": round(min(samples), 1),
        "max_ms": round(max(samples), 1),
    }


def measure(user: User, *, requests: int, warmup: int, out=print) -> list[dict]:
    rng = random.Random(7)
    client = client_for(user)
    pages = pages_for(user)

    queries = {}
    for page in pages:  # one untimed request each, counting its SQL queries
        path = page.path(rng)
        with CaptureQueriesContext(connection) as captured:
            _get(client, page, path)
        queries[page.key] = (len(captured), path)

    out(f"Warming up ({warmup} requests per page) ...")
    for _ in range(warmup):
        for page in pages:
            _get(client, page, page.path(rng))

    out(f"Measuring ({requests} requests per page, interleaved) ...")
    samples: dict[str, list[float]] = {page.key: [] for page in pages}
    for _ in range(requests):
        for page in pages:
            samples[page.key].append(_get(client, page, page.path(rng)))

    results = []
    for page in pages:
        stats = summarise(samples[page.key])
        results.append({
            "key": page.key, "title": page.title, "example": queries[page.key][1],
            "queries": queries[page.key][0], **stats, "target_ms": TARGET_MS,
            "pass": stats["p95_ms"] < TARGET_MS,
        })
    return results
