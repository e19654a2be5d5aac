"""Shared test set-up. Fixtures of a part live in tests/support/<part>.py, listed here."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

#: Fixture modules under tests/support, added by each part as it lands.
pytest_plugins: list[str] = ["tests.support.bluez_fixtures", "tests.support.postgres",
                             "tests.support.timezone"]
