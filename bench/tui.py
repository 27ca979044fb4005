"""The app at scale, in a pseudo-terminal: first paint, peak memory, filter keystroke to repaint.

    python bench/tui.py                      # empty, 100k and 1M stories (+ newsboat if on PATH)
    python bench/tui.py --sizes 0 100000     # fewer
    python bench/tui.py --no-newsboat

Each run starts the real `tracker` command in a 120x40 pty and reads what it draws:
- first paint: process start -> the newest story's title (or "no stories match") on screen,
  the median of three runs after a warm-up run;
- peak RSS: VmHWM of the process two seconds after the first paint (sidebar and counts loaded);
- filter at the largest size: "/" then a word + enter -> its first matching title on screen
  ("enter"); the word typed a key at a time -> its first title, from the last key ("live",
  the 25 ms debounce included); median and worst over five words of 0.2-2% frequency.
Targets (issue 5): 1M first paint <= 1.5x empty, RSS at 1M <= 1.3x empty, keystroke <= 100 ms.
The 100k/1M databases are bench/gen_db.py's, cached in bench/out (shared with bench/query.py);
the app is started without a feeds.toml so it never writes to them.
newsboat (when on PATH): 500 feeds x 50 stories served from loopback, cache filled with
`newsboat -x reload`, then its first paint timed the same way.
"""

from __future__ import annotations

import argparse
import fcntl
import http.server
import os
import pty
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.query import database
from tracker.store import Store

TRACKER = Path(sys.executable).with_name("tracker")
SIZE = (120, 40)


class Terminal:
    """A program in a pseudo-terminal; `wait_for` scans what it has drawn since `mark()`."""

    def __init__(self, argv: list[str], cwd: str | None = None) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(SIZE[0])}
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=env,
            start_new_session=True, close_fds=True,
        )  # fmt: skip
        os.close(slave)
        self.fd = master
        self.buffer = b""

    def mark(self) -> None:
        self._drain(0.0)
        self.buffer = b""

    def _drain(self, timeout: float) -> None:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if ready:
            try:
                chunk = os.read(self.fd, 1 << 16)
            except OSError:
                return
            self.buffer = (self.buffer + chunk)[-(1 << 20) :]

    def wait_for(self, needle: bytes, timeout: float = 60.0) -> float:
        """Seconds (perf_counter) at which `needle` was first seen."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if needle in self.buffer:
                return time.perf_counter()
            self._drain(0.005)
        raise TimeoutError(f"{needle!r} not drawn within {timeout}s")

    def send(self, data: bytes) -> float:
        os.write(self.fd, data)
        return time.perf_counter()

    def peak_rss_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def close(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        os.close(self.fd)


def first_title(db: Path, query: str) -> bytes:
    with Store.open(db) as store:
        page = store.search.page(query, 1)
    return page.stories[0].title[:20].encode() if page.stories else b"no stories match"


def settle(term: Terminal, seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        term._drain(0.05)


def run_tracker(db: Path, keystrokes: bool) -> dict[str, float]:
    marker = first_title(db, "")
    term = Terminal([str(TRACKER), "--db", str(db), "--config", str(db) + ".no-feeds.toml"])
    try:
        painted = term.wait_for(marker) - term.started
        settle(term, 2.0)
        out = {"first_paint_s": painted, "peak_rss_mb": term.peak_rss_mb()}
        if keystrokes:
            out |= filter_timings(term, db)
        return out
    finally:
        term.close()


WORDS = ("nvidia", "deepseek", "export", "reasoning", "controls")


def filter_timings(term: Terminal, db: Path) -> dict[str, float]:
    """Median and worst over a few words: enter -> repaint, and last typed key -> repaint."""
    enter: list[float] = []
    live: list[float] = []
    for word in WORDS:
        want = first_title(db, word)
        for typed in (False, True):
            term.send(b"/")
            settle(term, 0.4)
            term.send(b"\x15")  # ctrl+u: clear the input (the list goes back to every story)
            settle(term, 1.0)
            term.mark()
            if typed:
                for key in word.encode():
                    last = term.send(bytes([key]))
                    time.sleep(0.03)  # a fast typist
                live.append((term.wait_for(want) - last) * 1000)
                term.send(b"\r")
            else:
                sent = term.send(word.encode() + b"\r")
                enter.append((term.wait_for(want) - sent) * 1000)
            settle(term, 0.5)
    return {
        "filter_enter_ms_median": statistics.median(enter),
        "filter_enter_ms_max": max(enter),
        "filter_live_ms_median": statistics.median(live),
        "filter_live_ms_max": max(live),
    }


# --- newsboat ---------------------------------------------------------------------------------


def _feed(i: int) -> bytes:
    items = "".join(
        f"<item><title>Bench story {i:03d}-{j:02d} about model chips</title>"
        f"<link>http://127.0.0.1/{i}/{j}</link><guid>{i}-{j}</guid>"
        f"<description>Body {j} of feed {i}.</description>"
        f"<pubDate>Mon, {1 + j % 28:02d} Sep 2025 10:00:00 GMT</pubDate></item>"
        for j in range(50)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Bench feed {i:03d}</title>'
        f"<link>http://127.0.0.1/</link>{items}</channel></rss>"
    ).encode()


def run_newsboat(feeds: int = 500) -> dict[str, float]:
    docs = {f"/f{i}.rss": _feed(i) for i in range(feeds)}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = docs.get(self.path, b"")
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    with tempfile.TemporaryDirectory() as tmp:
        urls = Path(tmp, "urls")
        urls.write_text("".join(f"http://127.0.0.1:{port}/f{i}.rss\n" for i in range(feeds)))
        conf = Path(tmp, "config")
        conf.write_text("reload-threads 8\n")
        args = ["newsboat", "-u", str(urls), "-c", f"{tmp}/cache.db", "-C", str(conf)]
        subprocess.run([*args, "-x", "reload"], capture_output=True, timeout=600,
                       env={**os.environ, "HOME": tmp}, check=False)  # fmt: skip
        os.environ["HOME"] = tmp
        term = Terminal(args, cwd=tmp)
        try:
            painted = term.wait_for(b"Bench feed 000", timeout=120) - term.started
            settle(term, 1.0)
            return {"first_paint_s": painted, "peak_rss_mb": term.peak_rss_mb()}
        finally:
            term.close()
            server.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[0, 100_000, 1_000_000])
    parser.add_argument("--no-newsboat", action="store_true")
    parser.add_argument("--runs", type=int, default=3, help="first paint: median of this many")
    args = parser.parse_args()
    results: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            db = Path(tmp, "empty.db") if n == 0 else database(n, rebuild=False)[0]
            if n == 0:
                Store.open(db).close()
            run_tracker(db, keystrokes=False)  # warm the page cache and the bytecode cache
            runs = [run_tracker(db, keystrokes=False) for _ in range(args.runs - 1)]
            runs.append(run_tracker(db, keystrokes=n == max(args.sizes)))
            results[n] = runs[-1] | {
                key: statistics.median(r[key] for r in runs) for key in runs[0]
            }
            print(f"{n:>9,} stories: " + "  ".join(f"{k} {v:.3f}" for k, v in results[n].items()))
    if 0 in results:
        base = results[0]
        for n, r in results.items():
            if n:
                paint = r["first_paint_s"] / base["first_paint_s"]
                rss = r["peak_rss_mb"] / base["peak_rss_mb"]
                print(
                    f"{n:>9,} vs empty: first paint x{paint:.2f} (target <= 1.5), "
                    f"RSS x{rss:.2f} (target <= 1.3)"
                )
    if not args.no_newsboat and shutil.which("newsboat"):
        nb = run_newsboat()
        print(
            f"newsboat, 500 feeds x 50 stories: first paint {nb['first_paint_s']:.3f} s, "
            f"peak RSS {nb['peak_rss_mb']:.0f} MB"
        )


if __name__ == "__main__":
    main()
