"""Security headers, the content security policy, and templates without inline scripts."""

from __future__ import annotations

import re
from pathlib import Path

from samspil.conftest import client_for

ROOT = Path(__file__).resolve().parents[2]


def test_pages_carry_the_security_headers_and_a_strict_policy(coordinator):
    response = client_for(coordinator).get("/households/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Cache-Control"] == "no-store"  # personal data stays out of the cache


def test_the_login_page_has_the_policy_too(db):
    response = client_for(None).get("/accounts/login/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "Cache-Control" not in response or response["Cache-Control"] != "no-store"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>",
                           re.I)
HANDLER = re.compile(r"\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.I)
JS_URL = re.compile(r"(javascript:|hx-vals\s*=\s*['\"]js:)", re.I)


def test_no_template_has_inline_scripts_or_event_handlers():
    problems = []
    for path in ROOT.glob("**/templates/**/*.html"):
        if path.name.endswith("_pdf.html"):  # rendered to PDF by WeasyPrint, never served
            continue
        text = path.read_text()
        for pattern in (INLINE_SCRIPT, HANDLER, JS_URL):
            problems += [f"{path.relative_to(ROOT)}: {m.group(0)!r}"
                         for m in pattern.finditer(text)]
    assert not problems, "\n".join(problems)
