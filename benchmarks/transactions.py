"""How long write transactions hold the database: SQLite has one writer at a time, so the
longest transaction of an import is how long the task worker or a web request may wait."""

import time
from typing import Any


class TransactionClock:
    """Times every transaction of Django's default connection, from its start (the outermost
    ``atomic`` leaving autocommit, which on SQLite is ``BEGIN IMMEDIATE``: the write lock) to
    its commit or rollback, in this thread."""

    def __init__(self) -> None:
        from django.db import connection

        self.longest = 0.0
        self.count = 0
        self._began = 0.0
        connection.ensure_connection()
        set_autocommit = connection.set_autocommit

        def begin(autocommit: bool, *args: Any, **kwargs: Any) -> Any:
            if not autocommit:
                self._began = time.perf_counter()
            return set_autocommit(autocommit, *args, **kwargs)

        connection.set_autocommit = begin  # type: ignore[method-assign]
        connection._commit = self._ended(connection._commit)  # type: ignore[method-assign]
        connection._rollback = self._ended(connection._rollback)  # type: ignore[method-assign]

    def _ended(self, method: Any) -> Any:
        def end() -> Any:
            result = method()
            if self._began:
                self.longest = max(self.longest, time.perf_counter() - self._began)
                self.count += 1
                self._began = 0.0
            return result

        return end
