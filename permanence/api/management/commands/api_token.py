"""permanence api-token USERNAME [--name WHAT] [--days N] | --list | --revoke PREFIX"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from permanence.api import services
from permanence.api.models import ApiToken
from permanence.organisations.models import Staff


class Command(BaseCommand):
    help = ("Issue an API token for a member of staff (it carries exactly their access), list their tokens, "
            "or revoke one. The token is printed once and never stored.")

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="API access", help="What the token is for.")
        parser.add_argument("--days", type=int, default=None,
                            help="How many days the token works (default: API_TOKEN_DAYS, 90; at most 365).")
        parser.add_argument("--list", action="store_true", help="List this person's tokens.")
        parser.add_argument("--revoke", metavar="PREFIX", help="Revoke the token with this prefix.")

    def handle(self, *args, username, name, days, list, revoke, **options):  # noqa: A002
        try:
            user = Staff.objects.get(username=username)
        except Staff.DoesNotExist:
            raise CommandError(f"No member of staff is called {username!r}.") from None
        if list:
            for t in ApiToken.objects.filter(user=user):
                if t.revoked_at:
                    state = f"revoked {t.revoked_at:%d/%m/%Y}"
                elif t.expires_at and not t.is_active:
                    state = f"expired {t.expires_at:%d/%m/%Y}"
                else:
                    state = f"active until {t.expires_at:%d/%m/%Y}" if t.expires_at else "active"
                used = f"last used {t.last_used_at:%d/%m/%Y %H:%M}" if t.last_used_at else "never used"
                self.stdout.write(f"{t.prefix}  {t.name}  issued {t.created_at:%d/%m/%Y}  {used}  {state}")
            return
        if revoke:
            token = ApiToken.objects.filter(user=user, prefix=revoke).first()
            if token is None:
                raise CommandError(f"{username} has no token with prefix {revoke!r}.")
            services.revoke_token(actor=None, token=token, reason="Revoked from the command line")
            self.stdout.write(f"Revoked {token.prefix} ({token.name}).")
            return
        try:
            token, raw = services.issue_token(actor=None, user=user, name=name, days=days)
        except ValidationError as err:
            raise CommandError(" ".join(err.messages)) from None
        self.stderr.write(f"Token {token.prefix} for {user} ({user.get_role_display()}, {user.organisation}), "
                          f"working until {token.expires_at:%d/%m/%Y}. Keep it secret: it is shown only this once.")
        self.stdout.write(raw)
