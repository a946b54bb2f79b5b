from datetime import date

from permanence.contact.models import BirthRelativeOffer, ContactArrangement, ContactPlan, LetterboxExchange


def contact_rows(child) -> dict:
    """One of each contact row for this child, made directly (for access tests that need rows, not a journey)."""
    plan = ContactPlan.objects.create(child=child, adoption_order_date=date(2025, 6, 30),
                                      next_review_due=date(2026, 6, 30))
    arrangement = ContactArrangement.objects.create(plan=plan, kind="letterbox", with_name="Tess Testcase",
                                                    relationship="birth_mother", times_a_year=1,
                                                    start_on=date(2025, 7, 1))
    exchange = LetterboxExchange.objects.create(arrangement=arrangement, direction="from_adopters",
                                                due_on=date(2026, 7, 1))
    offer = BirthRelativeOffer.objects.create(child=child, relative_name="Tess Testcase", relationship="birth_mother",
                                              offered_on=date(2024, 6, 1), offered_by="A worker")
    return {"child": child, "plan": plan, "arrangement": arrangement, "exchange": exchange, "offer": offer}
