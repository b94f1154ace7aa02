import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """Messages compared in English (pages get their language from the request)."""
    with translation.override("en"):
        yield
