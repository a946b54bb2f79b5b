"""The demo loads contact plans, exchanges at every step (some overdue), reviews (some overdue) and offers of
support (accepted with sessions, declined, no response; some children still to offer), and reloads cleanly."""

import os
from datetime import date

from django.core.management import call_command

from permanence.contact import rules, selectors
from permanence.contact.models import BirthRelativeOffer, ContactPlan, LetterboxExchange
from permanence.demo import contact as demo_contact
from permanence.demo import load

TODAY = date(2026, 3, 16)


def test_the_demo_has_contact_at_every_step(db):
    call_command("demo", "--children", "120", "--today", TODAY.isoformat(),
                 stdout=open(os.devnull, "w"))  # noqa: SIM115
    plans = ContactPlan.objects.all()
    assert plans.exists() and all(p.child.stage == "adopted" for p in plans.select_related("child"))
    t = selectors.contact_timescales(TODAY)
    statuses = {rules.status(x.facts(), TODAY, t) for x in LetterboxExchange.objects.all()}
    assert statuses >= {rules.Status.FORWARDED, rules.Status.OVERDUE_TO_ARRIVE, rules.Status.NOT_YET_DUE}
    assert LetterboxExchange.objects.exclude(redaction_reason="").filter(redacted_on__isnull=False).exists()
    assert LetterboxExchange.objects.filter(redacted_on__isnull=False, redaction_reason="").count() == 0
    assert set(BirthRelativeOffer.objects.values_list("response", flat=True)) >= {"accepted", "declined"}
    bad = [x.pk for x in LetterboxExchange.objects.all()
           if any(a and b and a > b for a, b in [(x.received_on, x.read_on), (x.read_on, x.forwarded_on)])
           or (x.forwarded_on and not x.read_on) or any(d and d > TODAY for d in (x.received_on, x.forwarded_on))]
    assert bad == []
    assert demo_contact.load_contact(seed=2026, today=TODAY)["plans"] == 0  # no second plan for a child
    count = plans.count()
    demo_contact.delete_demo_contact(load.demo_children())  # what `demo --reset` does first
    assert (ContactPlan.objects.count(), LetterboxExchange.objects.count(), BirthRelativeOffer.objects.count()) == \
        (0, 0, 0)
    assert demo_contact.load_contact(seed=2026, today=TODAY)["plans"] == count
