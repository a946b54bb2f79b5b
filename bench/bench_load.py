"""A bounded load test of `permanence serve`: simulated people signing in and using the site at once, against one
and then two `serve` processes on loopback (the client spreads its people over them, as a proxy would).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_national .venv/bin/python bench/bench_load.py \\
        --users 50 --duration 120 --servers 1,2

Needs the bench extras (`.venv/bin/pip install -e '.[bench]'`: httpx). Without DATABASE_URL it uses the other
benchmarks' SQLite national set (bench/data/national.sqlite3, made by bench_children.py); the issue's figures are
on PostgreSQL. The database must hold the national set (`permanence migrate && permanence generate --scale
national`): its RAA team managers (tm.r01 … tm.r32, the demo password) are the people. Each person signs in (not measured), then,
until the time is up, picks one of (weights in MIX): the home page (their caseload), the children list (a
random page), a child's page, recording a visit on a child (the page's form, as a person would: it writes an
event, a snapshot and an audit row), the performance dashboard and an API list (/api/v1/children/), each with a
think time (--think, default 1-3 s). Reported per action and overall: requests, throughput, p50/p95/p99 in ms and errors (a 5xx,
a refused write, a timeout or a broken connection). Issue 16's target: p95 under 300 ms with 50 people, no error;
issue 17's budget (bench/budgets.py): p95 under 200 ms, no error – both printed, MET / NOT MET. One run per server
count (a run is minutes long: run it three times for a min / median).

Bounded: at most 200 people and 600 s per run; only loopback addresses; the `serve` processes it starts are
stopped at the end. The writes stay in the database (visits dated today on the people's own children).
Defaults are small (10 people, 15 s) for a quick run.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from budgets import BUDGETS, verdict  # noqa: E402

os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'data' / 'national.sqlite3'}")
MAX_USERS, MAX_SECONDS = 200, 600
MIX = {"home": 20, "children_list": 20, "child_page": 25, "record_event": 10, "dashboard": 10, "api_list": 15}
# Seconds between a person's requests (--think): 1-3 s, as issue 17 measured – someone reading a page before the
# next click. `--think 0.05,0.25` is a stress test: each simulated person then asks ten times as often.
THINK = (1.0, 3.0)
TIMEOUT = 30.0
SIGN_IN_TIMEOUT = 180.0


@dataclass
class Results:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    examples: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, action: str, ms: float, ok: bool, why: str = "") -> None:
        with self.lock:
            self.times[action].append(ms)
            if not ok:
                self.errors[action] += 1
                if len(self.examples) < 10:
                    self.examples.append(f"{action}: {why}")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def csrf(client: httpx.Client) -> str:
    return client.cookies.get("csrftoken", "")


class Person:
    def __init__(self, base: str, username: str, password: str, rng: random.Random):
        self.client = httpx.Client(base_url=base, timeout=TIMEOUT, follow_redirects=False)
        self.username, self.password, self.rng = username, password, rng
        self.children: list[int] = []
        self.pages = 1

    def sign_in(self) -> bool:
        self.client.get("/sign-in/", timeout=SIGN_IN_TIMEOUT)
        # Checking a password is slow on purpose (PBKDF2): many people signing in at once queue for a while.
        response = self.client.post("/sign-in/", data={"username": self.username, "password": self.password,
                                                        "csrfmiddlewaretoken": csrf(self.client)},
                                    headers={"Referer": f"{self.client.base_url}sign-in/"}, timeout=SIGN_IN_TIMEOUT)
        if response.status_code != 302:
            return False
        listing = self.client.get("/api/v1/children/", params={"page_size": 100}, timeout=SIGN_IN_TIMEOUT)
        if listing.status_code != 200:
            return False
        body = listing.json()
        self.children = [c["id"] for c in body["results"]]
        self.pages = max(1, -(-body["count"] // 25))
        return bool(self.children)

    def act(self, action: str) -> tuple[bool, str]:
        get = self.client.get
        if action == "home":
            response = get("/")
        elif action == "children_list":
            response = get("/children/", params={"page": self.rng.randint(1, min(self.pages, 20))})
        elif action == "child_page":
            response = get(f"/children/{self.rng.choice(self.children)}/")
        elif action == "dashboard":
            response = get("/performance/dashboard/")
        elif action == "api_list":
            response = get("/api/v1/children/", params={"page": self.rng.randint(1, min(self.pages, 20))})
        else:  # record_event: a visit today, through the page's form
            child = self.rng.choice(self.children)
            today = date.today()  # noqa: DTZ011 (the server's today, on this machine)
            url = f"/children/{child}/events/new/visit/"
            response = self.client.post(url, data={
                "date_day": today.day, "date_month": today.month, "date_year": today.year,
                "csrfmiddlewaretoken": csrf(self.client)}, headers={"Referer": f"{self.client.base_url}{url[1:]}"})
            if response.status_code != 302:
                return False, f"{response.status_code} on {url}"
            return True, ""
        if response.status_code != 200:
            return False, f"{response.status_code} on {response.request.url.path}"
        return True, ""


def run_people(bases: list[str], users: int, seconds: float, usernames: list[str], password: str,
               seed: int) -> tuple[Results, float, int]:
    results = Results()
    actions, weights = zip(*MIX.items(), strict=True)
    people: list[Person] = []
    for i in range(users):
        person = Person(bases[i % len(bases)], usernames[i % len(usernames)], password, random.Random(seed + i))
        people.append(person)
    stop_at = [0.0]
    started_at = [0.0]

    def start_clock() -> None:  # run once, when every person has signed in, before any of them goes on
        started_at[0] = time.monotonic()
        stop_at[0] = started_at[0] + seconds

    signed_in = threading.Barrier(users + 1, action=start_clock)
    failed_sign_ins = [0]

    def life(person: Person) -> None:
        try:
            ok, why = person.sign_in(), "refused"
        except httpx.HTTPError as error:
            ok, why = False, type(error).__name__
        if not ok:
            with results.lock:
                failed_sign_ins[0] += 1
                if len(results.examples) < 10:
                    results.examples.append(f"sign-in: {why}")
        signed_in.wait()
        if not ok:
            return
        while time.monotonic() < stop_at[0]:
            action = person.rng.choices(actions, weights)[0]
            started = time.perf_counter()
            try:
                ok, why = person.act(action)
            except httpx.HTTPError as error:
                ok, why = False, type(error).__name__
            results.add(action, (time.perf_counter() - started) * 1000, ok, why)
            time.sleep(person.rng.uniform(*THINK))
        person.client.close()

    threads = [threading.Thread(target=life, args=(p,), daemon=True) for p in people]
    for thread in threads:
        thread.start()
    signed_in.wait()
    for thread in threads:
        thread.join(seconds + TIMEOUT + 10)
    return results, time.monotonic() - started_at[0], failed_sign_ins[0]


def rss_mb(master_pid: int) -> float:
    """Resident memory of a gunicorn master and its workers, in MB (from /proc)."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(entry.name) != master_pid and int(stat[1]) != master_pid:
                continue
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except (OSError, IndexError, ValueError):
            continue
    return total / 1024


def start_servers(count: int, base_port: int, workers: int | None, threads: int | None, log_dir: Path):
    env = {**os.environ, "REQUEST_LOG_LEVEL": os.environ.get("REQUEST_LOG_LEVEL", "WARNING"),
           "GUNICORN_LOG_LEVEL": "warning"}
    servers = []
    for n in range(count):
        port = base_port + n
        command = [sys.executable, "-m", "permanence", "serve", "--bind", f"127.0.0.1:{port}"]
        if workers:
            command += ["--workers", str(workers)]
        if threads:
            command += ["--threads", str(threads)]
        log = (log_dir / f"bench-load-serve-{port}.log").open("w")
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT,  # noqa: S603
                                   start_new_session=True, cwd=ROOT)
        servers.append((process, f"http://127.0.0.1:{port}", log))
    for process, base, _log in servers:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise SystemExit(f"`permanence serve` on {base} stopped at once: see {log_dir}")
            try:
                health = httpx.get(f"{base}/healthz", timeout=5)
                if health.status_code == 200:
                    break
                raise SystemExit(f"{base}/healthz says {health.text}: migrate the database first")
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise SystemExit(f"`permanence serve` on {base} did not answer in 90 s") from None
                time.sleep(0.5)
    return servers


def stop_servers(servers) -> None:
    for process, _base, log in servers:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def report(label: str, results: Results, elapsed: float, failed_sign_ins: int, memory: float) -> bool:
    every = [ms for times in results.times.values() for ms in times]
    errors = sum(results.errors.values())
    print(f"\n== {label}")
    print(f"{'action':<15} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for action in MIX:
        times = results.times.get(action, [])
        if times:
            print(f"{action:<15} {len(times):>8} {statistics.median(times):>8.0f} {percentile(times, 95):>8.0f} "
                  f"{percentile(times, 99):>8.0f} {results.errors.get(action, 0):>7}")
    if not every:
        print(f"no request completed; sign-ins that failed: {failed_sign_ins}")
        return False
    p95 = percentile(every, 95)
    print(f"{'all':<15} {len(every):>8} {statistics.median(every):>8.0f} {p95:>8.0f} {percentile(every, 99):>8.0f} "
          f"{errors:>7}")
    print(f"throughput {len(every) / elapsed:.1f} requests/s over {elapsed:.0f} s; "
          f"servers' memory at the end {memory:.0f} MB; sign-ins that failed: {failed_sign_ins}")
    for example in results.examples:
        print(f"  error: {example}")
    clean = errors == 0 and failed_sign_ins == 0
    met = p95 < 300 and clean
    print(f"target (p95 < 300 ms, no error): {'met' if met else 'NOT met'}")
    budget = BUDGETS["load"]
    print(f"budget (issue 17: {budget}, no error): {verdict(p95 < budget.ms and clean)}")
    return met


def main() -> None:
    global THINK
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=10, help=f"simulated people at once (at most {MAX_USERS})")
    parser.add_argument("--duration", type=float, default=15, help=f"seconds per run (at most {MAX_SECONDS})")
    parser.add_argument("--servers", default="1,2", help="runs, by number of serve processes: e.g. 1,2 or 2")
    parser.add_argument("--workers", type=int, default=None, help="workers per serve (default: serve's own)")
    parser.add_argument("--threads", type=int, default=None, help="threads per worker (default: serve's own)")
    parser.add_argument("--base-port", type=int, default=18601)
    parser.add_argument("--password", default="demo-password-2026")
    parser.add_argument("--usernames", default=",".join(f"tm.r{n:02d}" for n in range(1, 33)),
                        help="comma-separated; people take them in turn")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--think", default=",".join(f"{t:g}" for t in THINK),
                        help="seconds a person waits between requests, LOW,HIGH (default %(default)s)")
    parser.add_argument("--url", action="append", default=[],
                        help="measure an already running server instead (loopback only; repeatable)")
    args = parser.parse_args()
    if not 1 <= args.users <= MAX_USERS or not 1 <= args.duration <= MAX_SECONDS:
        raise SystemExit(f"--users must be 1..{MAX_USERS} and --duration 1..{MAX_SECONDS} s")
    for url in args.url:
        host = httpx.URL(url).host
        if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
            raise SystemExit(f"{url}: the load test only targets loopback addresses")
    try:
        low, high = (float(t) for t in args.think.split(","))
    except ValueError:
        raise SystemExit("--think is two numbers of seconds, LOW,HIGH, e.g. 1,3") from None
    if not 0 <= low <= high <= 60:
        raise SystemExit("--think must be 0 <= LOW <= HIGH <= 60 seconds")
    THINK = (low, high)
    if not re.fullmatch(r"\d+(,\d+)*", args.servers):
        raise SystemExit("--servers is a list of counts, e.g. 1,2")
    usernames = [u for u in args.usernames.split(",") if u]
    print(f"Load test: {args.users} people for {args.duration:.0f} s per run, {low:g}-{high:g} s between clicks; "
          f"database "
          f"{os.environ.get('DATABASE_URL', 'sqlite (./var)').split('@')[-1]}; mix {MIX}")
    all_met = True
    if args.url:
        results, elapsed, failed = run_people(args.url, args.users, args.duration, usernames, args.password,
                                              args.seed)
        all_met = report(f"{len(args.url)} running server(s)", results, elapsed, failed, 0.0)
    for count in [int(c) for c in args.servers.split(",")] if not args.url else []:
        log_dir = ROOT / "var"
        log_dir.mkdir(exist_ok=True)
        servers = start_servers(count, args.base_port, args.workers, args.threads, log_dir)
        try:
            results, elapsed, failed = run_people([base for _p, base, _l in servers], args.users, args.duration,
                                                  usernames, args.password, args.seed)
            memory = sum(rss_mb(process.pid) for process, _b, _l in servers)
        finally:
            stop_servers(servers)
        all_met &= report(f"{count} serve process(es), {args.users} people", results, elapsed, failed, memory)
    print(f"\noverall: target {'met' if all_met else 'NOT met'}")


if __name__ == "__main__":
    main()
