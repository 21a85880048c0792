"""The database refuses to change a published decision table version.

Only UPDATE is refused: deleting is already refused by the PROTECT foreign keys of the
decision records and by the admin, and a DELETE trigger would stop the test harness's flush.
"""

from django.db import migrations

INSTALL = {
    "sqlite": [
        """CREATE TRIGGER IF NOT EXISTS decision_version_published_no_update
           BEFORE UPDATE ON decisions_decisiontableversion
           WHEN OLD.published_at IS NOT NULL
           BEGIN SELECT RAISE(ABORT, 'published decision table versions are immutable'); END""",
    ],
    "postgresql": [
        """CREATE OR REPLACE FUNCTION decision_version_refuse_change() RETURNS trigger AS $$
           BEGIN RAISE EXCEPTION 'published decision table versions are immutable'; END;
           $$ LANGUAGE plpgsql""",
        """CREATE OR REPLACE TRIGGER decision_version_published_no_update
           BEFORE UPDATE ON decisions_decisiontableversion
           FOR EACH ROW WHEN (OLD.published_at IS NOT NULL)
           EXECUTE FUNCTION decision_version_refuse_change()""",
    ],
}
REMOVE = {
    "sqlite": ["DROP TRIGGER IF EXISTS decision_version_published_no_update"],
    "postgresql": [
        "DROP TRIGGER IF EXISTS decision_version_published_no_update"
        " ON decisions_decisiontableversion",
        "DROP FUNCTION IF EXISTS decision_version_refuse_change()",
    ],
}


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):
    dependencies = [("decisions", "0001_initial")]

    operations = [migrations.RunPython(_run(INSTALL), _run(REMOVE))]
