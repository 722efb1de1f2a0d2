"""The user's own pages: their organisations, interface language, API tokens."""

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from secretariat.core import services, tokens
from secretariat.core.access import organisations_of
from secretariat.core.models import ApiToken, User
from secretariat.core.texts import language_name


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    organisations = list(organisations_of(request.user))
    if len(organisations) == 1:
        return redirect("dashboard", org=organisations[0].slug)
    return render(
        request,
        "core/home.html",
        {"organisations": organisations, "my_organisations": organisations},
    )


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; a logged-in user keeps it in their profile."""
    language = request.POST.get("language", "")
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    if language in dict(settings.LANGUAGES):
        translation.activate(language)
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
        if request.user.is_authenticated:
            services.user_update(user=cast(User, request.user), language=language)
    return response


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=gettext_lazy("Full name"), required=False, max_length=200)
    language = forms.ChoiceField(
        label=gettext_lazy("Interface language"),
        required=False,
        # Named in the page's language like every language list but the menu in the header.
        choices=lambda: [
            ("", gettext_lazy("As in my browser")),
            *((code, language_name(code)) for code, _name in settings.LANGUAGES),
        ],
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the new token"),
        max_length=100,
        help_text=gettext_lazy("For example the script or tool that will use it."),
    )


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = ProfileForm(
        request.POST if "save_profile" in request.POST else None,
        initial={"full_name": user.full_name, "language": user.language},
    )
    token_form = TokenForm(request.POST if "create_token" in request.POST else None)
    new_secret = None
    if request.method == "POST" and "save_profile" in request.POST and form.is_valid():
        services.user_update(
            user=user,
            full_name=form.cleaned_data["full_name"],
            language=form.cleaned_data["language"],
        )
        if user.language:
            translation.activate(user.language)
        messages.success(request, _("Your profile was saved."))
        response = redirect("profile")
        if user.language:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax")
        return response
    if request.method == "POST" and "create_token" in request.POST and token_form.is_valid():
        _token, new_secret = tokens.token_create(user=user, name=token_form.cleaned_data["name"])
        token_form = TokenForm()
    return render(
        request,
        "core/profile.html",
        {
            "form": form,
            "token_form": token_form,
            "tokens": ApiToken.objects.filter(user=user),
            "new_secret": new_secret,
            "my_organisations": organisations_of(user),
        },
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    tokens.token_revoke(token=token)
    messages.success(request, _("The token was revoked."))
    return redirect("profile")
