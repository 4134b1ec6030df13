"""The customer's tracking link (R-FUL-11): a random token per order, unique.

Existing orders get their token in chunks, then a unique index is built. The column is added
nullable and the index created by hand: altering it in place would make SQLite rebuild the order
table, which drops the search triggers of 0002. Every new order gets its token from the model.
"""

import secrets

from django.db import migrations, models

import sellerdesk.orders.models
from sellerdesk.core.migration_ops import VendorSQL

UNIQUE = "CREATE UNIQUE INDEX order_tracking_token_uniq ON orders_order (tracking_token)"
DROP = "DROP INDEX IF EXISTS order_tracking_token_uniq"


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
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AddField(
                    model_name="order",
                    name="tracking_token",
                    field=models.CharField(max_length=64, null=True),
                ),
                migrations.RunPython(fill_tokens, migrations.RunPython.noop),
                VendorSQL(sqlite=[UNIQUE], postgresql=[UNIQUE], reverse_sqlite=[DROP], reverse_postgresql=[DROP]),
            ],
            state_operations=[
                migrations.AddField(
                    model_name="order",
                    name="tracking_token",
                    field=models.CharField(
                        default=sellerdesk.orders.models.new_tracking_token, max_length=64, unique=True
                    ),
                ),
            ],
        ),
    ]
