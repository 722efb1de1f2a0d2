"""Tasks queued before they moved beside the services that queue them (issue 10) name these
paths in the database queue; the worker still finds them here."""

from secretariat.governance.convocation import send_meeting_mail
from secretariat.governance.written import send_procedure_mail

__all__ = ["send_meeting_mail", "send_procedure_mail"]
