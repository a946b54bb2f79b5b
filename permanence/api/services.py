"""Issuing and revoking API tokens (audited, like every write)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from permanence import access
from permanence.api.models import ApiToken
from permanence.core import audit

TOKEN_PREFIX = "pmn"  # noqa: S105 (the public marker that starts every token, not a secret)


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def split(raw: str) -> str | None:
    """The lookup prefix of a well-formed token, else None."""
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or len(parts[1]) != 12 or not parts[2]:
        return None
    return parts[1]


@transaction.atomic
def issue_token(*, actor, user, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """A new token for `user`, working for `days` (settings.API_TOKEN_DAYS unless given, at most
    API_TOKEN_MAX_DAYS); returns the row and the token text (shown once, never stored)."""
    days = settings.API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise ValidationError({"days": f"A token can last from 1 to {settings.API_TOKEN_MAX_DAYS} days."})
    if not access.can_use_api(user):
        raise ValidationError("Tokens can only be issued to active staff who belong to an organisation.")
    if not name.strip():
        raise ValidationError({"name": "Say what the token is for."})
    prefix = secrets.token_hex(6)
    raw = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    now = timezone.now()
    token = ApiToken.objects.create(user=user, name=name.strip()[:100], prefix=prefix, digest=digest(raw),
                                    created_at=now, created_by=actor, expires_at=now + timedelta(days=days))
    audit.record_change(actor=actor, action="api_token.issued", instance=token,
                        after={"user": user.pk, "name": token.name, "prefix": prefix,
                               "expires_at": token.expires_at})
    return token, raw


@transaction.atomic
def revoke_token(*, actor, token: ApiToken, reason: str = "") -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record_change(actor=actor, action="api_token.revoked", instance=token,
                            after={"prefix": token.prefix}, reason=reason)
    return token


def find_active(raw: str) -> ApiToken | None:
    prefix = split(raw)
    if prefix is None:
        return None
    token = ApiToken.objects.select_related("user", "user__organisation").filter(
        prefix=prefix, revoked_at__isnull=True, expires_at__gt=timezone.now()).first()
    if token is None or not hmac.compare_digest(token.digest, digest(raw)):
        return None
    return token
