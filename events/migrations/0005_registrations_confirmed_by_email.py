import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0004_repair_unreadable_event_moments"),
        ("members", "0007_api_tokens"),
        ("networks", "0005_facilitators_assign_interlocutors"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="registration",
            name="registration_once_per_email",
        ),
        migrations.AddField(
            model_name="registration",
            name="expires_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="confirm before"
            ),
        ),
        migrations.AddField(
            model_name="registration",
            name="request_sent_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AlterField(
            model_name="registration",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Waiting for email confirmation"),
                    ("confirmed", "Confirmed"),
                    ("waitlisted", "On the waiting list"),
                    ("cancelled", "Cancelled"),
                    ("expired", "Not confirmed in time"),
                ],
                default="confirmed",
                max_length=20,
                verbose_name="status",
            ),
        ),
        migrations.AddConstraint(
            model_name="registration",
            constraint=models.UniqueConstraint(
                models.F("event"),
                django.db.models.functions.text.Lower("email"),
                condition=models.Q(
                    ("entity__isnull", True), ("status__in", ["pending", "confirmed", "waitlisted"])
                ),
                name="registration_once_per_email",
            ),
        ),
    ]
