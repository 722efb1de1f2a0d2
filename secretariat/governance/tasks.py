"""Background tasks: thin, they load by id and call a service."""

from django_tasks import task

from secretariat.core.scope import row_scope
from secretariat.governance.convocation import deliver_pending
from secretariat.governance.models import Meeting


@task()
def send_meeting_mail(meeting_id: int) -> dict[str, int]:
    with row_scope(Meeting, pk=meeting_id):
        meeting = Meeting.objects.select_related("organisation", "body").get(pk=meeting_id)
        sent, failed = deliver_pending(meeting=meeting)
    return {"sent": sent, "failed": failed}


@task()
def send_procedure_mail(procedure_id: int, kind: str = "launch") -> dict[str, int]:
    from secretariat.governance.models import WrittenProcedure
    from secretariat.governance.written import deliver

    with row_scope(WrittenProcedure, pk=procedure_id):
        procedure = WrittenProcedure.objects.select_related("organisation", "body").get(
            pk=procedure_id
        )
        sent, failed = deliver(procedure=procedure, kind=kind)
    return {"sent": sent, "failed": failed}
