"""One training session: source samples in, the loop stepped, states and record batches out.

Public face of the package: :class:`SessionEngine` (``_engine``), and the live DFA alpha1
source it is given (``_signal``). Its insides: ``_blocks`` (walking one plan block with its
loop), ``_memory`` (the bout bookkeeping and the up-front block check) and ``_signal`` (the
watch over a lost signal and the live alpha1). The runner that drives an engine from a source
and a clock is :mod:`zonetrainer.core.runner`, beside this package.
"""

from zonetrainer.core.engine._engine import SessionEngine
from zonetrainer.core.engine._signal import Alpha1Source, default_alpha1

__all__ = ["Alpha1Source", "SessionEngine", "default_alpha1"]
