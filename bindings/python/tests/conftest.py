"""Fixtures shared by the Python tests."""

import pytest

import preclear
from support import NOW


@pytest.fixture(scope="session")
def fin():
    """The bundled financial-institution pack, compiled once."""
    policy = preclear.Policy().add_bundled("financial-institution")
    return preclear.Screener(policy, now=NOW)


@pytest.fixture(scope="session")
def music():
    policy = preclear.Policy().add_bundled("music-label")
    return preclear.Screener(policy, now=NOW)

