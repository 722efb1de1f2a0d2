from secretariat.network.models.partner import Partner, PartnerIdentifier, PartnerKind
from secretariat.network.models.person import (
    Affiliation,
    EmailAddress,
    LegalBasis,
    Person,
    Tag,
)

__all__ = [
    "Affiliation",
    "EmailAddress",
    "LegalBasis",
    "Partner",
    "PartnerIdentifier",
    "PartnerKind",
    "Person",
    "Tag",
]
