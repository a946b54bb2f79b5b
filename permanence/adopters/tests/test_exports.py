"""Household exports: the pipeline as CSV/XLSX and a household's record as a PDF, permission-controlled and logged."""

from django.urls import reverse

from permanence import access
from permanence.adopters import services
from permanence.adopters.tests.conftest import TO_STAGE_2, make_household
from permanence.core.models import ExportLog
from permanence.organisations.models import ROLE_ORGANISATION_KINDS
from permanence.testing import each_case

USERS = [(code, role) for code in ("NR", "SR", "901") for role, kinds in ROLE_ORGANISATION_KINDS.items()
         if ("raa" if code in ("NR", "SR") else "la") in kinds]


def test_export_access(client, region, today):
    def check(code, role):
        household = make_household(region.raa, "Exportable", events=TO_STAGE_2)
        panel = services.create_panel(actor=None, raa=region.raa, date=today)
        user = region.staff[(code, role)]
        client.force_login(user)
        may_export = access.can_see_adopter_records(user) and access.can_export(user)
        for url in ["/adopters/export.csv", "/adopters/export.xlsx", "/adopters/enquiries/export.csv",
                    "/adopters/enquiries/export.xlsx", "/adopters/panels/export.csv", "/adopters/panels/export.xlsx"]:
            response = client.get(url)
            assert response.status_code == (200 if may_export else 404), url
            if code != "NR" and response.status_code == 200 and url.endswith(".csv"):
                assert b"Exportable" not in b"".join(response.streaming_content)  # another RAA's list is its own
        pdf = client.get(f"/adopters/households/{household.pk}/record.pdf")
        assert pdf.status_code == (200 if may_export and code == "NR" else 404)
        agenda = client.get(reverse("adopters:panel-pdf", args=[panel.pk]))
        assert agenda.status_code == (200 if may_export and code == "NR" else 404)

    each_case(USERS, check, client=client)


def test_csv_has_the_filtered_households_escaped_and_logged(client, region, today):
    make_household(region.raa, "=HYPERLINK(1)", events=TO_STAGE_2)
    make_household(region.raa, "Still at ROI")
    make_household(region.other_raa, "Elsewhere", events=TO_STAGE_2)
    client.force_login(region.staff[("NR", "raa_team_manager")])
    body = b"".join(client.get("/adopters/export.csv?stage=stage_2").streaming_content).decode()
    assert "'=HYPERLINK(1)" in body and "Still at ROI" not in body and "Elsewhere" not in body
    log = ExportLog.objects.get(what="households.list")
    assert log.row_count == 1 and log.filters.get("stage") == "stage_2"


def test_household_pdf(client, region, today):
    household = make_household(region.raa, "Pdfable", events=TO_STAGE_2)
    client.force_login(region.staff[("NR", "raa_team_manager")])
    response = client.get(f"/adopters/households/{household.pk}/record.pdf")
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert ExportLog.objects.filter(what="households.record", format="pdf").exists()


def test_enquiries_csv(client, region, today):
    from permanence.adopters import services
    from permanence.adopters.tests.conftest import source

    services.record_enquiry(actor=None, raa=region.raa, received_on=today, source=source("website"),
                            first_name="+cmd", last_name="Enquirer")
    services.record_enquiry(actor=None, raa=region.other_raa, received_on=today, source=source("website"),
                            first_name="Other", last_name="Raa")
    client.force_login(region.staff[("NR", "raa_team_manager")])
    body = b"".join(client.get("/adopters/enquiries/export.csv").streaming_content).decode()
    assert "'+cmd" in body and "Other" not in body
    assert ExportLog.objects.filter(what="enquiries.list", row_count=1).exists()
