"""permanence family-finding child REF [--on DATE] [--inter-agency] | household REF [--on DATE]

The matching engine run now on the records (family_finding.rankings, nothing saved), printed as the explanation a
shortlist saves (matching.explanation): JSON with `ranked` (best first, each factor's points and why) and
`excluded` (every rule that left each one out).
"""

import json
import re
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from permanence.adopters.models import Household
from permanence.children.models import Child
from permanence.family_finding import rankings, services

REFERENCE = re.compile(r"^(?P<letter>[A-Za-z]?)(?P<id>\d{1,18})$")


def _record(model, letter: str, text: str):
    """A record by its reference (P000123, H000045) or its id; the child's LA child ID too."""
    match = REFERENCE.match(text.strip())
    if match and match["letter"].upper() in ("", letter):
        found = model.objects.filter(pk=int(match["id"])).first()
        if found is not None:
            return found
    if model is Child:
        found = list(Child.objects.filter(la_child_id=text.strip())[:2])
        if len(found) == 1:
            return found[0]
    what = "child" if model is Child else "household"
    raise CommandError(f"No {what} has the reference or id {text!r}.")


def _date(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"The date must be YYYY-MM-DD, not {text!r}.") from None
    if day > services.today():
        raise CommandError("The date cannot be in the future.")
    if day < date(2000, 1, 1):
        raise CommandError("The date must be on or after 1 January 2000.")
    return day


class Command(BaseCommand):
    help = ("Rank the households for a child, or the waiting children for a household, now (nothing is saved), "
            "and print the ranked and the excluded with why as JSON.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subject", required=True)
        child = sub.add_parser("child", help="The approved households for a child (its sibling group when placed "
                                             "together).")
        child.add_argument("reference", help="The child's reference (P000123), id or LA child ID.")
        child.add_argument("--on", help="The date to rank on (YYYY-MM-DD; default today).")
        child.add_argument("--inter-agency", action="store_true", help="Include other agencies' households.")
        household = sub.add_parser("household", help="The RAA's waiting children for a household.")
        household.add_argument("reference", help="The household's reference (H000045) or id.")
        household.add_argument("--on", help="The date to rank on (YYYY-MM-DD; default today).")

    def handle(self, *args, subject, reference, on=None, inter_agency=False, **options):
        day = _date(on) if on else services.today()
        if subject == "child":
            child = _record(Child, "P", reference)
            if child.la.raa is None:
                raise CommandError(f"{child.reference}'s LA is not in an RAA: there is no pool to rank.")
            run = rankings.households_for_child(child, day, include_inter_agency=inter_agency)
        else:
            run = rankings.children_for_household(_record(Household, "H", reference), day)
        self.stdout.write(json.dumps(run.explanation(), indent=2))
