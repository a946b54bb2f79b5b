"""Version 1 of the case-file audit checklist (seed 000, Appendix A), from checklists/v1.yaml, so it exists on a
fresh database. Later versions: `permanence load_audit_checklist FILE.yaml`."""

from django.db import migrations


def load_v1(apps, schema_editor):
    from permanence.audits import services

    spec = services.read_checklist(services.CHECKLISTS / "v1.yaml")
    Version = apps.get_model("audits", "ChecklistVersion")
    if not Version.objects.filter(version=spec.version).exists():
        services.create_version_rows(spec, Version, apps.get_model("audits", "ChecklistSection"),
                                     apps.get_model("audits", "ChecklistCriterion"))


class Migration(migrations.Migration):
    dependencies = [("audits", "0001_initial")]
    operations = [migrations.RunPython(load_v1, migrations.RunPython.noop)]
