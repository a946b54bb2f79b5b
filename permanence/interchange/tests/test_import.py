from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from permanence.children import services as child_services
from permanence.children.models import Child, JourneyEvent
from permanence.interchange import services
from permanence.interchange.models import ImportBatch, ImportConflict
from permanence.interchange.ssda903 import mapping
from permanence.interchange.tests.helpers import TODAY, files_903, kids, state_of_db


def do_import(files, la, actor=None, **kw):
    kw.setdefault("validate", False)
    return services.import_903(files=files, la=la, actor=actor, on=TODAY, **kw)


def journeys(la) -> dict[str, list]:
    out = {}
    for c in Child.objects.filter(la=la):
        out[c.la_child_id] = mapping.comparable(child_services.event_facts(c))
    return out


@pytest.fixture(scope="module")
def generated():
    return kids(count=60)


@pytest.mark.django_db
def test_round_trip_journeys_equal_the_generators(region, generated):
    result = do_import(files_903(generated), region.la)
    assert result.ok, result.errors[:3]
    got = journeys(region.la)
    expected = {k.la_child_id: mapping.comparable(mapping.project(k.events)) for k in generated}
    expected = {k: v for k, v in expected.items() if v}
    assert got == expected
    assert result.summary["children_created"] == len(expected)
    # Stages follow from the events like any other child's.
    for c in Child.objects.filter(la=region.la):
        assert c.stage != "new"
        assert c.first_name == "Child" and c.last_name == c.la_child_id
    assert JourneyEvent.objects.filter(child__la=region.la).exclude(source="ssda903").count() == 0


@pytest.mark.django_db
def test_xml_round_trip(region, generated):
    result = do_import(files_903(generated[:25], xml=True), region.la)
    assert result.ok, result.errors[:3]
    expected = {k.la_child_id: mapping.comparable(mapping.project(k.events)) for k in generated[:25]}
    assert journeys(region.la) == {k: v for k, v in expected.items() if v}


@pytest.mark.django_db
def test_same_import_twice_changes_nothing(region, generated):
    files = files_903(generated)
    do_import(files, region.la)
    before = state_of_db()
    again = do_import(files, region.la)
    assert again.ok
    assert state_of_db() == before
    assert again.summary["events_added"] == again.summary["events_updated"] == again.summary["conflicts"] == 0
    assert again.summary["unchanged_children"] == again.summary["children_in_files"]


@pytest.mark.django_db
def test_a_later_year_updates_and_never_duplicates(region, generated):
    first = do_import(files_903(generated, [2024]), region.la)
    assert first.ok
    partial = JourneyEvent.objects.filter(child__la=region.la, superseded=False).count()
    second = do_import(files_903(generated, [2025, 2026]), region.la)
    assert second.ok
    assert JourneyEvent.objects.filter(child__la=region.la, superseded=False).count() > partial
    whole = do_import(files_903(generated), region.la)
    assert whole.ok
    # Every event is there once: the same as importing every year into an empty LA.
    fresh = do_import(files_903(generated), region.la_keeps)
    assert fresh.ok
    assert journeys(region.la) == journeys(region.la_keeps)


@pytest.mark.django_db
def test_dry_run_reports_exactly_what_would_change_and_changes_nothing(region, generated):
    files = files_903(generated[:20])
    before = state_of_db()
    dry = do_import(files, region.la, dry_run=True)
    assert dry.batch.status == ImportBatch.Status.DRY_RUN
    assert state_of_db() == before
    real = do_import(files, region.la)
    assert real.summary == dry.summary
    assert real.changes == dry.changes
    added = JourneyEvent.objects.filter(child__la=region.la).count()
    assert sum(c["action"] == "add event" for c in dry.changes) == added


@pytest.mark.django_db
def test_events_a_person_recorded_are_never_overwritten(region, generated):
    kid = next(k for k in generated if any(e.kind.value == "placement_order" for e in mapping.project(k.events))
               and not any(e.kind.value == "po_revoked" for e in k.events))
    child = child_services.create_child(actor=None, la=region.la, la_child_id=kid.la_child_id, first_name="Ruby",
                                        last_name="Typed", date_of_birth=kid.dob)
    proj = mapping.project(kid.events)
    entered = next(e for e in proj if e.kind.value == "entered_care")
    po = next(e for e in proj if e.kind.value == "placement_order")
    child_services.record_event(child=child, kind="entered_care", date=entered.date, actor=None, check_role=False)
    ours = child_services.record_event(child=child, kind="placement_order", date=po.date.replace(day=1)
                                       if po.date.day != 1 else po.date.replace(day=2), actor=None, check_role=False)
    result = do_import(files_903([kid]), region.la)
    assert result.ok
    ours.refresh_from_db()
    assert not ours.superseded
    conflict = ImportConflict.objects.get(child=child, key="event:placement_order:0")
    assert conflict.theirs["date"] == po.date.isoformat()
    child.refresh_from_db()
    assert (child.first_name, child.last_name) == ("Ruby", "Typed")
    # Importing again does not list it twice.
    do_import(files_903([kid]), region.la)
    assert ImportConflict.objects.filter(child=child, key="event:placement_order:0").count() == 1
    # A data officer accepts the return's date: ours is superseded (kept), the 903 one recorded; audited.
    officer = region.staff[("NR", "data_officer")]
    services.resolve_conflict(conflict=conflict, actor=officer, accept=True, reason="The court order says so.")
    ours.refresh_from_db()
    assert ours.superseded
    assert child.events.get(kind="placement_order", superseded=False).date == po.date
    from permanence.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="ssda903.conflict_accepted", child_id=child.pk).exists()


@pytest.mark.django_db
def test_keeping_our_value(region, generated):
    kid = generated[1]
    proj = mapping.project(kid.events)
    child = child_services.create_child(actor=None, la=region.la, la_child_id=kid.la_child_id, first_name="Sam",
                                        last_name="Typed", date_of_birth=date(2015, 1, 1))
    do_import(files_903([kid]), region.la)
    if not proj:
        return
    conflict = ImportConflict.objects.get(child=child, key="field:date_of_birth")
    services.resolve_conflict(conflict=conflict, actor=region.staff[("901", "data_officer")], accept=False)
    child.refresh_from_db()
    assert child.date_of_birth == date(2015, 1, 1)
    conflict.refresh_from_db()
    assert conflict.status == "kept"


@pytest.mark.django_db
def test_dfe_validator_runs_for_the_collection_year(region, generated):
    result = do_import(files_903(generated[:15], [2025]), region.la, validate=True)
    assert result.ok
    assert any("DfE rules for 2024/25 (lac2024_25)" in n for n in result.batch.notes)
    dfe = [f for f in result.findings if f.rule]
    assert dfe and all(f.severity == "warning" and f.file and f.row and f.table for f in dfe)


@pytest.mark.django_db
def test_who_may_import(region, generated):
    files = files_903(generated[:3])
    for code, role in [("NR", "data_officer"), ("NR", "raa_team_manager"), ("901", "data_officer")]:
        assert do_import(files, region.la, actor=region.staff[(code, role)], dry_run=True).ok
    before = state_of_db()
    for code, role in [("SR", "data_officer"), ("902", "data_officer"), ("NR", "raa_family_finder"),
                       ("901", "la_social_worker")]:
        with pytest.raises(PermissionDenied):
            do_import(files, region.la, actor=region.staff[(code, role)])
    # An LA that is not a member of the user's RAA.
    with pytest.raises(PermissionDenied):
        do_import(files, region.other_la, actor=region.staff[("NR", "data_officer")])
    assert state_of_db() == before


@pytest.mark.django_db
def test_command_line(region, generated, tmp_path, capsys):
    for name, content in files_903(generated[:10]):
        (tmp_path / name).write_bytes(content)
    call_command("import_903", str(tmp_path), la="901", dry_run=True, no_dfe=True)
    out = capsys.readouterr().out
    assert "Dry run: nothing was changed" in out
    assert Child.objects.filter(la=region.la).count() == 0
    call_command("import_903", str(tmp_path), la="901", no_dfe=True)
    assert Child.objects.filter(la=region.la).count() > 0
    out_dir = tmp_path / "out"
    call_command("export_903", la=["901"], out=str(out_dir))
    exported = sorted(p.name for p in (out_dir / "901").iterdir())
    assert "901_2024-25_Episodes.csv" in exported
    # The export of what was imported reads back as the same journeys.
    before = journeys(region.la)
    result = do_import([(p.name, p.read_bytes()) for p in (out_dir / "901").iterdir()], region.la_keeps)
    assert result.ok
    assert journeys(region.la_keeps) == before


@pytest.mark.django_db
def test_scorecard_after_round_trip_equals_the_generators(region, generated):
    """The Scorecard measures of the imported journeys equal those of the generator's own children."""
    from permanence.demo import load
    from permanence.performance import measures

    load.load_children(generated, today=TODAY)  # into LA 901, source demo
    assert do_import(files_903(generated, code="901"), region.la_keeps).ok  # the same children via 903
    for year in (2024, 2025, 2026):
        ours = [(f.key, f.value) for f in measures.scorecard(measures.scope_for_la(region.la), year)]
        theirs = [(f.key, f.value) for f in measures.scorecard(measures.scope_for_la(region.la_keeps), year)]
        assert ours == theirs
