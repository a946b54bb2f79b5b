"""The checklist is data: version 1 (seed 000, Appendix A) on a fresh database, a new version from YAML without
code, and old rounds and audits keep the version they were made with."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from permanence.audits import services
from permanence.audits.models import ChecklistVersion
from permanence.core.models import AuditEvent

from .helpers import adopted, audit_entry, make_round

V2 = """version: 2
title: Case-file audit 2027
valid_from: 2027-04-01
source: A test
sections:
  - key: life_story_book
    number: "1"
    title: Life story book
    presence: true
    presence_rule: life_story_book_recorded
    criteria:
      - key: timeliness
        title: Timeliness
        guidance: Within 10 working days of the order?
        scale: yes_no
        rule: life_story_book_in_time
  - key: case_recording
    title: Case recording
    criteria:
      - key: voice
        title: The child's voice
"""


def test_version_1_is_appendix_a_on_a_fresh_database(db):
    v1 = ChecklistVersion.objects.get(version=1)
    sections = list(v1.sections.all())
    assert [(s.number, s.title) for s in sections] == [
        ("1a", "Life story book"), ("1b", "Later life letter"), ("2", "Adoption support and contact plans"),
        ("3", "Child permanence report (CPR)"), ("4", "Adoption placement report (APR)"), ("5", "Case recording")]
    assert [s.criteria.count() for s in sections] == [4, 4, 4, 5, 4, 4]
    assert [s.asks_presence for s in sections] == [True, True, True, True, True, False]
    timeliness = sections[0].criteria.get(key="timeliness")
    assert (timeliness.number, timeliness.scale, timeliness.rule) == ("1a.ii", "yes_no", "life_story_book_in_time")
    assert timeliness.guidance == "Was it provided within 10 days of the Adoption Order?"
    assert sections[3].criteria.get(key="child_consideration").title == "Consideration of the adopted child"


def test_a_new_version_loads_from_yaml_and_old_audits_keep_theirs(region, tmp_path):
    child = adopted(region)
    old_round = make_round(region.raa, held_on=date(2026, 1, 1))
    old_audit = audit_entry(old_round.entries.get(child=child))
    path = tmp_path / "v2.yaml"
    path.write_text(V2)
    call_command("load_audit_checklist", str(path), stdout=open(path.with_suffix(".out"), "w"))  # noqa: SIM115
    v2 = ChecklistVersion.objects.get(version=2)
    assert [(s.key, s.number, s.asks_presence) for s in v2.sections.all()] == [
        ("life_story_book", "1", True), ("case_recording", "2", False)]
    assert v2.sections.get(key="case_recording").criteria.get().scale == "likert"
    assert AuditEvent.objects.filter(action="audit_checklist.add", object_id=str(v2.pk)).exists()
    assert services.current_version(date(2027, 4, 1)) == v2 and services.current_version(date(2027, 3, 31)).version == 1
    new_round = make_round(region.raa, held_on=date(2027, 4, 1), name="2027")
    assert new_round.version == v2
    new_audit = audit_entry(new_round.entries.get(child=child), on=date(2027, 4, 20))
    assert new_audit.scores.count() == 2
    old_audit.refresh_from_db()
    old_round.refresh_from_db()
    assert old_audit.version.version == 1 and old_round.version.version == 1 and old_audit.scores.count() == 25
    with pytest.raises(CommandError, match="Version 2 already exists"):
        call_command("load_audit_checklist", str(path))


def test_a_broken_file_says_what_is_wrong(db, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(V2.replace("rule: life_story_book_in_time", "rule: by_magic"))
    with pytest.raises(CommandError, match="no score rule called by_magic"):
        call_command("load_audit_checklist", str(path))
    with pytest.raises(CommandError, match="Could not read"):
        call_command("load_audit_checklist", str(tmp_path / "missing.yaml"))
    assert not ChecklistVersion.objects.filter(version=2).exists()
