from datetime import date

from permanence.blueprint import services


def make_review(raa, on=date(2025, 6, 1), scores=None, *, comparison_name="", final=True):
    """A review with the given {domain number: score}; every other domain left unscored."""
    return services.record_review(actor=None, raa=raa, comparison_name=comparison_name, reviewed_on=on,
                                  reviewer="A reviewer", check_role=False, final=final,
                                  scores={d: {"score": s} for d, s in (scores or {}).items()})
