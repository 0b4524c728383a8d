import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_rate_limits():
    """The password reset's per-address limit counts in the cache, which outlives a test: each starts afresh."""
    cache.clear()
    yield
    cache.clear()
