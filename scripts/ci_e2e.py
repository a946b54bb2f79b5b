# ruff: noqa: S310, S603 - a test script: it opens only http://127.0.0.1 and runs only our own commands
"""End to end, as production runs: `permanence serve` and `permanence worker` against a fresh PostgreSQL database,
one SSDA903 import uploaded through the page by a signed-in user, run by the worker through the queue.

    .venv/bin/python scripts/ci_e2e.py        # E2E_DATABASE_URL=postgres://postgres@127.0.0.1:5432/permanence_e2e
    .venv/bin/python scripts/ci_e2e.py --in-process   # the demo's way: SQLite, no worker, jobs run in `serve`

Everything is on 127.0.0.1; the database is dropped and made again; both processes are stopped at the end
(whatever happens). Bounded: 60 s for the job, 30 s for the server to answer. Exits non-zero on any failure.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DATABASE_URL = os.environ.get("E2E_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/permanence_e2e")
PASSWORD = secrets.token_urlsafe(12)
JOB_SECONDS = 60
TODAY = date(2026, 3, 15)


T0 = time.monotonic()


def say(text: str) -> None:
    print(f"e2e [{time.monotonic() - T0:5.1f} s]: {text}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fresh_database() -> None:
    import psycopg

    parts = urllib.parse.urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise SystemExit(f"unexpected database name {name!r}")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def synthetic_files() -> list[tuple[str, bytes]]:
    """A few synthetic children's 903 tables for one collection year (no real person)."""
    sys.path.insert(0, str(ROOT))
    from permanence.demo.journeys import generate
    from permanence.demo.ssda903_files import record_of
    from permanence.interchange.ssda903 import writer

    records = [record_of(k) for k in generate(7, TODAY, [("201", 12)])]
    tables = writer.tables_for_year(records, 2025, today=TODAY)
    return [(f"201_2024-25_{t}.csv", writer.to_csv(t, rows)) for t, rows in tables.items()]


class Browser:
    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, str, str]:
        with self.opener.open(self.base + path, timeout=30) as r:
            return r.status, r.geturl(), r.read().decode()

    def post(self, path: str, body: bytes, content_type: str) -> tuple[int, str, str]:
        req = urllib.request.Request(self.base + path, data=body, method="POST", headers={
            "Content-Type": content_type, "Referer": self.base + path})
        with self.opener.open(req, timeout=60) as r:
            return r.status, r.geturl(), r.read().decode()

    def csrf(self, page: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def multipart(fields: list[tuple[str, str]], files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    boundary = "----e2e" + secrets.token_hex(8)
    out = b""
    for name, value in fields:
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").encode()
    for name, filename, data in files:
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\n"
                "Content-Type: text/csv\r\n\r\n").encode() + data + b"\r\n"
    return out + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def main() -> int:
    started = time.monotonic()
    in_process = "--in-process" in sys.argv
    database_url = DATABASE_URL
    if in_process:
        db = ROOT / "var" / "e2e.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        database_url = f"sqlite:///{db}"
    env = {**os.environ, "DATABASE_URL": database_url, "PERMANENCE_JOBS": "thread" if in_process else "worker",
           "SECRET_KEY": secrets.token_urlsafe(40), "DEBUG": "False", "PERMANENCE_HOME": str(ROOT)}
    permanence = str(BIN / "permanence")
    say(f"fresh database {database_url.rsplit('@', 1)[-1]}")
    if not in_process:
        fresh_database()
    subprocess.run([permanence, "migrate", "--noinput", "-v", "0"], env=env, check=True)
    say("migrated")
    # The organisations: a small synthetic structure; its RAA team manager may import for its LAs.
    setup = ("from permanence.demo.national import national_structure; "
             "from permanence.organisations.loader import load_structure; "
             f"load_structure(national_structure(2026, las=2, raas=1, exclude_codes=set(), password={PASSWORD!r}))")
    subprocess.run([permanence, "shell", "-c", setup], env=env, check=True, stdout=subprocess.DEVNULL)
    say("organisations loaded")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    logs = {name: open(ROOT / "var" / f"e2e-{name}.log", "w") for name in ("serve", "worker")}  # noqa: SIM115
    procs = {
        "serve": subprocess.Popen([permanence, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"], env=env,
                                  stdout=logs["serve"], stderr=subprocess.STDOUT),
    }
    if not in_process:
        procs["worker"] = subprocess.Popen([permanence, "worker", "--interval", "0.5"], env=env,
                                           stdout=logs["worker"], stderr=subprocess.STDOUT)
    try:
        browser = Browser(base)
        deadline = time.monotonic() + 30
        while True:
            try:
                status, _, body = browser.get("/healthz")
                if status == 200:
                    break
            except (urllib.error.URLError, ConnectionError):
                pass
            if time.monotonic() > deadline or any(p.poll() is not None for p in procs.values()):
                raise SystemExit("the server did not answer /healthz within 30 s")
            time.sleep(0.3)
        say(f"serve answers on {base}: {body.strip()[:120]}")
        _, _, page = browser.get("/sign-in/")
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": browser.csrf(page), "username": "tm.r01",
                                       "password": PASSWORD}).encode()
        _, url, _ = browser.post("/sign-in/", body, "application/x-www-form-urlencoded")
        if "/sign-in/" in url:
            raise SystemExit("signing in failed")
        _, _, page = browser.get("/ssda903/")
        la = re.search(r'<option value="(\d+)"[^>]*>', page).group(1)
        files = synthetic_files()
        body, ctype = multipart([("csrfmiddlewaretoken", browser.csrf(page)), ("la", la)],
                                [("files", n, c) for n, c in files])
        _, url, page = browser.post("/ssda903/", body, ctype)
        match = re.search(r"/ssda903/jobs/(\d+)/", url)
        if not match:
            raise SystemExit(f"the upload did not lead to a job page (it went to {url})")
        job = match.group(1)
        say(f"uploaded {len(files)} files: job {job} queued; waiting for the worker")
        deadline = time.monotonic() + JOB_SECONDS
        seen = []
        while True:
            _, _, text = browser.get(f"/ssda903/jobs/{job}/progress/")
            state = json.loads(text)
            if not seen or seen[-1] != (state["state"], state["stage"]):
                seen.append((state["state"], state["stage"]))
                say(f"  {state['state']}: {state['stage']} ({state['percent']}%)")
            if state["finished"]:
                break
            if time.monotonic() > deadline:
                raise SystemExit(f"the job did not finish within {JOB_SECONDS} s")
            time.sleep(0.5)
        if state["state"] != "succeeded":
            raise SystemExit(f"the job failed: {state['error']}")
        _, url, page = browser.get(f"/ssda903/jobs/{job}/")
        if "SSDA903 import: Imported" not in page or "/ssda903/imports/" not in url:
            raise SystemExit(f"the job's page did not lead to the imported result ({url})")
        added = re.search(r"Children added</dt><dd class=\"govuk-summary-list__value\">(\d+)", page)
        if not added or int(added.group(1)) == 0:
            raise SystemExit("the result page shows no children added")
        say(f"job {job} succeeded through {'the web process' if in_process else 'the worker'}: {added.group(1)} children added; result page {url}")
    finally:
        for name, p in procs.items():
            if p.poll() is None:  # gunicorn: SIGINT is its quick stop; the worker finishes its job on SIGTERM
                p.send_signal(signal.SIGINT if name == "serve" else signal.SIGTERM)
        for p in procs.values():
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        for f in logs.values():
            f.close()
    say(f"passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except SystemExit as stop:
        if stop.code not in (0, None):
            print(f"e2e: FAILED: {stop.code}", file=sys.stderr)
            for name in ("serve", "worker"):
                log = ROOT / "var" / f"e2e-{name}.log"
                if log.exists():
                    print(f"--- last lines of {name}'s log ---", file=sys.stderr)
                    print("\n".join(log.read_text().splitlines()[-30:]), file=sys.stderr)
            sys.exit(1)
        raise
