"""The core must run without a GUI: importing every core module loads no Qt."""

import importlib
import pkgutil
import subprocess
import sys

import zonetrainer.core


def test_core_imports_no_qt() -> None:
    names = [m.name for m in pkgutil.walk_packages(zonetrainer.core.__path__, "zonetrainer.core.")]
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    if '.migrations' in name: continue\n"
        "    importlib.import_module(name)\n"
        "gui = ('PySide6', 'pyqtgraph', 'qasync')\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in gui)\n"
        "print(len(sys.modules) and ','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"core imported GUI modules: {out.stdout}"
    assert len(names) >= 5  # the walk really found the core modules


def test_every_core_module_imports() -> None:
    for m in pkgutil.walk_packages(zonetrainer.core.__path__, "zonetrainer.core."):
        if ".migrations" not in m.name:
            importlib.import_module(m.name)
