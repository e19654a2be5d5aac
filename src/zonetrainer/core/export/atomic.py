"""Files replaced whole or not at all.

An export that fails midway (a full disk, a file-size limit, a dead USB stick) must not leave a
half-written file where the previous good one was, nor a new samples CSV beside the old RR CSV
it no longer matches. So every file is written to a temporary file in the target's own
directory (a rename across file systems is a copy, not atomic), flushed to the disk, and only
when every file of the set is complete are they renamed over the targets.
"""

from __future__ import annotations

import contextlib
import glob
import os
import secrets
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import BinaryIO

#: Tries at a free temporary name before giving up (a clash of 8 random hex digits is rare).
_NAME_TRIES = 5


#: A part without a process id in its name (written before they had one) is stale after this.
_OLD_PART_S = 3600.0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def clean_stale_parts(target: Path) -> None:
    """Remove the hidden parts of earlier exports to ``target`` whose process is gone (a
    kill -9 or a power cut mid-export leaves them); a running export's part is left alone."""
    for part in target.parent.glob(f".{glob.escape(target.name)}.*.part"):
        middle = part.name[len(target.name) + 2:-len(".part")].split(".")
        try:
            if len(middle) == 2 and middle[0].isdigit():
                stale = not _alive(int(middle[0]))
            else:
                stale = time.time() - part.stat().st_mtime > _OLD_PART_S
            if stale:
                part.unlink()
        except OSError:
            continue  # gone already, or not ours to remove: the export goes on


def _open_temp(target: Path) -> tuple[Path, BinaryIO]:
    clean_stale_parts(target)
    for _ in range(_NAME_TRIES):
        # The process id in the name tells the next export whether this part is abandoned.
        temp = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.part")
        try:
            # 0o666 and the umask, as for any new file; mkstemp's 0o600 would hide the export.
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        return temp, os.fdopen(fd, "wb")
    raise FileExistsError(f"no free temporary name beside {target}")


def replace_files(targets: Sequence[Path], write: Callable[[list[BinaryIO]], None]) -> None:
    """Call ``write`` with one open binary file per target, then put every file in place.

    On any failure the targets are untouched and no temporary file is left behind. (Between
    the renames of a set of several files there is a moment a crash could split; the renames
    are the last and fastest step.)
    """
    temps: list[tuple[Path, BinaryIO]] = []
    try:
        for target in targets:
            temps.append(_open_temp(target))
        write([fh for _, fh in temps])
        for _, fh in temps:
            fh.flush()
            os.fsync(fh.fileno())
            fh.close()
        for (temp, _), target in zip(temps, targets, strict=True):
            os.replace(temp, target)
    except BaseException:
        for temp, fh in temps:
            # Closing flushes what is buffered, which fails again for the same reason.
            with contextlib.suppress(OSError):
                fh.close()
            temp.unlink(missing_ok=True)
        raise
