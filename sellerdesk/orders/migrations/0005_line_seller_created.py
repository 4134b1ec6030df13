"""Lines carry their order's seller and creation time, for the SKU filter newest first (R-LIST-3)."""

import django.db.models.deletion
from django.db import migrations, models

from sellerdesk.core.migration_ops import VendorSQL

BACKFILL_PG = (
    "UPDATE orders_orderline AS l SET seller_id = o.seller_id, order_created_at = o.created_at "
    "FROM orders_order AS o WHERE o.id = l.order_id"
)
BACKFILL_SQLITE = (
    "UPDATE orders_orderline SET (seller_id, order_created_at) = "
    "(SELECT o.seller_id, o.created_at FROM orders_order AS o WHERE o.id = orders_orderline.order_id)"
)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("orders", "0004_note_reminder_done"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="orderline", name="orderline_sku"),
        migrations.AddField(
            model_name="orderline",
            name="order_created_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.AddField(
            model_name="orderline",
            name="seller",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.seller",
            ),
        ),
        # Immediate constraint checks on PostgreSQL: deferred foreign-key checks left pending by the
        # UPDATE would forbid the ALTER TABLE that follows in the same transaction.
        VendorSQL(
            sqlite=[BACKFILL_SQLITE],
            postgresql=["SET CONSTRAINTS ALL IMMEDIATE", BACKFILL_PG, "SET CONSTRAINTS ALL DEFERRED"],
        ),
        migrations.AlterField(
            model_name="orderline",
            name="order_created_at",
            field=models.DateTimeField(),
        ),
        migrations.AlterField(
            model_name="orderline",
            name="seller",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.seller",
            ),
        ),
        migrations.AddIndex(
            model_name="orderline",
            index=models.Index(
                fields=["seller", "sku", "-order_created_at", "-order"], name="orderline_seller_sku_newest"
            ),
        ),
        VendorSQL(sqlite=["ANALYZE orders_orderline"], postgresql=["ANALYZE orders_orderline"]),
    ]
