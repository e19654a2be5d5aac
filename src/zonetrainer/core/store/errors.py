"""The one error the store raises: a one-line message the CLI prints as is."""

from __future__ import annotations

from zonetrainer.core.errors import UserError


class StoreError(UserError):
    """The database cannot be opened, read or written. ``str()`` is one line, no credentials."""
