"""Database rule: placements of one child never overlap (DESIGN.md §5a).

PostgreSQL: an exclusion constraint over (child, daterange(start, end, '[]')) with
btree_gist. SQLite: BEFORE INSERT/UPDATE triggers that abort on an overlapping row. Other
databases rely on the service check (`services.events`), which is the rule anyway and the
one that gives the Russian message. When the btree_gist extension cannot be created (no
rights), the constraint is skipped with the service check still in force.
"""

from django.db import migrations, transaction

PG_CONSTRAINT = "movement_placement_no_overlap"

SQLITE_CONDITION = """
    SELECT RAISE(ABORT, 'movement_placement_no_overlap')
    WHERE EXISTS (
        SELECT 1 FROM movement_placement p
        WHERE p.child_id = NEW.child_id AND p.id != COALESCE(NEW.id, -1)
          AND p.start <= COALESCE(NEW."end", '9999-12-31')
          AND COALESCE(p."end", '9999-12-31') >= NEW.start
    );
"""


def forwards(apps, schema_editor):
    conn = schema_editor.connection
    if conn.vendor == "postgresql":
        try:
            with transaction.atomic(using=conn.alias):
                schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        except Exception:  # no rights to create the extension
            return
        schema_editor.execute(
            f"ALTER TABLE movement_placement ADD CONSTRAINT {PG_CONSTRAINT} "
            "EXCLUDE USING gist (child_id WITH =, daterange(start, \"end\", '[]') WITH &&)"
        )
    elif conn.vendor == "sqlite":
        for op in ("INSERT", "UPDATE"):
            schema_editor.execute(
                f"CREATE TRIGGER IF NOT EXISTS movement_placement_no_overlap_{op.lower()} "
                f"BEFORE {op} ON movement_placement BEGIN {SQLITE_CONDITION} END"
            )


def backwards(apps, schema_editor):
    conn = schema_editor.connection
    if conn.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE movement_placement DROP CONSTRAINT IF EXISTS {PG_CONSTRAINT}"
        )
    elif conn.vendor == "sqlite":
        for op in ("insert", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS movement_placement_no_overlap_{op}")


class Migration(migrations.Migration):
    dependencies = [("movement", "0002_order_signature_contract_details_templates")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
