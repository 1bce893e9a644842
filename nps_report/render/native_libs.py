"""Import WeasyPrint without spawning a compiler per shared library name it probes.

WeasyPrint loads pango, gobject, harfbuzz and fontconfig through cffi, trying each
under several platform names ('libpango-1.0-0', 'pango-1.0-0', ..., the Linux
soname). For every name that is not a file, cffi asks ctypes.util.find_library,
which on Linux runs ldconfig, gcc and ld in subprocesses: about 9 ms a name and
26 names, 0.2 s of the 0.33 s that `import weasyprint` took. On Linux the import
here answers find_library from one read of the dynamic linker's cache (`ldconfig
-p`), the LD_LIBRARY_PATH directories and the default /lib and /usr/lib folders:
exactly where dlopen() looks for a bare soname (a file only gcc or ld can find is not
loadable by its soname anyway). If WeasyPrint fails to import that way, it is
imported again with the standard lookup.

ctypes.util.find_library is public, but that cffi calls it for every failed name, and
which names WeasyPrint tries, are their internals: the quick lookup is used only with
the releases it was tested on (QUICK_LOOKUP_TESTED; tests/test_native_libs.py checks
that both imports map the very same shared objects), and the plain import elsewhere.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

from ..version import tested

DEFAULT_DIRS = ("/lib", "/usr/lib", "/lib64", "/usr/lib64")
# {distribution: (lowest tested release, first untested)}; keep in step with pyproject.toml
QUICK_LOOKUP_TESTED = {"weasyprint": ((68, 1), (71,)), "cffi": ((2, 0), (3,))}
# CPython's own mapping (ctypes/util.py) from machine to the ABI tag in `ldconfig -p`.
_ABI = {"x86_64-64": "libc6,x86-64", "ppc64-64": "libc6,64bit", "sparc64-64": "libc6,64bit",
        "s390x-64": "libc6,64bit", "ia64-64": "libc6,IA-64"}


def linker_cache() -> str | None:
    """The output of `ldconfig -p`, or None where there is no ldconfig."""
    for ldconfig in ("/sbin/ldconfig", "/usr/sbin/ldconfig", "ldconfig"):
        try:
            return subprocess.run([ldconfig, "-p"], capture_output=True, text=True, check=True,
                                  env={**os.environ, "LC_ALL": "C", "LANG": "C"}).stdout
        except (OSError, subprocess.CalledProcessError):
            continue
    return None


def quick_finder(cache: str, library_path: str = "") -> Callable[[str], str | None]:
    """find_library(name) answered from `ldconfig -p` output and LD_LIBRARY_PATH dirs."""
    machine = f"{os.uname().machine}-{8 * ctypes.sizeof(ctypes.c_void_p)}"
    abi = _ABI.get(machine, "libc6")
    dirs = [Path(d) for d in (*library_path.split(":"), *DEFAULT_DIRS) if d]

    def find_library(name: str) -> str | None:
        found = re.search(rf"\s+(lib{re.escape(name)}\.[^\s]+)\s+\({re.escape(abi)}", cache)
        if found:
            return found.group(1)
        for folder in dirs:
            matches = sorted(folder.glob(f"lib{name}.so*")) if folder.is_dir() else []
            if matches:
                return matches[0].name
        return None

    return find_library


@contextmanager
def _finder(find_library: Callable[[str], str | None]) -> Iterator[None]:
    original = ctypes.util.find_library
    ctypes.util.find_library = find_library
    try:
        yield
    finally:
        ctypes.util.find_library = original


def import_weasyprint() -> ModuleType:
    """`import weasyprint`, with the quick library lookup where it is safe (see above)."""
    if "weasyprint" in sys.modules or not quick_lookup_applies():
        import weasyprint

        return weasyprint
    cache = linker_cache()
    if cache is not None:
        try:
            with _finder(quick_finder(cache, os.environ.get("LD_LIBRARY_PATH", ""))):
                import weasyprint
            return weasyprint
        except (OSError, ImportError):
            _forget_weasyprint()
    import weasyprint

    return weasyprint


def quick_lookup_applies() -> bool:
    """Linux, and WeasyPrint and cffi releases the quick lookup was tested with."""
    return sys.platform.startswith("linux") and all(
        tested(dist, low, high) for dist, (low, high) in QUICK_LOOKUP_TESTED.items())


def _forget_weasyprint() -> None:
    for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
        del sys.modules[name]
