"""nps-report: a single-arm oncology study folder in, a submission-ready manuscript out.

Names are imported lazily so that `import nps_report` (and the CLI's no-op check)
does not pay for pandas, matplotlib or WeasyPrint until a build needs them.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from .version import __version__

_EXPORTS = {
    "build": "build", "BuildOutput": "build", "validate": "pipeline", "compute": "pipeline",
    "Problem": "errors", "StudyError": "errors", "Results": "results",
}
__all__ = ["BuildOutput", "Problem", "Results", "StudyError", "__version__", "build",
           "compute", "validate"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'nps_report' has no attribute {name!r}")
