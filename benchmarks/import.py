"""Import a big CSV: peak memory (RSS) and time against file size; prints JSON.

Each size is a fresh child process (``read_recording`` on a CSV of our own export's columns,
one reading a second with an RR interval), so each peak RSS is that import's alone.
``--quick`` runs 2 MB only; the default runs 2, 20 and 200 MB.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = """
import resource, sys, time
from zonetrainer.core.errors import UserError
from zonetrainer.core.imports import read_recording
start = time.perf_counter()
try:
    outcome = f"{read_recording(sys.argv[1]).hr_count} readings"
except UserError as exc:
    outcome = f"refused: {exc}"
print(time.perf_counter() - start)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
print(outcome[:160])
"""
ROW = "{t},{hr},{rr},1\n"


def write_csv(path: Path, megabytes: float) -> None:
    target = int(megabytes * 1_000_000)
    with path.open("w", encoding="utf-8") as fh:
        fh.write("t_s,hr_bpm,rr_ms,contact\n")
        written, t = 0, 0
        while written < target:
            hr = 110 + t % 40
            row = ROW.format(t=t, hr=hr, rr=round(60000 / hr))
            fh.write(row)
            written += len(row)
            t += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="2 MB only")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for megabytes in (2,) if args.quick else (2, 20, 200):
            path = Path(folder) / f"big-{megabytes}.csv"
            write_csv(path, megabytes)
            started = time.perf_counter()
            out = subprocess.run([sys.executable, "-c", CHILD, str(path)], check=True,
                                 capture_output=True, text=True).stdout.splitlines()
            results.append({"file_mb": megabytes, "rows": sum(1 for _ in path.open()) - 1,
                            "read_s": round(float(out[0]), 2),
                            "process_s": round(time.perf_counter() - started, 2),
                            "peak_rss_mb": round(float(out[1]), 1), "outcome": out[2]})
            path.unlink()
    print(json.dumps({"benchmark": "import", "python_rss_note": "ru_maxrss of the child",
                      "max_rss_all_children_mb": round(
                          resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
                      "results": results}, indent=2))


if __name__ == "__main__":
    main()
