from secretariat.governance.models.body import (
    Body,
    BodyKind,
    BodyRules,
    Membership,
    MembershipRole,
    Presidency,
)
from secretariat.governance.models.convocation import (
    Delivery,
    DeliveryKind,
    DeliveryStatus,
    Invitation,
)
from secretariat.governance.models.meeting import (
    AgendaDocument,
    AgendaItem,
    DocumentFile,
    ItemKind,
    Meeting,
    MeetingMode,
    MeetingState,
)

__all__ = [
    "AgendaDocument",
    "AgendaItem",
    "Body",
    "BodyKind",
    "BodyRules",
    "Delivery",
    "DeliveryKind",
    "DeliveryStatus",
    "DocumentFile",
    "Invitation",
    "ItemKind",
    "Meeting",
    "MeetingMode",
    "MeetingState",
    "Membership",
    "MembershipRole",
    "Presidency",
]
