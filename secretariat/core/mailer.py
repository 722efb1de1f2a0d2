"""The mailer: the one loop that sends the platform's messages, whoever queued them.

A sender (convocations, written procedures, reminders; tomorrow newsletters and event
invitations) keeps one row per message and recipient in a table of its own, derived from
``core.models.OutgoingMail`` (status, address, attempts, error, tried_at, sent_at), created by
the service that decides to send, under a unique constraint that queues it once. It hands the
mailer those rows and a function that renders one row's message (inside
``core.reader.reading``, in the recipient's language); the mailer sends them:

- through one SMTP connection for the whole run (reopened only when a failure closed it);
- each row claimed before it is sent (``sending``: another run leaves it alone) and marked
  ``sent`` or ``failed`` (with the error) right after, in the transaction that claims the next
  row (one write per message: the embedded database has a single writer), so that a rerun —
  after a crash, a lost connection — or a second worker running the same queue sends what is
  missing and nothing twice;
- failed rows are tried again by the next run, up to ``MAX_ATTEMPTS``; ``requeue_failed``
  queues them again whatever their attempts (a person's "retry", through the sender's audited
  service).

What it cannot know: whether a message whose run died during the SMTP dialogue went out. Its
row stays ``sending``; after ``STALE_AFTER`` the next run sends it (once more, if the server had
accepted it in that instant). A run stopped before the dialogue (a worker shut down while
rendering) gives the row back at once. The loop must not run inside an open transaction: its
claims would not be seen by another worker, and SQLite's write lock would be held through the
SMTP dialogue."""

import contextlib
import datetime
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.core import mail
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from secretariat.core.models import MailStatus, OutgoingMail

log = logging.getLogger(__name__)

# Runs that try a failed message again on their own; past them it waits for a person's retry.
MAX_ATTEMPTS = 5
BATCH = 200
# A row stays ``sending`` while one run sends it; longer than this, the run died (the SMTP
# dialogue of one message is bounded by EMAIL_TIMEOUT per command) and the next run takes it.
STALE_AFTER = datetime.timedelta(minutes=15)

Record = TypeVar("Record", bound=OutgoingMail)


@dataclass(frozen=True)
class Failure:
    record: Any
    error: str

    def __str__(self) -> str:
        return f"<{self.record.address}>: {self.error}"


@dataclass
class Sending:
    """What one run did: messages sent, messages that failed, and each failure (its row and
    error) for the logs and the daily report."""

    sent: int = 0
    failed: int = 0
    failures: list[Failure] = field(default_factory=list)


def compose(
    *,
    subject: str,
    text: str,
    to: str,
    language: str,
    html: str | None = None,
    attachments: Sequence[tuple[str, bytes | str, str]] = (),
) -> EmailMultiAlternatives:
    """A message as the platform sends it: from ``DEFAULT_FROM_EMAIL`` to one recipient, its
    language declared (``Content-Language``) and marked automatic (``Auto-Submitted``, so that
    out-of-office replies stay away), plain text with an optional HTML alternative and
    attachments (name, content, MIME type: an iCalendar invitation, a document)."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"Content-Language": language, "Auto-Submitted": "auto-generated"},
    )
    if html is not None:
        message.attach_alternative(html, "text/html")
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    return message


def pending(records: QuerySet[Record]) -> QuerySet[Record]:
    """The rows a run sends: queued; failed fewer than ``MAX_ATTEMPTS`` times; or left
    ``sending`` for longer than ``STALE_AFTER`` by a run that died."""
    return records.filter(
        Q(status=MailStatus.QUEUED)
        | Q(status=MailStatus.FAILED, attempts__lt=MAX_ATTEMPTS)
        | Q(status=MailStatus.SENDING, tried_at__lt=timezone.now() - STALE_AFTER)
    )


def requeue_failed(*, records: QuerySet[Record]) -> int:
    """Queue the failed rows again, whatever their attempts; returns how many. Called by a
    sender's retry service, which audits it and starts a run."""
    return records.filter(status=MailStatus.FAILED).update(
        status=MailStatus.QUEUED, queued_at=timezone.now()
    )


def _rows(record: OutgoingMail) -> QuerySet[Any]:
    # The base manager: the caller's query chose the row, within its organisation.
    return type(record)._base_manager.filter(pk=record.pk)


def _claim(record: OutgoingMail) -> str | None:
    """Take the row for this run, marked ``sending``, only if it is as it was read: nobody sent
    it or took it since. Returns the status it had (None: not taken)."""
    before = record.status
    now = timezone.now()
    taken = (
        _rows(record)
        .filter(status=before, attempts=record.attempts)
        .update(status=MailStatus.SENDING, attempts=F("attempts") + 1, tried_at=now)
    )
    if not taken:
        return None
    record.status, record.attempts, record.tried_at = MailStatus.SENDING, record.attempts + 1, now
    return before


def _release(record: OutgoingMail, before: str) -> None:
    """Give the row back as it was: the run stopped before anything went out."""
    _rows(record).filter(status=MailStatus.SENDING).update(
        status=before, attempts=F("attempts") - 1
    )


def _closed(connection: Any) -> bool:
    """Whether a failure left the connection unusable. After a refusal (550, a bad address)
    smtplib resets the dialogue and the connection serves the next message; after a 421 or a
    lost connection smtplib has closed its socket. Backends without a connection (files,
    memory) have nothing to lose."""
    if not hasattr(connection, "connection"):
        return False
    smtp = connection.connection
    return smtp is None or getattr(smtp, "sock", None) is None


@dataclass
class _Outcome:
    """How a message ended, not yet written: it is written with the claim of the next one."""

    record: Any
    status: str
    error: str = ""
    hook: Callable[[Any], None] | None = None


def _write(outcome: _Outcome) -> None:
    record = outcome.record
    record.status, record.error = outcome.status, outcome.error
    fields: dict[str, Any] = {"status": outcome.status, "error": outcome.error}
    if outcome.status == MailStatus.SENT:
        record.sent_at = fields["sent_at"] = timezone.now()
    _rows(record).update(**fields)
    if outcome.hook is not None:
        outcome.hook(record)


def _settle(outcome: _Outcome | None, then_claim: OutgoingMail | None = None) -> str | None:
    """Write how the last message ended and claim the next row, in one transaction: one write
    per message, as few as the embedded database's single writer allows."""
    with transaction.atomic():
        if outcome is not None:
            _write(outcome)
        return _claim(then_claim) if then_claim is not None else None


def mail_send(
    *,
    records: QuerySet[Record],
    render: Callable[[Record], EmailMessage],
    on_sent: Callable[[Record], None] | None = None,
    on_failed: Callable[[Record], None] | None = None,
    batch: int = BATCH,
) -> Sending:
    """Send the pending rows of ``records`` (see ``pending``), each rendered by ``render``,
    through one connection; each row ends ``sent`` or ``failed`` with its error. ``on_sent``
    and ``on_failed`` run in the transaction that records a row's end, for what the sender
    keeps besides (when a member was reached). Returns the counts and the failures."""
    done = Sending()
    ids = list(pending(records).order_by("pk").values_list("pk", flat=True))
    connection: Any = None
    ended: _Outcome | None = None  # the last message's end, written with the next claim

    def failed(record: Record, error: Exception) -> _Outcome:
        log.warning(
            "%s %s to %s failed: %s", type(record).__name__, record.pk, record.address, error
        )
        done.failed += 1
        done.failures.append(Failure(record, str(error)))
        return _Outcome(
            record, MailStatus.FAILED, f"{type(error).__name__}: {error}"[:1000], on_failed
        )

    try:
        for start in range(0, len(ids), batch):
            rows = pending(records).filter(pk__in=ids[start : start + batch]).order_by("pk")
            for record in rows:
                before = _settle(ended, then_claim=record)
                ended = None
                if before is None:
                    continue  # sent, or being sent by another run, since it was listed
                try:
                    message = render(record)
                except Exception as error:  # a template or data error: this row only
                    ended = failed(record, error)
                    continue
                except BaseException:  # stopped (a worker shut down): nothing went out
                    _release(record, before)
                    raise
                try:
                    if connection is None:
                        connection = mail.get_connection()
                        connection.open()
                    message.connection = connection
                    if not message.send():
                        raise ValueError("the message has no recipient")
                except Exception as error:  # refusals, lost connections, timeouts
                    ended = failed(record, error)
                    if _closed(connection):
                        with contextlib.suppress(Exception):  # closing a dead connection
                            connection.close()
                        connection = None
                    continue
                ended = _Outcome(record, MailStatus.SENT, hook=on_sent)
                done.sent += 1
    finally:
        try:
            if ended is not None:
                _settle(ended)
        finally:
            if connection is not None:
                with contextlib.suppress(Exception):
                    connection.close()
    return done
