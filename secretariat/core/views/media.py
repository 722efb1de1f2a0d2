from pathlib import Path

from django.conf import settings
from django.http import FileResponse, HttpRequest
from django.views.static import serve


def logo(request: HttpRequest, path: str) -> FileResponse:
    """Organisation logos are public; other uploads will get views that check permissions."""
    return serve(request, path, document_root=str(Path(settings.MEDIA_ROOT) / "logos"))
