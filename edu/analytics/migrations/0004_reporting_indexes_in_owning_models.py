"""The reporting indexes of 0002 and 0003 now live in the owning models' Meta.indexes (cases
0004, quizzes 0003), so the ORM knows them: `makemigrations` sees them and SQLite keeps them
when a later migration rebuilds the table. This drops the raw-SQL copies, after the declared
ones exist so the pages are never without an index; reversing puts them back."""

import importlib

from django.db import migrations

RAW = {
    **importlib.import_module("edu.analytics.migrations.0002_reporting_indexes").INDEXES,
    **importlib.import_module("edu.analytics.migrations.0003_level_statistics_indexes").INDEXES,
}


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0003_level_statistics_indexes"),
        ("cases", "0004_attempt_reporting_indexes"),
        ("quizzes", "0003_reporting_indexes"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f"DROP INDEX IF EXISTS {name}", reverse_sql=f"CREATE INDEX {name} ON {target}"
        )
        for name, target in RAW.items()
    ]
