"""Database rule: a ledger entry is never updated or deleted (DESIGN.md §5, issue 5).

The model and its queryset already refuse `save()` on an existing row, `update()` and
`delete()`; these triggers make the database refuse too, whatever the code path (raw SQL,
the admin, a shell). Only ``author_id`` may change: Django sets it to NULL when a user is
removed (``on_delete=SET_NULL``), the name at the time of writing stays in ``author_name``.

PostgreSQL: BEFORE UPDATE OF <columns> and BEFORE DELETE row triggers. SQLite: a BEFORE
UPDATE OF trigger only — Django empties SQLite tables between transactional tests with
``DELETE FROM``, so a delete trigger there would break the test database's flush
(PostgreSQL uses TRUNCATE, which row triggers do not see).
"""

from django.db import migrations

COLUMNS = (
    'id, organization_id, account_id, kind, period, "on", amount, source, batch_id, '
    "payment_id, reverses_id, note, author_name, created_at"
)
MESSAGE = "fees_ledger_append_only: ledger entries are never updated or deleted"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION fees_ledger_append_only() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$"
        )
        schema_editor.execute(
            f"CREATE TRIGGER fees_ledger_no_update BEFORE UPDATE OF {COLUMNS} "
            "ON fees_ledgerentry FOR EACH ROW EXECUTE FUNCTION fees_ledger_append_only()"
        )
        schema_editor.execute(
            "CREATE TRIGGER fees_ledger_no_delete BEFORE DELETE ON fees_ledgerentry "
            "FOR EACH ROW EXECUTE FUNCTION fees_ledger_append_only()"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            f"CREATE TRIGGER IF NOT EXISTS fees_ledger_no_update BEFORE UPDATE OF {COLUMNS} "
            f"ON fees_ledgerentry BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS fees_ledger_no_update ON fees_ledgerentry")
        schema_editor.execute("DROP TRIGGER IF EXISTS fees_ledger_no_delete ON fees_ledgerentry")
        schema_editor.execute("DROP FUNCTION IF EXISTS fees_ledger_append_only()")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS fees_ledger_no_update")


class Migration(migrations.Migration):
    dependencies = [("fees", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
