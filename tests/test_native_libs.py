"""The quick shared-library lookup for WeasyPrint's import answers as ctypes would for every
library dlopen() can load by name, and a failed quick import falls back to the plain one."""

from __future__ import annotations

import ctypes.util
import json
import subprocess
import sys
import textwrap

import pytest

from nps_report.render.native_libs import linker_cache, quick_finder

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux") or linker_cache() is None,
                                reason="the quick lookup is for Linux with ldconfig")

# what WeasyPrint loads, under the names it tries first, plus names that exist nowhere
NAMES = ("gobject-2.0", "pango-1.0", "harfbuzz", "fontconfig", "pangoft2-1.0", "c", "m",
         "gobject-2.0-0", "libpango-1.0-0", "harfbuzz-subset", "harfbuzz-vector",
         "no-such-library-at-all")


def test_quick_finder_agrees_with_ctypes_on_what_the_linker_cache_holds():
    find = quick_finder(linker_cache() or "")
    for name in NAMES:
        expected = ctypes.util.find_library(name)
        if expected is None or "/" in expected:
            # ctypes found nothing, or a path only gcc/ld know: not loadable by soname
            assert find(name) in (None, expected), name
        else:
            assert find(name) == expected, name


def test_quick_finder_looks_in_ld_library_path(tmp_path):
    (tmp_path / "libnps-test-only.so.3").write_bytes(b"")
    find = quick_finder("", str(tmp_path))
    assert find("nps-test-only") == "libnps-test-only.so.3"
    assert find("nps-other") is None


def _weasyprint_state(code: str) -> dict:
    script = textwrap.dedent(code) + textwrap.dedent("""
        import json, sys
        from weasyprint.text import ffi
        print(json.dumps({"subset": ffi.harfbuzz_subset is not None,
                          "vector": getattr(ffi, "harfbuzz_vector", None) is not None,
                          "modules": sorted(m for m in sys.modules if m == "weasyprint")}))
    """)
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_the_quick_import_loads_the_same_optional_libraries_as_the_plain_one():
    quick = _weasyprint_state("""
        from nps_report.render.native_libs import import_weasyprint
        import_weasyprint()
    """)
    plain = _weasyprint_state("import weasyprint")
    assert quick == plain


def test_a_failing_quick_import_falls_back_to_the_plain_import():
    state = _weasyprint_state("""
        from contextlib import contextmanager
        from nps_report.render import native_libs

        @contextmanager
        def broken(_find):
            raise ImportError("simulated failure of the quick lookup")
            yield

        native_libs._finder = broken
        native_libs.import_weasyprint()
    """)
    assert state["modules"] == ["weasyprint"]
