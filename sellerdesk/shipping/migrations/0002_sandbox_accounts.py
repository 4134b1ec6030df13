"""Every seller has a sandbox carrier account from its creation on (the post_save of Seller writes
it); this writes it for the sellers created before, so that no page or API read has to."""

from django.db import migrations


def open_missing(apps, schema_editor):  # type: ignore[no-untyped-def]  # the signature RunPython calls
    Seller = apps.get_model("accounts", "Seller")
    CarrierAccount = apps.get_model("shipping", "CarrierAccount")
    have = set(CarrierAccount.objects.filter(carrier="sandbox").values_list("seller_id", flat=True))
    for seller_id in Seller.objects.exclude(pk__in=have).values_list("pk", flat=True):
        CarrierAccount.objects.create(seller_id=seller_id, carrier="sandbox", name="Sandbox carrier")


class Migration(migrations.Migration):
    dependencies = [("shipping", "0001_initial"), ("accounts", "0005_close_warning")]

    operations = [migrations.RunPython(open_missing, migrations.RunPython.noop)]
