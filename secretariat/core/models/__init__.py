from secretariat.core.models.audit import AuditAction, AuditEntry
from secretariat.core.models.mail import MailStatus, OutgoingMail
from secretariat.core.models.organisation import LegalForm, Organisation
from secretariat.core.models.owned import OrganisationOwned
from secretariat.core.models.roles import Role, RoleKind
from secretariat.core.models.texts import Origin, TextVersion, TranslatableField
from secretariat.core.models.tokens import ApiToken
from secretariat.core.models.user import User

__all__ = [
    "ApiToken",
    "AuditAction",
    "AuditEntry",
    "LegalForm",
    "MailStatus",
    "Organisation",
    "OrganisationOwned",
    "Origin",
    "OutgoingMail",
    "Role",
    "RoleKind",
    "TextVersion",
    "TranslatableField",
    "User",
]
