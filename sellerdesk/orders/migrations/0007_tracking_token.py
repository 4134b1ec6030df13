"""The customer's tracking link (R-FUL-11): a random token per order, unique.

Existing orders get their token in chunks before the column becomes unique and required.
"""

import secrets

from django.db import migrations, models

import sellerdesk.orders.models


def fill_tokens(apps, schema_editor):
    Order = apps.get_model("orders", "Order")
    pending = Order.objects.filter(tracking_token__isnull=True).only("id")
    while True:
        chunk = list(pending[:5000])
        if not chunk:
            break
        for order in chunk:
            order.tracking_token = secrets.token_urlsafe(24)
        Order.objects.bulk_update(chunk, ["tracking_token"])


class Migration(migrations.Migration):
    dependencies = [("orders", "0006_event_version")]

    operations = [
        migrations.AddField(
            model_name="order",
            name="tracking_token",
            field=models.CharField(max_length=64, null=True),
        ),
        migrations.RunPython(fill_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="order",
            name="tracking_token",
            field=models.CharField(
                default=sellerdesk.orders.models.new_tracking_token, max_length=64, unique=True
            ),
        ),
    ]
