from django.db import migrations, models

import core.dates


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0002_facilitators_view_events"),
    ]

    operations = [
        migrations.AlterField(
            model_name="event",
            name="ends_at",
            field=models.DateTimeField(
                validators=[core.dates.MomentValidator()], verbose_name="ends at"
            ),
        ),
        migrations.AlterField(
            model_name="event",
            name="registration_closes_at",
            field=models.DateTimeField(
                validators=[core.dates.MomentValidator()], verbose_name="registration closes at"
            ),
        ),
        migrations.AlterField(
            model_name="event",
            name="starts_at",
            field=models.DateTimeField(
                validators=[core.dates.MomentValidator()], verbose_name="starts at"
            ),
        ),
    ]
