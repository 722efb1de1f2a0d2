from secretariat.network.models.partner import Partner, PartnerKind
from secretariat.network.models.person import (
    Affiliation,
    EmailAddress,
    LegalBasis,
    Person,
    Tag,
)

__all__ = ["Affiliation", "EmailAddress", "LegalBasis", "Partner", "PartnerKind", "Person", "Tag"]
