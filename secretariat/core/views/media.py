"""Organisation logos, streamed from the storage (a folder or a bucket) by the platform."""

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest

from secretariat.core.models import Organisation
from secretariat.core.models.organisation import LOGOS


def logo(request: HttpRequest, path: str) -> FileResponse:
    """An organisation's current logo, to anyone (it is shown on every page, the login page
    included). Only a file that is some organisation's logo is served: never another upload,
    an old logo or a name made up to climb out of the folder."""
    name = LOGOS + path
    if not Organisation.objects.filter(logo=name).exists():
        raise Http404
    try:
        file = default_storage.open(name, "rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return FileResponse(file, content_type="image/png")
