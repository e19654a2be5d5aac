"""Effort sensors over Bluetooth LE, measured but never controlled: a Cycling Power meter
(0x1818, power in W) and a Running Speed and Cadence footpod or watch (0x1814, speed in km/h).
Their readings let cues name a number ("slow to 9.4 km/h", "about 180 W")."""

from __future__ import annotations

import logging

from bleak import BleakClient
from bleak.backends.characteristic import BleakGATTCharacteristic

from zonetrainer.core.model import EffortSample, EffortUnit
from zonetrainer.core.sources.base import SourceError
from zonetrainer.core.sources.ble_effort import BleEffortLink
from zonetrainer.core.sources.sensor_data import (
    CPS_SERVICE_UUID,
    CYCLING_POWER_UUID,
    RSC_MEASUREMENT_UUID,
    RSC_SERVICE_UUID,
    MalformedSensorData,
    PowerReading,
    crank_cadence_rpm,
    parse_cycling_power,
    parse_rsc,
)

log = logging.getLogger(__name__)


class _Sensor(BleEffortLink):
    event_prefix = "sensor"
    measurement_uuid = ""

    async def _setup(self, client: BleakClient) -> None:
        if client.services.get_characteristic(self.measurement_uuid) is None:
            raise SourceError(f"{self._label()} offers no {self.kind_label} measurement")
        await client.start_notify(self.measurement_uuid, self._on_measurement)

    def _on_measurement(self, _char: BleakGATTCharacteristic, data: bytearray) -> None:
        try:
            sample = self._sample(bytes(data))
        except MalformedSensorData as exc:
            self.malformed += 1
            log.warning("%s sent a malformed measurement (%s): %s", self._label(), exc,
                        bytes(data).hex())
            return
        self._queue.append(sample)

    def _sample(self, data: bytes) -> EffortSample:
        raise NotImplementedError

    _last: PowerReading | None = None

    def _power_sample(self, data: bytes) -> EffortSample:
        reading = parse_cycling_power(data)
        cadence = None if self._last is None else crank_cadence_rpm(self._last, reading)
        self._last = reading
        return EffortSample(self._clock.now_s(), float(reading.power_w), "W", self.source_id,
                            cadence_rpm=cadence)

    def _stride_sample(self, data: bytes) -> EffortSample:
        reading = parse_rsc(data)
        return EffortSample(self._clock.now_s(), reading.speed_kmh, "km/h", self.source_id,
                            cadence_rpm=float(reading.cadence_spm))


class PowerMeterSource(_Sensor):
    """A Cycling Power Service power meter (pedals, crank, hub, or a trainer without FTMS)."""

    kind_label = "power meter"
    service_uuids = (CPS_SERVICE_UUID,)
    measurement_uuid = CYCLING_POWER_UUID
    unit: EffortUnit = "W"

    def _sample(self, data: bytes) -> EffortSample:
        return self._power_sample(data)


class FootpodSource(_Sensor):
    """A Running Speed and Cadence footpod or watch: speed in km/h."""

    kind_label = "footpod"
    service_uuids = (RSC_SERVICE_UUID,)
    measurement_uuid = RSC_MEASUREMENT_UUID
    unit: EffortUnit = "km/h"

    def _sample(self, data: bytes) -> EffortSample:
        return self._stride_sample(data)


class EffortSensorSource(_Sensor):
    """A power meter or a footpod, whichever the device turns out to be (``run --sensor``)."""

    kind_label = "power meter or footpod"
    service_uuids = (CPS_SERVICE_UUID, RSC_SERVICE_UUID)

    async def _setup(self, client: BleakClient) -> None:
        if client.services.get_characteristic(CYCLING_POWER_UUID) is not None:
            self.measurement_uuid, self.unit = CYCLING_POWER_UUID, "W"
        else:
            self.measurement_uuid, self.unit = RSC_MEASUREMENT_UUID, "km/h"
        await super()._setup(client)

    def _sample(self, data: bytes) -> EffortSample:
        return self._power_sample(data) if self.unit == "W" else self._stride_sample(data)
