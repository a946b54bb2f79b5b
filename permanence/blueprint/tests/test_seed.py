"""The seed 001 comparison set reproduces the published mean and mode of every domain (typed from the seed's
report), apart from the four means no set of 14 whole scores can give – which the last test proves."""

from decimal import ROUND_HALF_UP, Decimal
from itertools import product

import pytest

from permanence.blueprint import rules, selectors, services
from permanence.blueprint.models import BlueprintReview, BlueprintVersion
from permanence.demo import blueprint as demo

# Seed 001, section 3: "Average Score" and "Typical Score" of each domain, as printed.
SEED = {1: ("0.87", 1), 2: ("0.8", 1), 3: ("0.57", 0), 4: ("0.9", 1), 5: ("1.87", 2), 6: ("1.86", 2),
        7: ("1.23", 1), 8: ("1.73", 2), 9: ("2", 2), 10: ("1.69", 2), 11: ("1.3", 1), 12: ("1.88", 2),
        13: ("1.53", 1), 14: ("1.6", 1), 15: ("0.94", 1), 16: ("1.17", 1), 17: ("1.29", 2)}
UNREACHABLE = {1: "0.86", 5: "1.86", 13: "1.54", 15: "0.93"}  # the nearest reachable mean instead


def test_version_1_has_the_17_domains_on_a_fresh_database(db):
    version = BlueprintVersion.objects.get(version=1)
    assert version.domains.count() == 17
    assert version.domains.get(number=3).title.startswith("A governing body")


@pytest.fixture
def seed_summary(db):
    demo.load_seed_set()
    version = BlueprintVersion.objects.get(version=1)
    chosen = selectors.chosen_reviews(version, start=demo.SEED_START, end=demo.SEED_END)
    scores = selectors.scores_of([k.id for k in chosen])
    return len(chosen), rules.summarise_domains(range(1, 18), [scores[k.id] for k in chosen])


def test_the_seed_set_is_14_anonymised_raas(seed_summary):
    n, _ = seed_summary
    assert n == 14
    assert set(BlueprintReview.objects.values_list("comparison_name", flat=True)) == {
        f"Comparison RAA {c}" for c in "ABCDEFGHIJKLMN"}
    assert not BlueprintReview.objects.filter(raa__isnull=False).exists()


@pytest.mark.parametrize("domain", sorted(SEED))
def test_each_domain_gives_the_seeds_mean_and_mode(seed_summary, domain):
    _, summary = seed_summary
    mean, mode = SEED[domain]
    got = summary[domain]
    assert got.modes == (mode,)
    assert got.n <= 14
    assert got.mean == Decimal(UNREACHABLE.get(domain, mean)).quantize(Decimal("0.01"))
    if domain in UNREACHABLE:
        assert abs(got.mean - Decimal(mean)) == Decimal("0.01")


def _reachable(mean: str) -> bool:
    target = Decimal(mean).quantize(Decimal("0.01"))
    for n in range(1, 15):
        for total in range(0, 3 * n + 1):
            if (Decimal(total) / n).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) == target:
                return True
    return False


def test_exactly_four_published_means_cannot_come_from_14_whole_scores():
    """Any mean of n ≤ 14 scores of 0–3 is total/n; none rounds to these four (nor truncates to 0.94)."""
    assert {d for d, (mean, _mode) in SEED.items() if not _reachable(mean)} == set(UNREACHABLE)
    assert not any(Decimal(t) / n >= Decimal("0.94") and Decimal(t) / n < Decimal("0.95")
                   for n, t in product(range(1, 15), range(0, 43)))


def test_a_new_version_is_data_and_old_reviews_keep_theirs(db):
    from datetime import date

    old = demo.load_seed_set() and BlueprintReview.objects.first()
    v2 = services.add_version(actor=None, version=2, title="Blueprint 2026", valid_from=date(2026, 1, 1),
                              source="Test", domains=[("One", "Why"), ("Two", "Why")])
    assert services.current_version() == v2 and services.current_version(date(2024, 1, 1)).version == 1
    old.refresh_from_db()
    assert old.version.version == 1 and old.scores.count() == 17


def test_a_new_version_loads_from_yaml_without_code(db, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "v2.yaml"
    path.write_text("version: 2\ntitle: Blueprint 2026\nvalid_from: 2026-04-01\nsource: A test\ndomains:\n"
                    "  - title: Vision\n    guidance: Why\n  - title: Need\n")
    call_command("load_blueprint", str(path))
    v2 = BlueprintVersion.objects.get(version=2)
    assert [(d.number, d.title, d.guidance) for d in v2.domains.all()] == [(1, "Vision", "Why"), (2, "Need", "")]
    with pytest.raises(CommandError, match="Version 2 already exists"):
        call_command("load_blueprint", str(path))
