"""Shared fixtures for the scoring tests."""
import pytest

from analysis.scoring.friction import FrictionMatcher
from analysis.scoring.scorer import get_scorer


@pytest.fixture(scope="session")
def matcher():
    """The built-in friction matcher."""
    return FrictionMatcher()


@pytest.fixture(scope="session")
def scorer():
    """The default scorer with the shipped model."""
    return get_scorer()
