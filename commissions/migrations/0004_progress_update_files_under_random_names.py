from django.db import migrations, models

import commissions.uploads


class Migration(migrations.Migration):
    dependencies = [
        ("commissions", "0003_action_closingsheet_comment_progressupdate_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="progressupdate",
            name="attachment_name",
            field=models.CharField(blank=True, max_length=200, verbose_name="attachment's name"),
        ),
        migrations.AlterField(
            model_name="progressupdate",
            name="attachment",
            field=models.FileField(
                blank=True,
                upload_to=commissions.uploads.update_attachment_path,
                verbose_name="attachment",
            ),
        ),
        migrations.AlterField(
            model_name="progressupdate",
            name="image",
            field=models.ImageField(
                blank=True, upload_to=commissions.uploads.update_image_path, verbose_name="image"
            ),
        ),
    ]
