"""What a heart can do: the plausibility limits shared by the control loop's filter and the
summary's counting rule, so that both judge a reading alike."""

from __future__ import annotations

from typing import Final

#: Outside this range a reading is not a heart rate (0 bpm is what straps send on lost contact).
MIN_VALID_BPM: Final = 25.0
MAX_VALID_BPM: Final = 250.0

#: A reading further than this from the trend, plus what HR can move in the time since, is a
#: spike until the next reading confirms it. HR changes by at most about 2-3 bpm/s even at the
#: onset of hard exercise (Hunt et al. 2015 fit tau >= 25 s for gaps of <= 60 bpm: <= 2.4 bpm/s).
SPIKE_GATE_BPM: Final = 15.0
MAX_RATE_BPM_PER_S: Final = 3.0

#: While readings come without a gap, a level that far off the trend must hold this long before
#: it is believed: strap spikes last 1-3 notifications (a smoothed rate carries one bad beat for
#: a few seconds), and a real heart cannot jump that far in one second. After a gap (contact
#: lost, a dropout) two agreeing readings are enough, since HR may truly have moved meanwhile.
SPIKE_CONFIRM_S: Final = 3.0
