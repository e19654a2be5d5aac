"""zonetrainer: a heart-rate zone interval trainer for Bluetooth LE chest straps."""

__version__ = "0.1.0"
