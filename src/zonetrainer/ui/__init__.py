"""The PySide6 dashboard: a thin layer over zonetrainer.core."""
