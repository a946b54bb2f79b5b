"""`permanence serve`: the production web server (gunicorn) on Permanence's WSGI application.

    permanence serve [--bind 127.0.0.1:8000] [--workers N] [--threads N] [--timeout S]

Each flag has an environment variable (PERMANENCE_BIND, PERMANENCE_WORKERS, PERMANENCE_THREADS,
PERMANENCE_TIMEOUT); a flag wins over the variable. Workers default to 2 × CPUs + 1 (gunicorn's advice).
Static files are served by WhiteNoise inside the application, as in the demo. The access log is the
application's own structured request log (permanence.core.logging: one JSON line per request), so gunicorn's
access log is off; gunicorn's error log goes to standard error. See docs/deploy.md.
"""

from __future__ import annotations

import ipaddress
import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

DEVELOPMENT_KEY = "permanence-insecure-development-key-change-me"  # noqa: S105 (the known default, refused)


def default_workers() -> int:
    return 2 * (os.cpu_count() or 1) + 1


def _positive(value, name: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise CommandError(f"{name} must be a whole number, not {value!r}") from None
    if number < 1:
        raise CommandError(f"{name} must be 1 or more, not {number}")
    return number


def is_loopback(bind: str) -> bool:
    if bind.startswith("unix:"):
        return True
    host = bind.rsplit(":", 1)[0] if ":" in bind else bind
    host = host.strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def gunicorn_options(*, bind: str, workers: int, threads: int, timeout: int) -> dict:
    return {
        "bind": [bind],
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        "timeout": timeout,
        "graceful_timeout": 30,
        "keepalive": 5,
        # Our request log (permanence.core.logging) is the access log: it knows the user and the request id.
        "accesslog": None,
        "errorlog": "-",
        "loglevel": os.environ.get("GUNICORN_LOG_LEVEL", "info"),
        # A proxy in front terminates TLS and sets X-Forwarded-Proto (settings: SECURE_PROXY_SSL_HEADER).
        "forwarded_allow_ips": os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
        "proc_name": "permanence",
        # gunicorn's control socket is one path per user: two `serve` processes on one machine would clash.
        "control_socket_disable": True,
        # A worker recycled now and then keeps memory from creeping up over weeks.
        "max_requests": 5000,
        "max_requests_jitter": 500,
    }


class Command(BaseCommand):
    help = "Serve Permanence with gunicorn (the production server; see docs/deploy.md)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=None,
                            help="address:port or unix:PATH (env PERMANENCE_BIND; default 127.0.0.1:8000)")
        parser.add_argument("--workers", default=None,
                            help="worker processes (env PERMANENCE_WORKERS; default 2 x CPUs + 1)")
        parser.add_argument("--threads", default=None,
                            help="threads per worker (env PERMANENCE_THREADS; default 1)")
        parser.add_argument("--timeout", default=None,
                            help="seconds before a silent worker is restarted (env PERMANENCE_TIMEOUT; default 120)")
        parser.add_argument("--check", action="store_true",
                            help="print the settings gunicorn would get and stop")

    def handle(self, *args, **options):
        bind = options["bind"] or os.environ.get("PERMANENCE_BIND") or "127.0.0.1:8000"
        workers = _positive(options["workers"] or os.environ.get("PERMANENCE_WORKERS") or default_workers(),
                            "--workers")
        threads = _positive(options["threads"] or os.environ.get("PERMANENCE_THREADS") or 1, "--threads")
        timeout = _positive(options["timeout"] or os.environ.get("PERMANENCE_TIMEOUT") or 120, "--timeout")
        if not is_loopback(bind) and not settings.DEBUG and settings.SECRET_KEY == DEVELOPMENT_KEY:
            raise CommandError(f"Set SECRET_KEY before serving on {bind}: the development key is public "
                               "(see docs/deploy.md).")
        gc_threshold()  # refused here, in one line, rather than in every worker
        config = gunicorn_options(bind=bind, workers=workers, threads=threads, timeout=timeout)
        if options["check"]:
            for key in sorted(config):
                self.stdout.write(f"{key} = {config[key]!r}")
            return
        run(config)


# The collector's thresholds in each worker (docs/performance.md, "Steady tails"): a young collection every 10,000
# net allocations rather than 700, and the full collection left to the rare occasions it is needed (Python also
# waits until a quarter more long-lived objects are pending), so no full collection lands in a request; workers
# are recycled every 5,000 requests or so (max_requests) anyway. PERMANENCE_GC_THRESHOLD=700,10,10 is Python's own.
GC_THRESHOLD = (10_000, 10, 1_000)


def gc_threshold() -> tuple[int, ...]:
    text = os.environ.get("PERMANENCE_GC_THRESHOLD", "").strip()
    if not text:
        return GC_THRESHOLD
    try:
        parts = tuple(int(part) for part in text.split(","))
    except ValueError:
        parts = ()
    if not 1 <= len(parts) <= 3 or any(part < 0 for part in parts):
        raise CommandError(f"PERMANENCE_GC_THRESHOLD must be one to three whole numbers, like 50000,20,20, "
                           f"not {text!r}.")
    return parts


def prepare_worker() -> None:
    """In each worker, once the application is loaded: import the URLconf (so the views are in memory before the
    first request), then move everything alive into the collector's permanent generation (`gc.freeze()`). A full
    collection then walks only what requests made, not the thousands of module-level objects, so it no longer
    sets the tail of the response times (issue 17); and set the collector's thresholds (GC_THRESHOLD, or
    PERMANENCE_GC_THRESHOLD="700,10,10"). PERMANENCE_GC_FREEZE=0 turns the freezing off, to measure."""
    import gc

    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module
    gc.set_threshold(*gc_threshold())
    if os.environ.get("PERMANENCE_GC_FREEZE", "1") != "0":
        gc.collect()
        gc.freeze()


def run(config: dict) -> None:
    from gunicorn.app.base import BaseApplication

    class Application(BaseApplication):
        def load_config(self):
            for key, value in config.items():
                self.cfg.set(key, value)

        def load(self):
            from permanence.wsgi import application

            prepare_worker()
            return application

    Application().run()
