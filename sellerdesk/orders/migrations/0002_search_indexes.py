"""Indexes for substring search (R-LIST-2): pg_trgm GIN on PostgreSQL, FTS5 trigram on SQLite."""

from django.db import migrations

from sellerdesk.core.migration_ops import VendorSQL

COLS = "customer_name, customer_email, customer_phone_digits"

SQLITE = [
    f"CREATE VIRTUAL TABLE orders_order_fts USING fts5({COLS}, content='orders_order', content_rowid='id', "
    "tokenize='trigram case_sensitive 0')",
    f"""CREATE TRIGGER orders_order_fts_ai AFTER INSERT ON orders_order BEGIN
        INSERT INTO orders_order_fts(rowid, {COLS}) VALUES (new.id, new.customer_name, new.customer_email, new.customer_phone_digits);
    END""",
    f"""CREATE TRIGGER orders_order_fts_ad AFTER DELETE ON orders_order BEGIN
        INSERT INTO orders_order_fts(orders_order_fts, rowid, {COLS})
        VALUES ('delete', old.id, old.customer_name, old.customer_email, old.customer_phone_digits);
    END""",
    f"""CREATE TRIGGER orders_order_fts_au AFTER UPDATE OF {COLS} ON orders_order BEGIN
        INSERT INTO orders_order_fts(orders_order_fts, rowid, {COLS})
        VALUES ('delete', old.id, old.customer_name, old.customer_email, old.customer_phone_digits);
        INSERT INTO orders_order_fts(rowid, {COLS}) VALUES (new.id, new.customer_name, new.customer_email, new.customer_phone_digits);
    END""",
    "INSERT INTO orders_order_fts(orders_order_fts) VALUES ('rebuild')",
]
REVERSE_SQLITE = [
    "DROP TRIGGER IF EXISTS orders_order_fts_au",
    "DROP TRIGGER IF EXISTS orders_order_fts_ad",
    "DROP TRIGGER IF EXISTS orders_order_fts_ai",
    "DROP TABLE IF EXISTS orders_order_fts",
]
POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX order_name_trgm ON orders_order USING gin (UPPER(customer_name::text) gin_trgm_ops)",
    "CREATE INDEX order_email_trgm ON orders_order USING gin (UPPER(customer_email::text) gin_trgm_ops)",
    "CREATE INDEX order_phone_trgm ON orders_order USING gin ((customer_phone_digits::text) gin_trgm_ops)",
]
REVERSE_POSTGRESQL = [
    "DROP INDEX IF EXISTS order_name_trgm",
    "DROP INDEX IF EXISTS order_email_trgm",
    "DROP INDEX IF EXISTS order_phone_trgm",
]


class Migration(migrations.Migration):
    dependencies = [("orders", "0001_initial")]

    operations = [
        VendorSQL(
            sqlite=SQLITE, postgresql=POSTGRESQL, reverse_sqlite=REVERSE_SQLITE, reverse_postgresql=REVERSE_POSTGRESQL
        )
    ]
