"""`nps-report preview`: serve, watch, refresh, and write the documents when asked.

The study folder is watched with watchfiles (the Rust `notify` crate: inotify on Linux,
FSEvents and ReadDirectoryChangesW elsewhere, polling where none works), which groups
an editor's write-rename-chmod of one save into one change. Each change refreshes the
session (session.py) and the open pages reload through their event stream.

The PDF and DOCX are written by the normal build, in a child process (`nps-report
build STUDY --out OUT`): the same all-or-nothing rules, the same messages, its own
cache in OUT, and no fork of this multi-threaded process. It runs when the page's
button asks, and when the preview stops after changes that were not written yet.
"""

from __future__ import annotations

import errno
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from ..inputs import adam_folder, relative_name
from .server import HOST, PreviewServer
from .session import Session

Echo = Callable[[str], None]
PORTS_TRIED = 20  # from the default port on, the first free one is taken (and said)


class PortInUse(Exception):
    """The port asked for is taken."""


class Writer:
    """Writes the documents with a child `nps-report build`; one at a time."""

    def __init__(self, study: Path, out: Path, post: Callable[[str], None], echo: Echo) -> None:
        self.study, self.out, self.post, self.echo = study, out, post, echo
        self._busy = threading.Lock()
        self.written_version = -1
        self._child: subprocess.Popen[str] | None = None

    def start(self, version: int) -> None:
        """Write in the background (the page's button)."""
        threading.Thread(target=self.write, args=(version,), daemon=True).start()

    def write(self, version: int) -> bool:
        with self._busy:
            self.echo(f"writing the PDF and DOCX into {self.out}/ ...")
            start = time.perf_counter()
            command = [sys.executable, "-m", "nps_report", "build", str(self.study),
                       "--out", str(self.out)]
            self._child = subprocess.Popen(command, stdout=subprocess.PIPE,
                                           stderr=subprocess.PIPE, text=True)
            stdout, stderr = self._child.communicate()
            code, self._child = self._child.returncode, None
            if code == 0:
                self.written_version = max(self.written_version, version)
                message = (f"wrote {self.out / 'manuscript.pdf'} and manuscript.docx "
                           f"({time.perf_counter() - start:.1f} s)")
            else:
                message = (f"not written (the build stopped with exit code {code}):\n"
                           + (stderr.strip() or stdout.strip()))
            self.echo(message)
            self.post(message)
            return code == 0

    def stop(self) -> None:
        """Interrupt a build in progress: it cleans up as on Ctrl-C (nothing half-written)."""
        child = self._child
        if child is not None and child.poll() is None:
            child.send_signal(signal.SIGINT)
            try:
                child.wait(10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def bind(port: int, port_given: bool, session: Session, write: Callable[[], None],
         echo: Echo) -> PreviewServer:
    """The server on `port`; without --port, the next free port (said) if it is taken."""
    for candidate in range(port, port + (1 if port_given else PORTS_TRIED)):
        try:
            server = PreviewServer(candidate, session, write)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
            continue
        if candidate != port:
            echo(f"port {port} is in use; serving on port {candidate} instead")
        return server
    if port_given:
        raise PortInUse(f"port {port} on {HOST} is in use (another preview or server?): "
                        f"stop it, or choose another port with --port")
    raise PortInUse(f"ports {port}-{port + PORTS_TRIED - 1} on {HOST} are all in use: "
                    f"choose a free one with --port")


def preview(study: Path, out: Path, port: int = 8000, port_given: bool = False,
            open_browser: bool = False, echo: Echo = print) -> int:
    """Serve the study's manuscript until interrupted; 0 on a clean stop, 2 if the port is
    taken."""
    import watchfiles

    study = study.resolve()
    workdir = Path(tempfile.mkdtemp(prefix="nps-preview-"))
    stop = threading.Event()
    server: PreviewServer | None = None
    writer: Writer | None = None
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        session = Session(study, workdir, ignore=out)
        writer = Writer(study, out, lambda m: server.written.post(m) if server else None,
                        echo)
        server = bind(port, port_given, session, lambda: writer.start(
            session.snapshot.version), echo)
        url = f"http://{HOST}:{server.server_address[1]}/"
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                         name="preview-server", daemon=True).start()
        echo(f"Preview of {study} at {url}  (Ctrl-C to stop)")
        _refresh(session, echo)
        if open_browser:
            import webbrowser

            webbrowser.open(url)
        for changes in watchfiles.watch(study, *_outside(study), watch_filter=_watched(
                study, out), debounce=400, step=30, stop_event=stop, raise_interrupt=True):
            names = sorted({relative_name(Path(p), study) for _, p in changes})
            echo(f"changed: {', '.join(names)}")
            _refresh(session, echo)
    except PortInUse as exc:
        echo(f"nps-report preview: {exc}")
        return 2
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        if server is not None:
            server.stopping.set()
            server.shutdown()
            server.server_close()
        signal.signal(signal.SIGTERM, previous)
        if writer is not None:
            writer.stop()
            _write_on_stop(writer, server.session if server else None, echo)
        shutil.rmtree(workdir, ignore_errors=True)
    echo("preview stopped")
    return 0


def _refresh(session: Session, echo: Echo) -> None:
    if session.refresh():
        snap = session.snapshot
        if snap.error:
            echo(f"error (the page shows the last good manuscript):\n{snap.error}")
        else:
            echo(f"page updated in {snap.seconds:.2f} s")


def _write_on_stop(writer: Writer, session: Session | None, echo: Echo) -> None:
    """Write the documents of the last good page unless they were written already."""
    if session is None or session.snapshot.html is None:
        return
    snap = session.snapshot
    if snap.error:
        echo(f"the PDF and DOCX were not written: the study has an error (see above); "
             f"{writer.out}/ is as it was")
        return
    if writer.written_version >= snap.version:
        return
    try:
        writer.write(snap.version)
    except KeyboardInterrupt:
        writer.stop()
        echo(f"interrupted; {writer.out}/ is as it was")


def _outside(study: Path) -> list[Path]:
    """The data folders a study reads outside its own (an ADaM source named by its
    absolute path), watched as well."""
    folder = adam_folder(study)
    if folder is None or not folder.is_dir() or folder.resolve().is_relative_to(study):
        return []
    return [folder.resolve()]


def _watched(study: Path, out: Path) -> Callable[[object, str], bool]:
    """What counts as a change of the study: not the build folder (when it is inside the
    study), hidden files, editors' swap and backup files."""
    out = out.resolve()

    def keep(_change: object, path: str) -> bool:
        p = Path(path)
        if p == out or p.is_relative_to(out):
            return False
        rel = p.relative_to(study) if p.is_relative_to(study) else p
        name = p.name
        return not (any(part.startswith(".") for part in rel.parts)
                    or name.endswith(("~", ".swp", ".swx", ".tmp", ".part"))
                    or name.startswith(("#", "~$")) or name == "4913")  # vim's probe file

    return keep


def _interrupt(_signum: int, _frame: object) -> None:
    """SIGTERM stops the preview as Ctrl-C does."""
    raise KeyboardInterrupt
