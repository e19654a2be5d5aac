"""Database fixtures for the store: ``db_url`` runs a test on SQLite and on PostgreSQL.

PostgreSQL comes from ``ZT_TEST_POSTGRES_URL`` (``.ci/run`` starts a server and sets it). Each
test gets a fresh schema, reached through the URL's ``search_path``, dropped afterwards.
Without the variable the PostgreSQL cases skip, unless ``ZT_REQUIRE_POSTGRES=1`` (CI): then
they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

POSTGRES_ENV = "ZT_TEST_POSTGRES_URL"


def postgres_base_url() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        message = (f"PostgreSQL tests skipped: set {POSTGRES_ENV} to a server's URL "
                   f"(.ci/run starts one)")
        if os.environ.get("ZT_REQUIRE_POSTGRES") == "1":
            pytest.fail(message.replace("skipped", "required (ZT_REQUIRE_POSTGRES=1)"))
        pytest.skip(message)
    return url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A URL whose connections land in a fresh, empty schema of the test server."""
    base = postgres_base_url()
    schema = f"zt_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database: a SQLite file in tmp_path, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        return str(tmp_path / "zonetrainer.sqlite")
    return str(request.getfixturevalue("postgres_url"))
