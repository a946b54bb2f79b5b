import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db.models import ProtectedError
from django.utils import timezone

from permanence.adopters import services as household_services
from permanence.demo import (
    DEMO_PASSWORD,
    DEMO_STRUCTURE,
    adopted_adults,
    households_load,
    journeys,
    links,
    links_load,
    load,
    support,
    surgeries,
)
from permanence.demo import contact as demo_contact
from permanence.organisations.loader import StructureError, load_structure, read_file
from permanence.organisations.models import Organisation, Role, Staff
from permanence.performance import rules as performance_rules
from permanence.performance import services as performance_services
from permanence.performance.models import DailyCostOfCare, NationalFigure

ASPIRE_SHARE = 0.15  # Aspire Adoption gets this many children for every Adoption West child
ASPIRE_HOUSEHOLDS = 12
ENQUIRIES_PER_HOUSEHOLD = 2
# For the cost calculator: an illustrative figure, not a real one (there is no published cost of a day in care).
DEMO_DAILY_COST = ("100.00", date(2000, 4, 1), "Synthetic illustrative figure for the demo only: not a published "
                   "or real cost of care. Add your service's own figure on the daily cost of care page.")


# For the comparisons: illustrative England figures, not published ones, for the last five financial years (A2, A1,
# A10 days), so the demo's England column has something to show. Real figures are loaded from published sources with
# `permanence national-figures load`.
DEMO_ENGLAND = {"A2": (215, -6), "A1": (470, -8), "A10": (430, -7)}  # first year's value, change a year
DEMO_ENGLAND_SOURCE = ("Synthetic illustrative figure for the demo only: illustrative, not published figures. Load "
                       "published England figures with `permanence national-figures load`.")


def demo_england_csv(today: date) -> str:
    lines = ["measure,period,value,source"]
    for measure, (first, step) in DEMO_ENGLAND.items():
        for i, period in enumerate(performance_rules.complete_financial_years(today, 5)):
            lines.append(f'{measure},{performance_rules.national_period_text(period)},{first + i * step},'
                         f'"{DEMO_ENGLAND_SOURCE}"')
    return "\n".join(lines) + "\n"


def parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today must be a date as YYYY-MM-DD, not {value!r}.") from None


def spread(codes: list[str], total: int) -> list[tuple[str, int]]:
    return [(c, total // len(codes) + (1 if i < total % len(codes) else 0)) for i, c in enumerate(codes)]


class Command(BaseCommand):
    help = ("Load the demo region (Adoption West and Aspire Adoption, permanence/demo/adoption-west.yaml) and "
            "synthetic children at every stage of the journey. Same --seed and --today give the same data.")

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument("--children", type=int, default=400, help="Children for Adoption West (default 400); "
                            "Aspire Adoption gets 15%% as many.")
        parser.add_argument("--households", type=int, default=60,
                            help="Adopter households for Adoption West (default 60, twice as many enquiries); "
                                 "Aspire Adoption gets a few.")
        parser.add_argument("--today", help="The date the journeys run up to, YYYY-MM-DD (default: today).")
        parser.add_argument("--reset", action="store_true",
                            help="Delete the existing demo children (every child with demo events) first.")

    def handle(self, *args, **options):
        started = time.perf_counter()
        today = parse_day(options["today"]) if options["today"] else timezone.localdate()
        if options["children"] < 1:
            raise CommandError("--children must be at least 1.")
        if options["households"] < 0:
            raise CommandError("--households cannot be negative.")
        if load.has_demo_children() or households_load.has_demo_households():
            if not options["reset"]:
                raise CommandError(
                    "This database already has demo children or households. Run `permanence demo --reset` to delete them and "
                    "load the demo again, or point PERMANENCE_HOME or DATABASE_URL at an empty database.")
            try:
                from permanence.demo import audits as demo_audits  # case-file audits (issue 13)
                demo_audits.delete_demo()
                from permanence.demo import disruptions as demo_disruptions  # learning reviews (issue 13)
                demo_disruptions.delete_demo_reviews()
                from permanence.demo import complaints as demo_complaints  # complaints, feedback (issue 13)
                demo_complaints.delete_demo()
                from permanence.demo import support_fund  # plans and fund applications first (issue 12)
                support_fund.delete_demo()
                from permanence.demo import blueprint as demo_blueprint  # blueprint reviews (issue 13)
                demo_blueprint.delete_demo()
                adopted_adults.delete_demo_requests()
                surgeries.delete_demo_surgery_actions()
                support.delete_demo_cases()
                demo_contact.delete_demo_contact(load.demo_children())
                links_load.delete_demo_links()
                deleted_households = households_load.delete_demo_households()
                deleted = load.delete_demo_children()
            except ProtectedError:
                raise CommandError(
                    "The demo children cannot be deleted: records made since the demo was loaded point at them. "
                    "Start from an empty database instead (delete the SQLite file, then `permanence migrate`).") \
                    from None
            self.stdout.write(f"Deleted {deleted} demo children and {deleted_households} demo households.")
        try:
            structure = read_file(DEMO_STRUCTURE)
            counts = load_structure(structure)
        except StructureError as err:
            raise CommandError("The demo structure could not be loaded:\n  " + "\n  ".join(err.problems)) from None
        self.stdout.write("Structure: {organisations} organisations, {teams} teams, {policies} policies, "
                          "{staff} staff created or updated.".format(**counts))
        if not DailyCostOfCare.objects.exists():
            amount, valid_from, source = DEMO_DAILY_COST
            performance_services.set_daily_cost_of_care(actor=None, amount=amount, valid_from=valid_from,
                                                        source=source)
            self.stdout.write(f"Daily cost of care: £{amount} a day, an illustrative synthetic figure (demo only).")
        if not NationalFigure.objects.exists():
            loaded = performance_services.load_national_figures(actor=None, text=demo_england_csv(today))
            published = performance_services.load_national_figures(
                actor=None, text=performance_services.SEED_003_ENGLAND.read_text(encoding="utf-8"))
            self.stdout.write(f"England figures: {len(loaded.added)} illustrative figures for the comparisons "
                              f"(demo only: not published figures) and {len(published.added)} published 2012-15 "
                              "figures (seed 003).")

        aw_codes = [str(la["code"]) for la in structure["raas"][0]["las"]]
        as_codes = [str(la["code"]) for la in structure["raas"][1]["las"]]
        wanted = spread(aw_codes, options["children"]) + spread(
            as_codes, max(len(as_codes), round(options["children"] * ASPIRE_SHARE)))
        children = journeys.generate(options["seed"], today, wanted)
        written = load.load_children(children, today=today)
        self.stdout.write(self.style.SUCCESS(
            "Loaded {children} children ({events} events, {sibling_groups} sibling groups, {needs} needs) "
            "up to {today}.".format(today=today.isoformat(), **written)))
        n = options["households"]
        raas = structure["raas"]
        adopters = []
        household_ids: dict[str, int] = {}
        if n:
            jobs = [households_load.job_for(options["seed"], today, raas[0]["code"], aw_codes, n,
                                            ENQUIRIES_PER_HOUSEHOLD * n),
                    households_load.job_for(options["seed"], today, raas[1]["code"], as_codes, ASPIRE_HOUSEHOLDS,
                                            ENQUIRIES_PER_HOUSEHOLD * ASPIRE_HOUSEHOLDS + 1)]
            adopters = [households_load.prepare_raa(job) for job in jobs]
        # Family finding: links drawn from the children's journeys, with households that agree (links.py).
        raa_las = {raas[0]["code"]: aw_codes, raas[1]["code"]: as_codes}
        la_raa = {la: raa for raa, las in raa_las.items() for la in las}
        plan = links.plan(options["seed"], today, children, [a for a, _ in adopters], la_raa, raa_las)
        if adopters:
            timescales = jobs[0].timescales
            snapshots = [[household_services.snapshot_values(h, h.state(), today, timescales)
                          if h.key in plan.changed_households else snap for h, snap in zip(a.households, s,
                                                                                            strict=True)]
                         for a, s in adopters]
            written = households_load.load_households([a for a, _ in adopters], today=today, snapshots=snapshots,
                                                      keys=household_ids)
            self.stdout.write(self.style.SUCCESS(
                "Loaded {households} adopter households ({events} events, {applicants} applicants), {enquiries} "
                "enquiries, {panels} panels ({panel_items} items).".format(**written)))
        partners = households_load.load_households(plan.partners, today=today, index_start=n, keys=household_ids)
        written = links_load.load_links(plan, children, household_ids, today=today)
        self.stdout.write(self.style.SUCCESS(
            "Loaded {links} links ({link_events} events) with {partners} approved households for them, and "
            "{matching_profiles} children's matching profiles.".format(partners=partners["households"], **written)))
        actions = surgeries.load_surgery_actions(today=today)
        contact = demo_contact.load_contact(seed=options["seed"], today=today, children=load.demo_children())
        self.stdout.write(self.style.SUCCESS("Contact: {plans} contact plans, {exchanges} letterbox exchanges, "
                                             "{reviews} reviews, {offers} birth relatives offered support.".format(
                                                 **contact)))
        self.stdout.write(self.style.SUCCESS(f"Agreed {actions} performance surgery actions."))
        self.stdout.write(self.style.SUCCESS(f"Loaded {support.load_demo(seed=options['seed'], today=today)} "
                                             "adoption support cases."))
        from permanence.demo import support_fund  # plans and the fund (issue 12)
        self.stdout.write(self.style.SUCCESS("Loaded {providers} commissioned providers, {plans} support plans "
                                             "({plan_services} services) and {fund_applications} support fund "
                                             "applications.".format(**support_fund.load_demo(seed=options["seed"],
                                                                                              today=today))))
        adults = adopted_adults.load_demo(seed=options["seed"], today=today, per_raa={raas[0]["code"]: 60,
                                                                                   raas[1]["code"]: 12})
        self.stdout.write(self.style.SUCCESS("Loaded {requests} adopted adults' requests ({request_events} events)."
                                             .format(**adults)))
        from permanence.demo import blueprint as demo_blueprint  # blueprint reviews (issue 13)
        self.stdout.write(self.style.SUCCESS("Loaded {comparison} comparison blueprint reviews (seed 001) and {own} "
                                             "Adoption West reviews.".format(**demo_blueprint.load_demo(today=today))))
        from permanence.demo import disruptions as demo_disruptions  # learning reviews (issue 13)
        self.stdout.write(self.style.SUCCESS(f"Loaded {demo_disruptions.load_demo(today=today)} disruption learning review."))
        from permanence.demo import complaints as demo_complaints  # complaints and feedback (issue 13)
        self.stdout.write(self.style.SUCCESS("Loaded {complaints} complaints and {responses} feedback responses."
                                             .format(**demo_complaints.load_demo(seed=options["seed"], today=today))))
        from permanence.demo import audits as demo_audits  # case-file audits (issue 13)
        self.stdout.write(self.style.SUCCESS("Loaded {rounds} case-file audit rounds with {audits} audits."
                                             .format(**demo_audits.load_demo(seed=options["seed"], today=today))))
        from permanence.demo import records as demo_records  # the retention schedule (issue 15)
        self.stdout.write(self.style.SUCCESS(f"Set {demo_records.load_demo(today=today)} retention periods."))
        self.print_sign_ins(structure)
        self.stdout.write(f"Done in {time.perf_counter() - started:.1f} s.")

    def print_sign_ins(self, structure: dict) -> None:
        usernames = [p["username"] for raa in structure["raas"] for p in raa.get("staff", []) if p.get("password")]
        staff = {s.username: s for s in Staff.objects.filter(username__in=usernames).select_related("organisation")}
        rows = [("Role", "Organisation", "Username", "Password")]
        for username in usernames:
            s = staff.get(username)
            if s is None:
                continue
            org = s.organisation
            org_name = f"{org.name} ({org.code})" if org.kind == Organisation.Kind.LA else org.name
            rows.append((Role(s.role).label, org_name, s.username, DEMO_PASSWORD))
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        self.stdout.write("")
        self.stdout.write("Sign in at http://127.0.0.1:8000/ (run `permanence runserver`) as any of:")
        for i, row in enumerate(rows):
            self.stdout.write("  " + "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
            if i == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in widths))
