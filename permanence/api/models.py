"""API tokens: a system signs in as a member of staff and carries exactly that person's access.

Only a SHA-256 digest of each token is stored; the token itself is shown once, when it is issued.
"""

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. 'Mosaic nightly sync'.")
    prefix = models.CharField(max_length=12, unique=True, help_text="The token's public first part, to find it.")
    digest = models.CharField(max_length=64, help_text="SHA-256 of the whole token.")
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Every token stops working at its expiry (settings.API_TOKEN_DAYS after issue unless asked otherwise).
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…) for {self.user}"

    @property
    def is_active(self) -> bool:
        from django.utils import timezone
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())
