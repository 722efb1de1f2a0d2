"""The base of every organisation-scoped page: resolves the organisation and the user's roles
once per request, and checks the permission the view declares."""

from collections.abc import Iterable, Sequence
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View

from secretariat.core import permissions, two_factor
from secretariat.core.access import Access, access_for, organisations_of
from secretariat.core.models import Organisation, User
from secretariat.core.permissions import Perm


class OrgView(LoginRequiredMixin, View):
    permission: Perm = Perm.ORG_VIEW
    access: Access

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.access = access_for(cast(User, request.user), kwargs["org"])
        if two_factor.must_enrol(self.access):
            messages.warning(
                request,
                _(
                    "%(organisation)s requires two-factor authentication of its administrators "
                    "and staff. Please set up an authenticator app to continue."
                )
                % {"organisation": self.access.organisation.short_name},
            )
            return redirect("mfa_activate_totp")
        permissions.require(self.access, self.permission)
        return super().dispatch(request, *args, **kwargs)

    @property
    def organisation(self) -> Organisation:
        return self.access.organisation

    @property
    def user(self) -> User:
        return self.access.user

    def context(self, **extra: Any) -> dict[str, Any]:
        return {
            "organisation": self.access.organisation,
            "access": self.access,
            "perms_org": permissions.allowed(self.access),
            "my_organisations": organisations_of(self.user),
            **extra,
        }

    def can(self, perm: Perm, obj: Any = None) -> bool:
        return permissions.can(self.access, perm, obj)

    def require(self, perm: Perm, obj: Any = None) -> None:
        permissions.require(self.access, perm, obj)

    def confirmed(self) -> bool:
        """Whether a destructive form was confirmed (see ``confirm``)."""
        return self.request.POST.get("confirmed") == "yes"

    def confirm(
        self,
        *,
        question: str,
        consequences: Sequence[str],
        button: str,
        back: str,
        undoable: bool,
        previews: Sequence[dict[str, Any]] = (),
    ) -> HttpResponse:
        """A page that asks before a destructive action: it says what will happen, shows the
        messages that would go out, and posts the same form again, confirmed."""
        from django.shortcuts import render

        fields = [(k, v) for k, values in self.request.POST.lists() for v in values]
        return render(
            self.request,
            "core/confirm.html",
            self.context(
                question=question,
                consequences=consequences,
                button=button,
                back=back,
                undoable=undoable,
                previews=previews,
                fields=[(k, v) for k, v in fields if k not in ("csrfmiddlewaretoken", "confirmed")],
            ),
        )


PAGE_SIZE = 50


def paginate(request: HttpRequest, queryset: Any, per_page: int = PAGE_SIZE) -> Page:
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def attachment(content: bytes, name: str, content_type: str) -> HttpResponse:
    """A file to download under ``name`` (any characters, RFC 6266 encoded)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    return response


def table_download(
    columns: Sequence[str], rows: Iterable[Sequence[Any]], *, fmt: str, name: str, title: str
) -> HttpResponse:
    """A table as CSV (UTF-8 with BOM, for Excel) or XLSX, named ``name.<fmt>``."""
    from secretariat.core.tables import write_csv, write_xlsx

    if fmt == "csv":
        return attachment(write_csv(columns, rows), f"{name}.csv", "text/csv; charset=utf-8")
    return attachment(
        write_xlsx(columns, rows, title),
        f"{name}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"
