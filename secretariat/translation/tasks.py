"""Background tasks: thin, they load by id and call a service."""

from django_tasks import task

from secretariat.core.scope import row_scope
from secretariat.translation.models import PretranslationRun


@task()
def pretranslate(run_id: int) -> dict[str, int]:
    from secretariat.translation.pretranslate import execute

    with row_scope(PretranslationRun, pk=run_id):
        run = execute(PretranslationRun.objects.select_related("organisation").get(pk=run_id))
    return {"done": run.done, "failed": run.failed, "pending": run.pending}
