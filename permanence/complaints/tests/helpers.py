from datetime import date

from permanence.complaints import services


def make_complaint(raa, received_on=date(2026, 3, 2), themes=(), **values):
    return services.record_complaint(actor=None, raa=raa, received_on=received_on,
                                     complainant_type=values.pop("complainant_type", "adopter"),
                                     summary=values.pop("summary", "Slow replies"),
                                     themes=services.ensure_themes(themes), check_role=False, **values)


def access_rows(raa):
    """A complaint of the RAA (for the access package's CASES)."""
    return make_complaint(raa)
