"""Shipped plans and resources are found in a checkout and in an installed wheel."""

from __future__ import annotations

import sysconfig
from pathlib import Path

from zonetrainer.core.datafiles import shared_dir
from zonetrainer.core.plan import SHIPPED_DIR, shipped_plans


def test_in_a_checkout_they_sit_beside_src() -> None:
    root = Path(__file__).resolve().parents[2]
    assert shared_dir("sessions") == root / "sessions" == SHIPPED_DIR
    assert {"fatmax-intervals", "zone2-continuous", "back-strength-circuit"} <= set(
        shipped_plans())


def test_installed_they_are_under_the_prefix_share(tmp_path: Path) -> None:
    # A wheel puts the package in site-packages and the data under <prefix>/share/zonetrainer.
    module = tmp_path / "lib" / "site-packages" / "zonetrainer" / "core" / "datafiles.py"
    expected = Path(sysconfig.get_path("data")) / "share" / "zonetrainer" / "sessions"
    assert shared_dir("sessions", str(module)) == expected
