"""Every named URL of Samspil is walked as every role by some app's access test.

Each app's tests/test_access.py exports COVERED_URLS; a new page without an access walk fails
here, so no page can leak by being forgotten.
"""

from importlib import import_module

from django.urls import URLPattern, URLResolver, get_resolver

ACCESS_TEST_MODULES = [
    "samspil.households.tests.test_access",
    "samspil.volunteers.tests.test_access",
    "samspil.engagements.tests.test_access",
    "samspil.engagements.matching.tests.test_access",
    "samspil.api.tests.test_access",
    "samspil.activities.tests.test_access",
    "samspil.outcomes.tests.test_access",
    "samspil.partners.tests.test_access",
    "samspil.christmas.tests.test_access",
    "samspil.security.tests.test_access",
    "samspil.privacy.tests.test_access",
    "samspil.imports.tests.test_access",
]


def all_named_urls() -> set[str]:
    found = set()

    def walk(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin":  # Django's own, closed to all but superusers
                    continue
                walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and p.name:
                found.add(f"{namespace}{p.name}")

    walk(get_resolver().url_patterns)
    return found


def test_every_url_is_walked_by_an_access_test():
    covered = set()
    for name in ACCESS_TEST_MODULES:
        try:
            module = import_module(name)
        except ModuleNotFoundError:
            continue  # an app without pages yet
        covered |= module.COVERED_URLS
    missing = all_named_urls() - covered
    assert not missing, f"URLs without an access walk: {sorted(missing)}"
