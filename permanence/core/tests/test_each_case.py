"""permanence.testing.each_case: a matrix of cases over one world, each case in its own rolled-back savepoint."""

import pytest

from permanence.organisations import services
from permanence.organisations.models import Organisation
from permanence.testing import each_case

pytestmark = pytest.mark.django_db


def test_each_case_sees_the_world_as_built_and_leaves_it_so(region):
    before = Organisation.objects.count()
    seen = []

    def check(code):
        seen.append(Organisation.objects.count())
        services.create_organisation(actor=None, kind="raa", code=code, name=f"{code} RAA")  # undone after it

    each_case([("AR",), ("BR",), ("CR",)], check)
    assert seen == [before] * 3 and Organisation.objects.count() == before


def test_a_failing_case_fails_the_test_and_says_which_it_was(region):
    def check(number):
        assert number != 2

    with pytest.raises(AssertionError) as failure:
        each_case([(1,), (2,), (3,)], check)
    assert "In the case (2,)." in failure.value.__notes__
