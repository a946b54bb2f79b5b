"""The in-process runner for the demo: django-tasks-db's DatabaseBackend (jobs queue in the database, as in
production), plus a thread in the web process that runs what is queued, so `make demo` needs no worker.

Set PERMANENCE_JOBS=thread (the default without DATABASE_URL set to PostgreSQL; see settings.py). In production
(PERMANENCE_JOBS=worker) the plain DatabaseBackend queues and `permanence worker` processes run the jobs.
"""

from __future__ import annotations

import logging
import threading

from django.db import connections, transaction
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker

logger = logging.getLogger(__name__)


class InProcessBackend(DatabaseBackend):
    _lock = threading.Lock()
    _thread: threading.Thread | None = None
    _pending = False

    def enqueue(self, task, args, kwargs):
        result = super().enqueue(task, args, kwargs)
        transaction.on_commit(self._wake, robust=True)
        return result

    def _wake(self) -> None:
        with InProcessBackend._lock:
            InProcessBackend._pending = True
            if InProcessBackend._thread is None or not InProcessBackend._thread.is_alive():
                InProcessBackend._thread = threading.Thread(target=self._drain, name="permanence-jobs", daemon=True)
                InProcessBackend._thread.start()

    def _drain(self) -> None:
        try:
            while True:
                with InProcessBackend._lock:
                    if not InProcessBackend._pending:
                        InProcessBackend._thread = None
                        return
                    InProcessBackend._pending = False
                Worker(queue_names=["*"], interval=0, batch=True, backend_name=self.alias, startup_delay=False,
                       max_tasks=None, worker_id="in-process", excluded_queue_names=[]).run()
        except Exception:  # noqa: BLE001 - a runner thread must not die silently
            logger.exception("the in-process job runner stopped")
            with InProcessBackend._lock:
                InProcessBackend._thread = None
        finally:
            connections.close_all()
