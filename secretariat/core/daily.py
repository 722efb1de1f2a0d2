"""The daily jobs: each app registers what must happen once a day (reminders, deadlines,
expiries) in its ``AppConfig.ready()``; ``secretariat daily`` runs them all, in a stable
order, for each organisation in turn inside its scope. Core knows none of them."""

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from secretariat.core.models import Organisation
from secretariat.core.scope import organisation_scope

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """What a job did: one line for the log, and what failed (one line each), which the job
    tries again on its next run."""

    summary: str
    failures: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Job:
    name: str  # unique, "<app>.<what>"; registering a name again replaces the job
    run: Callable[[], Outcome]
    order: int = 100  # lower first


JOBS: dict[str, Job] = {}


def register(job: Job) -> None:
    JOBS[job.name] = job


def jobs() -> list[Job]:
    return sorted(JOBS.values(), key=lambda j: (j.order, j.name))


def each_organisation() -> Iterator[Organisation]:
    """Every organisation in turn, each with its scope open while the caller works on it (the
    daily jobs)."""
    for organisation in list(Organisation.objects.order_by("pk")):
        with organisation_scope(organisation.pk):
            yield organisation


@dataclass(frozen=True)
class Report:
    job: Job
    outcome: Outcome | None  # None: the job stopped with an error (logged), the others ran
    organisation: str  # the short name of the organisation it ran for


def run_all() -> list[Report]:
    """Every job for every organisation, each inside that organisation's scope and on its own:
    one that stops with an error is logged and the others still run."""
    reports = []
    for organisation in each_organisation():
        for job in jobs():
            try:
                reports.append(Report(job, job.run(), organisation.short_name))
            except Exception:
                log.exception("daily job %s failed for %s", job.name, organisation.slug)
                reports.append(Report(job, None, organisation.short_name))
    return reports
