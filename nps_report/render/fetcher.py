"""Figure files for WeasyPrint under URLs that name the file, not the folder it sits in.

WeasyPrint names each embedded image after the MD5 of its URL, so a `file://` URL of
the build's staging folder (a random temporary path) put a different name, and so
different bytes, into every manuscript.pdf. Figures are therefore referenced as
`nps-figure:<file name>` and served from memory by a URL fetcher that answers only
those URLs and local files (the bundled fonts): a build never fetches from a network.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable
from pathlib import Path
from typing import Any

FIGURE_SCHEME = "nps-figure:"


def figure_url(path: Path) -> str:
    """The stable URL of a figure file: its name only."""
    return FIGURE_SCHEME + path.name


def figure_files(paths: Iterable[Path]) -> dict[str, Path]:
    """{figure_url: path}; two different files with one name would be one image, so refuse."""
    files: dict[str, Path] = {}
    for path in paths:
        url = figure_url(path)
        if files.setdefault(url, path) != path:
            raise ValueError(f"two figure files are both named {path.name}: {files[url]} "
                             f"and {path}; give them different names")
    return files


def url_fetcher(files: dict[str, Path]) -> Any:
    """A weasyprint.urls.URLFetcher (the documented extension point, WeasyPrint >= 68) that
    serves `files` and local files, and refuses every other URL."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class FigureFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if url.startswith(FIGURE_SCHEME):
                path = files.get(url)
                if path is None:
                    raise ValueError(f"no figure file for {url}")
                kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})
            return super().fetch(url, headers)

    return FigureFetcher(allowed_protocols=("file",), fail_on_errors=True)
