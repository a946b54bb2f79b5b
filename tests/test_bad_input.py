"""The tester's bad inputs (issue 15 item 3), one by one: each was a 500 or an impossible record, and is now a clear
refusal. The class of problem is tests/test_no_500.py."""

from datetime import date

import pytest
from django import forms
from django.urls import reverse

from permanence.api.tests.conftest import TO_PANEL, make_household, token_client
from permanence.core import clock, dates
from permanence.core.forms import DateField
from permanence.interchange import services as interchange
from permanence.interchange.models import ReturnRow
from permanence.organisations.models import Role
from permanence.performance.cost_forms import parse_pounds

# ---------------------------------------------------------------------------------------------
# Dates: real, and plausible for their kind (one rule for pages and the API: core.dates.date_problem)


def _clean(field, day, month, year):
    return field.clean([day, month, year])


@pytest.mark.parametrize(("day", "month", "year"), [
    ("1", "99999999999999999999", "2025"), ("99999999999999999999", "1", "2025"), ("0", "0", "9999"),
    ("31", "2", "2025"), ("1", "1", "99999"), ("1", "1", "0000")])
def test_a_date_that_is_not_real_is_a_message_not_an_error(day, month, year):
    with pytest.raises(forms.ValidationError) as err:
        _clean(DateField(label="Date of the review"), day, month, year)
    assert err.value.messages[0] in ("Date of the review must be a real date",
                                     "The year in date of the review must include 4 numbers")


def test_dates_must_be_plausible_for_their_kind():
    today = clock.today()
    birth = DateField(kind="birth", label="Date of birth")
    with pytest.raises(forms.ValidationError, match="Date of birth must be in 1900 or later"):
        _clean(birth, "1", "1", "0001")
    with pytest.raises(forms.ValidationError, match="Date of birth must be today or in the past"):
        _clean(birth, "1", "1", str(today.year + 1))
    assert _clean(birth, "14", "6", "1968") == date(1968, 6, 14)
    target = DateField(kind="planned", label="Target panel date")
    with pytest.raises(forms.ValidationError, match="Target panel date must be within 5 years from today"):
        _clean(target, "31", "12", "9999")
    assert _clean(target, "1", "1", str(today.year + 2)) == date(today.year + 2, 1, 1)
    record = DateField(label="Date of the review")
    with pytest.raises(forms.ValidationError, match="Date of the review must be in 1990 or later"):
        _clean(record, "1", "1", "1989")
    with pytest.raises(forms.ValidationError, match="must be no more than a year from today"):
        _clean(record, "1", "1", str(today.year + 3))
    with pytest.raises(ValueError, match="Unknown kind"):
        DateField(kind="someday")


def test_the_age_rule():
    assert dates.age_problem(date(2020, 1, 1), date(2025, 6, 1)) == \
        "The applicant must be at least 18 on the date of enquiry"
    assert dates.age_problem(date(1900, 1, 1), date(2025, 6, 1)) == \
        "The applicant must be 100 or younger on the date of enquiry"
    assert dates.age_problem(date(2007, 6, 1), date(2025, 6, 1)) is None  # 18 today
    assert dates.age_problem(date(2007, 6, 2), date(2025, 6, 1)) is not None  # 18 tomorrow
    assert dates.age_problem(None, date(2025, 6, 1)) is None


def test_the_api_refuses_the_same_dates_with_the_same_words(region):
    api = token_client(region.staff[("NR", Role.RAA_FAMILY_FINDER)])
    response = api.post(reverse("api:child-list"), {
        "la": "901", "la_child_id": "X1", "first_name": "Ada", "last_name": "Test", "date_of_birth": "0001-01-01"},
        format="json")
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["message"] == "Date of birth must be in 1900 or later"
    manager = token_client(region.staff[("NR", Role.RAA_TEAM_MANAGER)])
    household = make_household(region.raa, "Zephyr", events=TO_PANEL)
    response = manager.put(reverse("api:household-target-panel-date", args=[household.pk]),
                           {"target": "9999-12-31"}, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["message"] == "Target panel date must be within 5 years from today"


def test_an_applicant_aged_5_is_refused_on_the_page_and_the_api(client, region):
    manager = region.staff[("NR", Role.RAA_TEAM_MANAGER)]
    body = {"name": "Tiny", "applicants": [{"first_name": "Kid", "last_name": "Tiny",
                                            "date_of_birth": "2020-01-01"}], "roi_date": "2025-06-01"}
    response = token_client(manager).post(reverse("api:household-list"), body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["message"] == "Applicant 1 must be at least 18 on the date of enquiry"
    client.force_login(manager)
    page = client.get(reverse("adopters:household-register"))
    form = page.context["form"]
    data = {k: v for k, v in {"name": "Tiny", "relationship": "single", "a1_first_name": "Kid",
                              "a1_last_name": "Tiny", "a1_date_of_birth_day": "1", "a1_date_of_birth_month": "1",
                              "a1_date_of_birth_year": "2020", "roi_date_day": "1", "roi_date_month": "6",
                              "roi_date_year": "2025"}.items()}
    assert "a1_date_of_birth" in form.fields and "roi_date" in form.fields, sorted(form.fields)
    response = client.post(reverse("adopters:household-register"), data)
    assert response.status_code == 200
    assert "Applicant 1 must be at least 18 on the date of enquiry" in response.content.decode()
    assert not manager.organisation.households.filter(name="Tiny").exists()


# ---------------------------------------------------------------------------------------------
# Amounts


@pytest.mark.parametrize("text", ["1e30", "9" * 100, "1e999999999", "£99,999,999,999,999,999,999,999,999,999"])
def test_a_huge_daily_cost_is_a_message(text):
    with pytest.raises(forms.ValidationError, match="must be less than £100,000,000"):
        parse_pounds(text, what="the daily cost")


def test_a_huge_amount_on_the_cost_calculator_and_the_daily_cost_page(client, region):
    client.force_login(region.staff[("NR", Role.RAA_HEAD_OF_SERVICE)])
    response = client.get(reverse("performance:cost"), {"daily_cost": "1e30"})
    assert response.status_code == 200 and "must be less than £100,000,000" in response.content.decode()


# ---------------------------------------------------------------------------------------------
# The 903 export and import


@pytest.mark.parametrize(("year", "message"), [
    ("-1", "The collection year must be between 1992 and"), ("99999", "The collection year must be between 1992"),
    ("abc", "Enter the collection year as 4 numbers"), ("9" * 30, "Enter the collection year as 4 numbers")])
def test_a_bad_year_on_the_903_export_is_a_400_with_a_message(client, region, year, message):
    client.force_login(region.staff[("NR", Role.DATA_OFFICER)])
    response = client.get(reverse("interchange:export"), {"la": "901", "year": year})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert client.get(reverse("interchange:export"), {"la": "901", "year": "2025"}).status_code == 200


HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"


def test_a_903_child_id_longer_than_the_field_is_a_row_error(region):
    long_id = "C" * 10_000
    files = [("header.csv", (HEADER + f"{long_id},1,01/03/2022,WBRI,,,\nC2,1,01/03/2022,WBRI,,,\n").encode())]
    result = interchange.import_903(files=files, la=region.la, actor=None, year=2025, validate=False)
    assert not result.ok
    messages = [f.message for f in result.findings]
    assert "CHILD in row 2 is longer than 40 characters." in messages
    assert not ReturnRow.objects.exists()


def test_a_bad_collection_year_on_the_903_import_is_an_error(region):
    files = [("header.csv", (HEADER + "C2,1,01/03/2022,WBRI,,,\n").encode())]
    result = interchange.import_903(files=files, la=region.la, actor=None, year=-1, validate=False)
    assert not result.ok
    assert any("The collection year must be between 1992" in f.message for f in result.findings)


# ---------------------------------------------------------------------------------------------
# Booking a match on a panel through the API: the service's refusals (adopters.services.book_match_item), as 400s


@pytest.fixture
def match_world(region, monkeypatch):
    from permanence.adopters.tests.match_world import MatchWorld

    return MatchWorld(region, monkeypatch)


def test_the_api_books_a_match_only_as_the_page_would(match_world):
    from permanence.adopters import services
    from permanence.children import services as child_services

    w = match_world
    api = token_client(w.region.staff[("NR", Role.RAA_TEAM_MANAGER)])
    book = reverse("api:panel-book", args=[w.panel.pk])

    def refused(body, panel_url=book):
        response = api.post(panel_url, {"kind": "match", **body}, format="json")
        assert response.status_code == 400, response.content
        return " ".join(e["message"] for e in response.json()["errors"])

    assert "Choose the approved household" in refused({"child": w.child.pk})
    past = services.create_panel(actor=None, raa=w.region.raa, date=date(2023, 5, 3))
    assert "has already met" in refused({"child": w.child.pk, "household": w.household.pk},
                                        reverse("api:panel-book", args=[past.pk]))
    adopted = w.region.child(w.region.la, first_name="Done", last_name="Already", events=[
        *w.child.events.values_list("kind", "date"), ("match_decision", date(2025, 8, 10)),
        ("placed_for_adoption", date(2025, 8, 20))])
    child_services.record_event(child=adopted, kind="adoption_order", date=date(2025, 8, 28), actor=None,
                                check_role=False)
    assert "their stage is \u201cadopted\u201d" in refused({"child": adopted.pk, "household": w.household.pk})
    booked = api.post(book, {"kind": "match", "child": w.child.pk, "household": w.household.pk}, format="json")
    assert booked.status_code == 201, booked.content
    assert "already booked for a match" in refused({"child": w.child.pk, "household": w.household.pk})
    assert w.panel.items.count() == 1


# ---------------------------------------------------------------------------------------------
# Found by tests/test_no_500.py


def test_a_huge_id_among_chosen_records_is_an_invalid_choice(region):
    from permanence.core.forms import ModelMultipleChoiceField
    from permanence.organisations.models import Organisation

    field = ModelMultipleChoiceField(queryset=Organisation.objects.all(), required=False)
    with pytest.raises(forms.ValidationError) as err:
        field.clean([str(region.la.pk), "99999999999999999999"])
    assert err.value.code == "invalid_pk_value"
    assert list(field.clean([str(region.la.pk)])) == [region.la]


def test_the_london_weighting_message_is_not_a_format_error(client, region):
    from permanence.family_finding.forms import InterAgencyFeeForm

    form = InterAgencyFeeForm({"financial_year": "2025", "agencies": "la_raa", "first_child": "27000",
                    "london_uplift_percent": "101", "source": "CoramBAAF"})
    assert not form.is_valid()
    assert form.errors["london_uplift_percent"] == ["The London weighting must be between 0% and 100%"]
