"""Fixtures of the export tests: session records built from core values, the real recordings."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.export.records import make_record
from zonetrainer.core.model import SessionRecord

DATA = Path(__file__).resolve().parent.parent / "data"
XSD = DATA / "xsd" / "TrainingCenterDatabasev2.xsd"


@pytest.fixture(scope="session")
def record() -> SessionRecord:
    """A 22-minute interval session with 1/1024-s RR values, a 6-s signal loss, alpha1."""
    return make_record()


@pytest.fixture(scope="session")
def exact_record() -> SessionRecord:
    """The same session with RR on whole milliseconds, FIT's resolution."""
    return make_record(quantise_rr=False)


@pytest.fixture()
def data_dir() -> Path:
    return DATA
