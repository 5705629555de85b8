"""Shared fixtures. Keep them small and clearly named; areas keep their own fixtures in their test files."""

from __future__ import annotations

import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXTERNAL = ROOT.parent / "shared" / "data" / "external"


@pytest.fixture
def external_dir() -> pathlib.Path:
    """The real third-party files beside the project (../shared/data/external)."""
    if not EXTERNAL.is_dir():
        pytest.skip(f"third-party files not found at {EXTERNAL}")
    return EXTERNAL
