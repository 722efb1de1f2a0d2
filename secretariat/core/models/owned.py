from django.db import models

from secretariat.core.scope import OrganisationManager


class OrganisationOwned(models.Model):
    """A row that belongs to one organisation and is read only inside its scope."""

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="+"
    )

    objects = OrganisationManager()

    class Meta:
        abstract = True
