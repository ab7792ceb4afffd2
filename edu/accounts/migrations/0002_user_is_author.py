from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="is_author",
            field=models.BooleanField(
                default=False,
                help_text="May import documents into lessons from the site (instructors only).",
                verbose_name="author",
            ),
        ),
    ]
