"""Where the database is: the default SQLite file, a path, or any SQLAlchemy URL.

Credentials never leave this module in clear: :func:`safe_url` renders a URL with the password
hidden, and :func:`scrub` removes it from any text (driver messages included).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from zonetrainer.core.store.errors import StoreError

DEFAULT_FILE_NAME = "zonetrainer.sqlite"


def default_path() -> Path:
    """``zonetrainer.sqlite`` in the platform's user data directory."""
    return Path(platformdirs.user_data_dir("zonetrainer", appauthor=False)) / DEFAULT_FILE_NAME


def resolve(url_or_path: str | os.PathLike[str] | None) -> URL:
    """Turn what the user gave (None, a file path, a URL) into a SQLAlchemy URL."""
    if url_or_path is None:
        return URL.create("sqlite", database=str(default_path()))
    text = os.fspath(url_or_path)
    if "://" not in text:
        return URL.create("sqlite", database=str(Path(text).expanduser().absolute()))
    try:
        return make_url(text)
    except (ArgumentError, ValueError):
        # These messages may repeat the URL, password included.
        raise StoreError("not a database URL or file path (expected e.g. "
                         "postgresql+psycopg://user@host/db or a file path)") from None


def sqlite_path(url: URL) -> Path | None:
    """The file of a SQLite URL; None for other databases and for in-memory SQLite."""
    if url.get_backend_name() != "sqlite":
        return None
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        return None
    return Path(url.database)


def safe_url(url: URL) -> str:
    """The URL as text with the password replaced by ``***``."""
    return url.render_as_string(hide_password=True)


def scrub(text: str, url: URL) -> str:
    """``text`` with the URL's password removed, on one line."""
    if url.password:
        text = text.replace(str(url.password), "***")
    return " ".join(text.split())
