"""API tokens: created from the profile page or ``secretariat createtoken``; the secret is
shown once and only its digest is stored."""

import secrets

from django.utils import timezone

from secretariat.core.models import ApiToken, User

PREFIX = "sec_"


def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=secret[:10], digest=ApiToken.digest_of(secret)
    )
    return token, secret


def token_revoke(*, token: ApiToken) -> None:
    token.delete()


def user_for_token(secret: str) -> User | None:
    if not secret.startswith(PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.digest_of(secret), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
