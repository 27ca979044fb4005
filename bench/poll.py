"""Benchmark `tracker poll --all`: cold, warm and incremental, against newsboat when installed.

Usage: python bench/poll.py [--feeds 500] [--entries 50] [--changed 0.1] [--hosts 16]
       [--concurrency 16] [--server auto|nginx|aiohttp] [--rounds 3] [--warm-runs 5]
       [--no-newsboat] [--keep]

Generates N feeds x M entries (RSS 2.0 and Atom mixed, ~1.5 kB of HTML per entry), serves them
from loopback addresses 127.0.0.1..127.0.0.H (nginx with ETag and gzip when installed, else
aiohttp with ETag and gzip), and measures wall time and peak RSS (the whole process tree,
parser workers included) of `tracker poll --all`: cold (empty database), warm (nothing
changed; the median of --warm-runs polls), incremental (10 % of feeds changed). With
`newsboat` on PATH, the same feeds are reloaded with `newsboat -x reload` (same number of
threads) and the ratios printed; newsboat's warm figure is its third reload, the first one that
sends validators. Cold and warm are measured in --rounds rounds, each running both tools back to
back from empty databases (the machine's speed drifts over minutes); the table shows the round
with the median ratio (and how many rounds met each target), and the peak RSS is the highest of
every run. Traffic stays on loopback.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from xml.sax.saxutils import escape

FUNCTION_WORDS = [
    "the", "of", "and", "to", "a", "in", "is", "that", "for", "it", "as", "was", "with", "on",
    "be", "by", "at", "this", "from", "are", "or", "have", "an", "they", "which", "not", "but",
    "its", "has", "were", "their", "been", "more", "will", "would", "new", "about", "after",
    "said", "over", "also",
]  # fmt: skip


def _vocabulary(size: int = 4000) -> list[str]:
    """English function words, then pseudo-words fixed by seed, drawn Zipf-like below: text
    whose most frequent words are stopwords, as in news, so search indexing and clustering see
    an ordinary spread of terms."""
    rng = random.Random(7)
    letters = "etaoinshrdlucmfwypvbgkjqxz"
    weights = [26 - i for i in range(26)]
    made = ["".join(rng.choices(letters, weights, k=rng.randint(4, 10))) for _ in range(size)]
    return FUNCTION_WORDS + made


WORDS = _vocabulary()
_CUM_WEIGHTS = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(WORDS))))
EPOCH = 1_735_000_000


@dataclass
class Run:
    name: str
    seconds: float
    peak_rss_mb: float
    cpu_seconds: float = 0.0  # user + system time of the whole process tree
    note: str = ""


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choices(WORDS, cum_weights=_CUM_WEIGHTS, k=words))


def _entry_html(rng: random.Random) -> str:
    paras = [f"<p>{escape(_text(rng, 40))} <a href='https://example.org/x'>more</a></p>"]
    paras += [f"<p>{escape(_text(rng, 45))}</p>" for _ in range(3)]
    return "".join(paras)


def make_feed(index: int, entries: int, version: int) -> tuple[str, bytes]:
    """(file name, body) of feed `index`; `version` > 0 adds new entries and edits one."""
    items = []
    total = entries + 5 * version
    for i in range(total - entries, total):
        r = random.Random(index * 100_003 + i)
        title = escape(f"{_text(r, 7).capitalize()} ({index}-{i})")
        body = _entry_html(r) + (f"<p>edit {version}</p>" if i == total - 1 and version else "")
        when = format_datetime(datetime.fromtimestamp(EPOCH + i * 3600 + index, UTC), usegmt=True)
        items.append((i, title, body, when, escape(_text(r, 2))))
    items.reverse()
    site = f"https://site{index}.example.org"
    if index % 2:
        entries_xml = "".join(
            f"<entry><id>tag:site{index},2025:{i}</id><title>{t}</title>"
            f'<link href="{site}/{i}"/><updated>{_iso(w)}</updated>'
            f"<author><name>{a}</name></author>"
            f'<content type="html">{escape(b)}</content></entry>'
            for i, t, b, w, a in items
        )
        doc = (
            f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Site {index}</title><id>{site}/</id><updated>{_iso(items[0][3])}</updated>"
            f'<link href="{site}/"/>{entries_xml}</feed>'
        )
        return f"f{index}.atom", doc.encode()
    entries_xml = "".join(
        f"<item><guid>{site}/{i}</guid><title>{t}</title><link>{site}/{i}</link>"
        f"<pubDate>{w}</pubDate><category>{WORDS[i % len(WORDS)]}</category>"
        f"<description>{escape(b)}</description></item>"
        for i, t, b, w, _ in items
    )
    doc = (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Site {index}</title><link>{site}/</link><description>bench</description>"
        f"{entries_xml}</channel></rss>"
    )
    return f"f{index}.rss", doc.encode()


def _iso(http_date: str) -> str:
    return parsedate_to_datetime(http_date).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_feeds(root: Path, feeds: int, entries: int, versions: dict[int, int]) -> list[str]:
    names = []
    for i in range(feeds):
        name, body = make_feed(i, entries, versions.get(i, 0))
        path = root / name
        if not path.exists() or path.read_bytes() != body:
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(body)
            os.replace(tmp, path)
        names.append(name)
    return names


# --- servers ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_nginx(root: Path, work: Path, port: int, hosts: int) -> subprocess.Popen[bytes]:
    listens = "".join(f"    listen 127.0.0.{h + 1}:{port};\n" for h in range(hosts))
    conf = work / "nginx.conf"
    conf.write_text(
        f"""worker_processes 1;
daemon off;
user root;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {work}/tmp; proxy_temp_path {work}/tmp; fastcgi_temp_path {work}/tmp;
  uwsgi_temp_path {work}/tmp; scgi_temp_path {work}/tmp;
  types {{ application/rss+xml rss; application/atom+xml atom; }}
  gzip on; gzip_types application/rss+xml application/atom+xml; gzip_min_length 256;
  etag on;
  server {{
{listens}    root {root};
  }}
}}
"""
    )
    (work / "tmp").mkdir(exist_ok=True)
    proc = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(work)])
    _wait_port(port)
    return proc


def start_aiohttp(root: Path, port: int, hosts: int) -> threading.Thread:
    import asyncio
    import gzip
    import hashlib

    from aiohttp import web

    cache: dict[str, tuple[float, bytes, str]] = {}

    async def handle(request: web.Request) -> web.StreamResponse:
        path = root / request.path.lstrip("/")
        if not path.is_file():
            return web.Response(status=404)
        mtime = path.stat().st_mtime
        if request.path not in cache or cache[request.path][0] != mtime:
            body = path.read_bytes()
            cache[request.path] = (mtime, gzip.compress(body, 6), hashlib.md5(body).hexdigest())
        _, zipped, digest = cache[request.path]
        etag = f'"{digest}"'
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        kind = "application/atom+xml" if path.suffix == ".atom" else "application/rss+xml"
        headers = {"ETag": etag, "Content-Type": kind, "Content-Encoding": "gzip"}
        return web.Response(body=zipped, headers=headers)

    async def serve() -> None:
        app = web.Application()
        app.router.add_get("/{name}", handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        for h in range(hosts):
            await web.TCPSite(runner, f"127.0.0.{h + 1}", port).start()
        await asyncio.Event().wait()

    thread = threading.Thread(target=lambda: asyncio.run(serve()), daemon=True)
    thread.start()
    _wait_port(port)
    return thread


def _wait_port(port: int) -> None:
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"server on port {port} did not start")


# --- measuring --------------------------------------------------------------------------------


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of `pid` and its descendants (via /proc/PID/task/TID/children)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            continue
    return total


def measure(name: str, command: list[str], env: dict[str, str] | None = None) -> Run:
    """Wall time, CPU time and peak RSS of the command's process tree: wall time until the
    command exits (waited for, not polled, so a half-second run is not rounded up to the next
    sample), RSS sampled every 20 ms by a thread, CPU from the reaped tree's rusage."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(command, start_new_session=True, env=env, stdout=out, stderr=err)
        peak = 0
        exited = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not exited.is_set():
                peak = max(peak, _tree_rss_kb(proc.pid))
                exited.wait(0.02)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        proc.wait()
        seconds = time.perf_counter() - started
        exited.set()
        sampler.join()
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        sys.stderr.write(stderr.decode(errors="replace")[-2000:])
        raise RuntimeError(f"{name}: exit {proc.returncode}")
    note = stdout.decode(errors="replace").strip().splitlines()[-1:] or [""]
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(name, seconds, peak / 1024, cpu, note[0][:120])


def _pair(ours: Run, theirs: Run | None) -> str:
    if theirs is None:
        return f"{ours.seconds:.2f} s"
    return f"{ours.seconds:.2f} s vs {theirs.seconds:.2f} s = {ours.seconds / theirs.seconds:.3f}x"


def _median_round(pairs: list[tuple[Run, Run | None]]) -> tuple[Run, Run | None]:
    """The (ours, newsboat's) pair with the median ratio (or time, without newsboat)."""
    ordered = sorted(pairs, key=lambda p: p[0].seconds / (p[1].seconds if p[1] else 1))
    return ordered[len(ordered) // 2]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--feeds", type=int, default=500)
    ap.add_argument("--entries", type=int, default=50)
    ap.add_argument("--changed", type=float, default=0.1)
    ap.add_argument("--hosts", type=int, default=16)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--server", choices=("auto", "nginx", "aiohttp"), default="auto")
    ap.add_argument("--warm-runs", type=int, default=5, help="warm polls to take the median of")
    ap.add_argument("--rounds", type=int, default=3, help="cold+warm rounds; the median is shown")
    ap.add_argument("--no-newsboat", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="tracker-bench-"))
    os.chmod(work, 0o755)
    root = work / "www"
    root.mkdir()
    names = write_feeds(root, args.feeds, args.entries, {})
    size = sum((root / n).stat().st_size for n in names)
    port = free_port()
    use_nginx = args.server == "nginx" or (args.server == "auto" and shutil.which("nginx"))
    server: subprocess.Popen[bytes] | None = None
    if use_nginx:
        server = start_nginx(root, work, port, args.hosts)
    else:
        start_aiohttp(root, port, args.hosts)
    urls = [f"http://127.0.0.{i % args.hosts + 1}:{port}/{n}" for i, n in enumerate(names)]
    print(f"{args.feeds} feeds x {args.entries} entries, {size / 1e6:.1f} MB on {args.hosts} "
          f"loopback hosts, served by {'nginx' if use_nginx else 'aiohttp'}")  # fmt: skip

    config = work / "feeds.toml"
    config.write_text(
        f"[settings]\nconcurrency = {args.concurrency}\n"
        + "".join(f'[[feed]]\nurl = "{u}"\n' for u in urls)
    )
    db = work / "tracker.db"
    tracker = [sys.executable, "-m", "tracker", "--db", str(db), "--config", str(config),
               "poll", "--all"]  # fmt: skip
    newsboat = None if args.no_newsboat else shutil.which("newsboat")
    nb_cmd: list[str] = []
    nb_env = dict(os.environ, HOME=str(work / "home"))
    if newsboat:
        (work / "home").mkdir()
        (work / "urls").write_text("\n".join(urls) + "\n")
        (work / "nb.conf").write_text(f"reload-threads {args.concurrency}\n")
        nb_cmd = [newsboat, "-u", str(work / "urls"), "-c", str(work / "nb.db"),
                  "-C", str(work / "nb.conf"), "-x", "reload"]  # fmt: skip

    # Byte-compile the package as any install does: with PYTHONDONTWRITEBYTECODE set (as in
    # some shells), an editable checkout would otherwise compile from source on every run.
    package = Path(__file__).resolve().parents[1] / "tracker"
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    changed = {i: 1 for i in range(0, args.feeds, max(1, round(1 / args.changed)))}
    ours: dict[str, Run] = {}
    theirs: dict[str, Run] = {}
    rounds: list[tuple[Run, Run | None, Run, Run | None]] = []  # cold, cold, warm, warm
    try:
        # The machine's speed drifts by 20-40 % over minutes: each round runs both tools back
        # to back from empty databases, and the ratios compared are per round.
        for number in range(1, args.rounds + 1):
            for leftover in work.glob("tracker.db*"):
                leftover.unlink()
            for leftover in work.glob("nb.db*"):
                leftover.unlink()
            cold = measure("cold", tracker)
            # A warm poll is half a second: one sample is at the mercy of the machine's other
            # work, so take the median of several (newsboat's 8 s reloads average out)
            warms = sorted((measure("warm", tracker) for _ in range(args.warm_runs)),
                           key=lambda run: run.seconds)  # fmt: skip
            warm = warms[len(warms) // 2]
            nb_cold = nb_warm = None
            if newsboat:
                nb_cold = measure("newsboat cold", nb_cmd, nb_env)
                measure("newsboat 2nd", nb_cmd, nb_env)  # 2.21 sends no validators on this one
                nb_warm = measure("newsboat warm (3rd)", nb_cmd, nb_env)
            rounds.append((cold, nb_cold, warm, nb_warm))
            print(f"round {number}: cold {_pair(cold, nb_cold)}; warm {_pair(warm, nb_warm)}",
                  flush=True)  # fmt: skip
        ours["cold"], cold_nb = _median_round([(r[0], r[1]) for r in rounds])
        ours["warm"], warm_nb = _median_round([(r[2], r[3]) for r in rounds])
        if cold_nb and warm_nb:
            theirs["cold"], theirs["warm"] = cold_nb, warm_nb
        write_feeds(root, args.feeds, args.entries, changed)
        ours["incremental"] = measure("incremental", tracker)
        if newsboat:
            theirs["incremental"] = measure("newsboat incremental", nb_cmd, nb_env)
    finally:
        if server is not None:
            server.send_signal(signal.SIGQUIT)
            server.wait(10)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept {work}")

    print(f"\n{'run':12} {'tracker s':>10} {'cpu s':>6} {'peak MB':>8} {'newsboat s':>11} "
          f"{'cpu s':>6} {'ratio':>7}")  # fmt: skip
    for key, run in ours.items():
        other = theirs.get(key)
        ratio = f"{run.seconds / other.seconds:.3f}x" if other else "-"
        other_s = f"{other.seconds:.2f}" if other else "-"
        other_cpu = f"{other.cpu_seconds:.1f}" if other else "-"
        print(f"{key:12} {run.seconds:10.2f} {run.cpu_seconds:6.1f} {run.peak_rss_mb:8.0f} "
              f"{other_s:>11} {other_cpu:>6} {ratio:>7}")  # fmt: skip
        print(f"{'':12} {run.note}")
    peak = max(r.peak_rss_mb for r in [*ours.values(), *(r for each in rounds for r in each[::2])])
    targets = [f"peak RSS {peak:.0f} MB (target <= 250)"]
    if theirs:
        targets.insert(0, f"cold {ours['cold'].seconds / theirs['cold'].seconds:.2f}x (<= 1.0)")
        targets.insert(1, f"warm {ours['warm'].seconds / theirs['warm'].seconds:.3f}x (<= 0.05)")
    print("targets: " + "; ".join(targets))
    if theirs:  # the median round decides; the rounds that met each target show the spread
        cold_met = sum(c.seconds <= 1.0 * nc.seconds for c, nc, _, _ in rounds if nc)
        warm_met = sum(w.seconds <= 0.05 * nw.seconds for _, _, w, nw in rounds if nw)
        print(f"rounds meeting them: cold {cold_met} of {len(rounds)}, "
              f"warm {warm_met} of {len(rounds)}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
