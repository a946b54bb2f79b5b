"""permanence worker [--batch] [--interval SECONDS]: run queued background jobs (SSDA903 imports …).

Production runs one or more of these beside `permanence serve` (docs/deploy.md); each takes one job at a time
from the database queue. It wraps django-tasks-db's db_worker (reload off, every queue)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run queued background jobs (SSDA903 imports, large exports, report files, comparisons) until stopped (SIGTERM finishes the job first)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then exit.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between looks at an empty queue.")
        parser.add_argument("--max-tasks", type=int, help="Exit after this many jobs (a supervisor restarts it).")

    def handle(self, *args, **o):
        from permanence.jobs.files import purge_expired
        from permanence.jobs.services import recover_stopped

        if stopped := recover_stopped():
            self.stderr.write(f"{stopped} job(s) left running by a process that stopped are now marked failed.")
        if deleted := purge_expired():
            self.stderr.write(f"{deleted} file(s) made by jobs had expired and were deleted.")
        extra = ["--max-tasks", str(o["max_tasks"])] if o["max_tasks"] else []
        call_command("db_worker", "--no-reload", "--queue-name", "*", "--interval", str(o["interval"]),
                     *(["--batch"] if o["batch"] else []), *extra, verbosity=o["verbosity"])
