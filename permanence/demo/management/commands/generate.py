import argparse
import multiprocessing
import os
import time

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.utils import timezone

from permanence.children.models import Child, NeedCategory
from permanence.demo import DEMO_PASSWORD, DEMO_STRUCTURE, households_load, journeys, load
from permanence.demo.management.commands.demo import parse_day, spread
from permanence.demo.national import national_structure
from permanence.organisations.loader import StructureError, load_structure, read_file
from permanence.organisations.models import Organisation, Staff
from permanence.timescales.selectors import timescales_in_force

BATCH = 5000
NATIONAL_VISIT_EVERY = 150  # days between visits on average: about ten events per child overall


class Command(BaseCommand):
    help = ("Generate synthetic data. --scale national: 32 RAAs, about 150 LAs, 60,000 children and about "
            "600,000 journey events, for volume testing. --scale demo: the same as `permanence demo`. "
            "Writes to the database DATABASE_URL points at.")

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["national", "demo"], required=True)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--today", help="The date the journeys run up to, YYYY-MM-DD (default: today).")
        parser.add_argument("--force", action="store_true", help="Add to a database that already has children.")
        # Smaller runs, for tests.
        parser.add_argument("--children", type=int, default=60_000, help=argparse.SUPPRESS)
        parser.add_argument("--las", type=int, default=150, help=argparse.SUPPRESS)
        parser.add_argument("--raas", type=int, default=32, help=argparse.SUPPRESS)
        # Adopters: 9,000 households and 30,000 enquiries for 32 RAAs (in proportion for fewer).
        parser.add_argument("--households", type=int, default=None, help=argparse.SUPPRESS)
        parser.add_argument("--enquiries", type=int, default=None, help=argparse.SUPPRESS)
        parser.add_argument("--workers", type=int, default=None,
                            help="Processes generating children while this one writes (default: one fewer than "
                                 "the CPUs, at least 1, at most 3; 0 generates in this process).")
        parser.add_argument("--family-finding", action="store_true",
                            help="Only the family-finding step, on a database that already has the national set: "
                                 "approved waiting households topped up to --approved, matching profiles for the "
                                 "waiting children and links at the early steps.")
        parser.add_argument("--adopted-adults", action="store_true",
                            help="Only the adopted adults' step, on a database that already has the national set: "
                                 "requests at every step for each RAA without any (--adults-per-raa, default 40).")
        parser.add_argument("--adults-per-raa", type=int, default=40, help=argparse.SUPPRESS)
        parser.add_argument("--approved", type=int, default=5000,
                            help="Approved waiting households wanted (default 5,000).")
        parser.add_argument("--contact", action="store_true",
                            help="Only the contact step, on a database that already has the national set: contact "
                                 "plans, letterbox exchanges and reviews for adopted children, and offers of support "
                                 "to birth relatives.")
        parser.add_argument("--write-903", metavar="DIR",
                            help="Also write the children as SSDA903 CSV tables, one set per LA per collection year, "
                                 "into DIR/<LA code>/ (national scale).")

    def handle(self, *args, **options):
        self._generate(**options)
        if options["scale"] != "demo":
            from permanence.core.db import refresh_statistics

            started = time.perf_counter()
            ran = refresh_statistics(vacuum=True)
            if ran:
                self.stdout.write(f"  statistics refreshed ({ran}, {time.perf_counter() - started:.1f} s)")

    def _generate(self, **options):
        if options["scale"] == "demo":
            extra = {"today": options["today"]} if options["today"] else {}
            call_command("demo", seed=options["seed"], stdout=self.stdout, stderr=self.stderr, **extra)
            return
        started = time.perf_counter()
        today = parse_day(options["today"]) if options["today"] else timezone.localdate()
        if options["family_finding"]:
            from permanence.demo import national_ff
            done = national_ff.top_up(seed=options["seed"], today=today, households=options["approved"])
            self.stdout.write(self.style.SUCCESS(
                "Family finding: {households:,} approved households added, {matching_profiles:,} matching profiles, "
                "{links:,} links in {t:.1f} s.".format(t=time.perf_counter() - started, **done)))
            return
        if options["adopted_adults"]:
            from permanence.demo import adopted_adults
            done = adopted_adults.top_up_national(seed=options["seed"], today=today, per_raa=options["adults_per_raa"])
            self.stdout.write(self.style.SUCCESS("Adopted adults: {requests:,} requests ({request_events:,} events) in "
                                                 "{t:.1f} s.".format(t=time.perf_counter() - started, **done)))
        if options["contact"]:
            from permanence.demo import contact
            done = contact.load_contact(seed=options["seed"], today=today)
            self.stdout.write(self.style.SUCCESS(
                "Contact: {plans:,} contact plans, {exchanges:,} letterbox exchanges, {reviews:,} reviews, {offers:,} "
                "birth relatives offered support in {t:.1f} s.".format(t=time.perf_counter() - started, **done)))
            return
        las, raas, total = options["las"], options["raas"], options["children"]
        if not (1 <= raas <= las <= 799):
            raise CommandError("Need 1 <= --raas <= --las <= 799.")
        if Child.objects.exists() and not options["force"]:
            raise CommandError("This database already has children: use --force to add the national data anyway, "
                               "or point DATABASE_URL at an empty database.")
        vendor = connection.vendor
        self.stdout.write(f"Generating national data on {vendor} ({connection.settings_dict['NAME']}): "
                          f"{raas} RAAs, {las} LAs, {total:,} children, seed {options['seed']}, up to {today}.")

        demo_codes = {str(la["code"]) for raa in read_file(DEMO_STRUCTURE)["raas"] for la in raa["las"]}
        taken = set(Organisation.objects.filter(kind="la").values_list("code", flat=True))
        structure = national_structure(options["seed"], las=las, raas=raas, exclude_codes=demo_codes | taken)
        try:
            counts = load_structure(structure)
        except StructureError as err:
            raise CommandError("The national structure could not be loaded:\n  " + "\n  ".join(err.problems)) \
                from None
        # One password hash for every RAA team manager (hashing each would take most of a minute).
        managers = [p["username"] for raa in structure["raas"] for p in raa["staff"] if p["username"].startswith("tm.r")]
        Staff.objects.filter(username__in=managers).update(password=make_password(DEMO_PASSWORD))
        t_structure = time.perf_counter()
        self.stdout.write("  structure: {organisations} organisations, {policies} policies, {staff} staff "
                          "({t:.1f} s)".format(t=t_structure - started, **counts))

        need_codes = tuple(NeedCategory.objects.values_list("code", flat=True)) or journeys.NEED_CODES
        timescales = tuple(timescales_in_force(today))
        las_by_code = {la.code: la for la in Organisation.objects.filter(kind="la").prefetch_related("policies")}
        codes = [str(la["code"]) for raa in structure["raas"] for la in raa["las"]]
        jobs = [
            load.LAJob(seed=options["seed"], today=today, la_code=code, count=count, la_id=las_by_code[code].pk,
                       raa_id=las_by_code[code].raa_id,
                       policies=tuple(p.as_fact() for p in las_by_code[code].policies.all()),
                       timescales=timescales, need_codes=need_codes, visit_every=NATIONAL_VISIT_EVERY)
            for code, count in spread(codes, total)
        ]
        t_structure = time.perf_counter()

        def progress(done: int, of: int) -> None:
            self.stdout.write(f"  written {done:,} of {of:,} children ({time.perf_counter() - t_structure:.1f} s)")

        # Worker processes generate each LA's children and derive their snapshots while this
        # process writes; results come back in LA order, so the data does not depend on timing.
        written = {"children": 0, "events": 0, "sibling_groups": 0, "needs": 0}
        buffer, snaps = [], []

        def flush() -> None:
            counts = load.load_children(buffer, today=today, snapshots=snaps, progress=progress, total=total,
                                        start_index=written["children"], batch_size=len(buffer))
            for key, value in counts.items():
                written[key] += value
            if options["write_903"]:
                from permanence.demo.ssda903_files import write_903_files

                write_903_files(buffer, options["write_903"], today=today)
            buffer.clear()
            snaps.clear()

        workers = options["workers"]
        if workers is None:
            workers = max(1, min(3, (os.cpu_count() or 1) - 1))
        for kids, snapshots in _map(load.prepare_la, jobs, workers):
            buffer.extend(kids)
            snaps.extend(snapshots)
            if len(buffer) >= BATCH:
                flush()
        if buffer:
            flush()
        self.stdout.write(self.style.SUCCESS(
            "Wrote {children:,} children, {events:,} events, {sibling_groups:,} sibling groups, {needs:,} needs "
            "in {t:.1f} s.".format(t=time.perf_counter() - started, **written)))
        n_households = options["households"] if options["households"] is not None else round(9_000 * raas / 32)
        n_enquiries = options["enquiries"] if options["enquiries"] is not None else round(30_000 * raas / 32)
        if n_households or n_enquiries:
            t_adopters = time.perf_counter()
            adopters = households_load.load_national(
                structure, seed=options["seed"], today=today, households=n_households, enquiries=n_enquiries,
                mapper=lambda fn, jobs: _map(fn, jobs, workers))
            self.stdout.write(self.style.SUCCESS(
                "Wrote {households:,} adopter households ({events:,} events), {enquiries:,} enquiries, {panels:,} "
                "panels ({panel_items:,} items) in {t:.1f} s.".format(t=time.perf_counter() - t_adopters,
                                                                       **adopters)))
        from permanence.demo import support  # adoption support (issue 12)
        t_support = time.perf_counter()
        done = support.top_up(seed=options["seed"], today=today)
        self.stdout.write(self.style.SUCCESS("Wrote {support_cases:,} support cases ({support_events:,} events) in "
                                             "{t:.1f} s.".format(t=time.perf_counter() - t_support, **done)))
        from permanence.demo import support_fund  # support plans and the fund (issue 12)
        t_fund = time.perf_counter()
        done = support_fund.top_up(seed=options["seed"], today=today)
        self.stdout.write(self.style.SUCCESS("Wrote {providers:,} providers, {plans:,} support plans and "
                                             "{fund_applications:,} fund applications in {t:.1f} s.".format(
                                                 t=time.perf_counter() - t_fund, **done)))
        from permanence.demo import adopted_adults
        adults = adopted_adults.top_up_national(seed=options["seed"], today=today, per_raa=options["adults_per_raa"])
        self.stdout.write(self.style.SUCCESS("Wrote {requests:,} adopted adults' requests ({request_events:,} events)."
                                             .format(**adults)))
        self.stdout.write(f"Sign in as tm.r01 … tm.r{raas:02d} (RAA team managers) with password {DEMO_PASSWORD}.")


def _map(fn, jobs, workers: int):
    """fn over jobs, in order: in `workers` forked processes (pure work, no database), or here if 0."""
    if (workers < 1 or len(jobs) < 2 or connection.in_atomic_block
            or "fork" not in multiprocessing.get_all_start_methods()):
        yield from map(fn, jobs)
        return
    connections.close_all()  # never share a database connection with a forked child
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(fn, jobs)
