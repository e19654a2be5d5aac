"""The session database: SQLAlchemy 2 models, Alembic migrations, a batched recorder.

``Store.open(None)`` opens ``zonetrainer.sqlite`` in the user data directory; a file path or any
SQLAlchemy URL (``postgresql+psycopg://...``) works the same.
"""

from zonetrainer.core.store.errors import StoreError
from zonetrainer.core.store.history import PeriodTotals, SessionListing
from zonetrainer.core.store.store import Store
from zonetrainer.core.store.writer import StoreRecorder

__all__ = ["PeriodTotals", "SessionListing", "Store", "StoreError", "StoreRecorder"]
