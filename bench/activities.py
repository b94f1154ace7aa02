"""Activities benchmark: 200 concurrent public sign-ups for an activity with 50 places, through
gunicorn on PostgreSQL.

Each run makes a fresh activity (50 places counted in households, waiting list on, public link
open), starts gunicorn on a free port of 127.0.0.1 against the same database, lets 200 clients
each load the public sign-up page (the CSRF cookie and the one-time submission token), then fires
the 200 POSTs at once behind a barrier, and afterwards replays 20 of them. It then checks the
database: exactly 50 places taken, 150 on the waiting list, no error responses, and the replays
made no second sign-up.

All 200 clients come from 127.0.0.1, so the benchmark raises the per-client rate limit for its
server: SAMSPIL_PUBLIC_FORM_MAX_SUBMISSIONS=100000 (the default, 20 per 10 minutes, would rightly
refuse the 21st sign-up from one address).
"""

from __future__ import annotations

import concurrent.futures
import datetime
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

CLIENTS = 200
CAPACITY = 50
REPLAYS = 20
WORKERS = 4
THREADS = 4


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _make_activity():
    from django.utils import timezone

    from samspil.activities.models import Activity, ActivityKind, Session
    from samspil.core.models import Branch, Organisation

    org, _ = Organisation.objects.get_or_create(name="Familiehjælpen (activities benchmark)",
                                                defaults={"kind": "charity"})
    branch, _ = Branch.objects.get_or_create(organisation=org, name="Rødovre",
                                             defaults={"municipality_id": "0175"})
    activity = Activity.objects.create(
        organisation=org, branch=branch, kind=ActivityKind.objects.get(code="cafe_meeting",
                                                                       organisation=None),
        title=f"Benchmark café {uuid.uuid4().hex[:6]}", capacity=CAPACITY, waiting_list=True,
        public_signup=True)
    day = timezone.localdate() + datetime.timedelta(days=7)
    Session.objects.create(activity=activity, date=day, start=datetime.time(17),
                           end=datetime.time(19))
    return activity


class Client:
    """One family's browser: its own connection and CSRF cookie."""

    def __init__(self, port: int, path: str, i: int):
        self.port, self.path, self.i = port, path, i
        self.cookie = ""
        self.form: dict[str, str] = {}

    def load(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        conn.request("GET", self.path, headers={"Accept-Language": "en"})
        response = conn.getresponse()
        body = response.read().decode()
        conn.close()
        assert response.status == 200, response.status
        for header, value in response.getheaders():
            if header.lower() == "set-cookie" and value.startswith("csrftoken="):
                self.cookie = value.split(";", 1)[0]
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
        token = re.search(r'name="submission_token" value="([^"]+)"', body).group(1)
        self.form = {"csrfmiddlewaretoken": csrf, "submission_token": token, "website": "",
                     "contact_name": f"Familie {self.i}", "phone": "",
                     "email": f"familie{self.i}@example.org", "adults": "1",
                     "children_ages": "5, 9", "language": "da", "note": ""}

    def post(self) -> tuple[int, float, str]:
        started = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        conn.request("POST", self.path, body=urlencode(self.form), headers={
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": self.cookie,
            "Accept-Language": "en"})
        response = conn.getresponse()
        body = response.read().decode()
        conn.close()
        elapsed = (time.perf_counter() - started) * 1000
        kind = ("place" if "your family has a place" in body
                else "waiting" if "on the waiting list" in body else "other")
        return response.status, elapsed, kind


def _start_gunicorn(root: Path, port: int) -> subprocess.Popen:
    env = dict(os.environ, SAMSPIL_PUBLIC_FORM_MAX_SUBMISSIONS="100000", DEBUG="false",
               DJANGO_SETTINGS_MODULE="samspil.settings", LANGUAGE_CODE="en")
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(  # noqa: S603 (fixed command)
        [str(gunicorn), "samspil.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(WORKERS), "--threads", str(THREADS), "--backlog", "1024",
         "--log-level", "warning"],
        cwd=root, env=env)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("gunicorn did not start")


def _all_at_once(jobs):
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(i, job):
        barrier.wait()
        try:
            results[i] = job()
        except Exception as error:  # noqa: BLE001 - reported as an error response
            results[i] = (0, 0.0, f"error: {error}")

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, time.perf_counter() - started


def run(root: Path) -> dict:
    from django.db import connection
    from django.urls import reverse

    from samspil.activities.models import SignUp

    if connection.vendor != "postgresql":
        raise SystemExit("The activities benchmark needs PostgreSQL: set DATABASE_URL, e.g. "
                         "postgres://postgres@127.0.0.1:5432/samspil_bench_activities")
    activity = _make_activity()
    path = reverse("activities:public_signup", kwargs={"key": activity.public_key})
    connection.close()
    port = _free_port()
    server = _start_gunicorn(root, port)
    try:
        clients = [Client(port, path, i) for i in range(CLIENTS)]
        # Loading the form is not what is measured: 8 at a time, so that a busy machine does
        # not time a load out (a client without its CSRF cookie would get 403 on its POST).
        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(lambda c: c.load(), clients))
        load_seconds = time.perf_counter() - started
        results, seconds = _all_at_once([c.post for c in clients])
        replays, _replay_seconds = _all_at_once([c.post for c in clients[:REPLAYS]])
    finally:
        server.terminate()
        server.wait(timeout=30)
    statuses = [r[0] for r in results] + [r[0] for r in replays]
    latencies = sorted(r[1] for r in results)
    signups = SignUp.objects.filter(activity=activity)
    counts = {s: signups.filter(status=s).count() for s in ("confirmed", "waiting", "cancelled")}
    replay_same = all(r[2] == o[2] for r, o in zip(replays, results[:REPLAYS], strict=True))
    result = {
        "clients": CLIENTS, "capacity": CAPACITY, "replays": REPLAYS,
        "gunicorn": {"workers": WORKERS, "threads": THREADS},
        "seconds_for_all_posts": round(seconds, 3),
        "seconds_for_page_loads": round(load_seconds, 3),
        "sign_ups_per_second": round(CLIENTS / seconds, 1),
        "latency_ms": {"median": round(statistics.median(latencies), 1),
                       "p95": round(latencies[int(0.95 * (len(latencies) - 1))], 1),
                       "max": round(latencies[-1], 1)},
        "status_codes": {str(c): statuses.count(c) for c in sorted(set(statuses))},
        "receipts": {k: [r[2] for r in results].count(k) for k in ("place", "waiting",
                                                                   "other")},
        "database": {**counts, "total": signups.count()},
        "replays_showed_the_same_receipt": replay_same,
    }
    result["pass"] = (counts["confirmed"] == CAPACITY and counts["waiting"] == CLIENTS - CAPACITY
                      and signups.count() == CLIENTS and statuses == [200] * len(statuses)
                      and replay_same)
    return result


def write(result: dict, results_dir: Path, machine: dict, meta: dict) -> tuple[Path, Path]:
    results_dir.mkdir(parents=True, exist_ok=True)
    full = {**meta, "machine": machine, **result}
    json_path = results_dir / "activities-postgresql.json"
    json_path.write_text(json.dumps(full, indent=2, ensure_ascii=False) + "\n")
    r, lat, db, rc = result, result["latency_ms"], result["database"], result["receipts"]
    verdict = "pass" if r["pass"] else "FAIL"
    md = f"""# Activities benchmark — PostgreSQL

Measured {meta['measured_at']} on commit `{meta['commit']}` by `bench/run.py --only activities`
(`bench/activities.py`); see `bench/README.md`. Other engineers' tests and benchmarks shared the
2-core machine at the time (load average at the end: {machine.get('load_average')}).

{CLIENTS} families sign up at the same moment through the public link of one activity with
{CAPACITY} places (counted in households, waiting list on), each with its own connection, CSRF
cookie and submission token, against gunicorn ({WORKERS} workers × {THREADS} threads) on
PostgreSQL. Then {REPLAYS} of them send the same submission again. The benchmark raises
SAMSPIL_PUBLIC_FORM_MAX_SUBMISSIONS for its server, as all clients come from 127.0.0.1.

| | |
|---|---:|
| Time for the {CLIENTS} concurrent POSTs | {r['seconds_for_all_posts']:.2f} s |
| Sign-ups per second | {r['sign_ups_per_second']} |
| Latency per POST: median / p95 / max | {lat['median']} / {lat['p95']} / {lat['max']} ms |
| Responses (incl. replays) by status | {r['status_codes']} |
| Receipts: place / waiting / other | {rc['place']} / {rc['waiting']} / {rc['other']} |
| Database: places taken / waiting / all | {db['confirmed']} / {db['waiting']} / {db['total']} |
| Replays showed the first receipt, no second sign-up | {r['replays_showed_the_same_receipt']} |
| **Result**: exactly {CAPACITY} places, {CLIENTS - CAPACITY} waiting, no errors | **{verdict}** |
"""
    md_path = results_dir / "activities-postgresql.md"
    md_path.write_text(md)
    return json_path, md_path
