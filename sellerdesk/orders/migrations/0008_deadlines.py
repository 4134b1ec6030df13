"""Deadlines (R-SLA-1..4): close_by and the agreed delay on the order, and the notices table whose
unique key makes each warning and each flag happen once. Existing orders get close_by = placement
+ 14 days (the default policy) in one UPDATE."""

import datetime as dt

import django.db.models.deletion

from django.db import migrations, models
from django.db.models import F


def backfill_close_by(apps, schema_editor):
    Order = apps.get_model("orders", "Order")
    Order.objects.filter(close_by__isnull=True).update(close_by=F("created_at") + dt.timedelta(days=14))



class Migration(migrations.Migration):

    dependencies = [
        ('orders', '0007_tracking_token'),
    ]

    operations = [
        migrations.AddField(
            model_name='order',
            name='agreed_note',
            field=models.CharField(blank=True, max_length=1000, null=True),
        ),
        migrations.AddField(
            model_name='order',
            name='agreed_until',
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='order',
            name='close_by',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.CreateModel(
            name='DeadlineNotice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=10)),
                ('due', models.DateTimeField()),
                ('stage', models.CharField(max_length=10)),
                ('created_at', models.DateTimeField()),
                ('order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deadline_notices', to='orders.order')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('order', 'kind', 'due', 'stage'), name='deadline_notice_once')],
            },
        ),
        migrations.RunPython(backfill_close_by, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="order",
            index=models.Index(models.F("status"), models.F("close_by"), name="order_status_close_by"),
        ),
    ]
