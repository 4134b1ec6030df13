"""Forms of the order page's shipping: fulfil by hand, a carrier label, a shipment's edit, a return.

Like forms.py, they check shape only (types, lengths, choices, quantities within what the page
offers); the shipping writers hold the rules and their refusals are put back on the form.
Per-line quantities are fields named `qty_<order line id>`, built from the lines the page shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sellerdesk.orders.rules import MAX_AMOUNT
from sellerdesk.shipping.carriers.base import Package, Party
from sellerdesk.shipping.models import CarrierAccount, ShippingPoint
from sellerdesk.shipping.states import LABELS, NEXT, ShipmentStatus


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _date(label: Any) -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=DateInput())


class LineQuantities(forms.Form):
    """A form with one quantity field per order line: `qty_<line id>`, 0..max."""

    def __init__(self, *args: Any, lines: Iterable[tuple[Any, int, int]] = (), **kwargs: Any) -> None:
        """`lines`: (order line, most units allowed, initial units)."""
        super().__init__(*args, **kwargs)
        self.line_rows: list[tuple[Any, int, str]] = []
        fields = {}
        for line, most, initial in lines:
            name = f"qty_{line.pk}"
            fields[name] = forms.IntegerField(
                label=_("%(name)s (%(sku)s)") % {"name": line.name, "sku": line.sku},
                min_value=0,
                max_value=most,
                initial=initial,
                required=False,
                widget=forms.NumberInput(attrs={"class": "qty-input", "inputmode": "numeric"}),
            )
            self.line_rows.append((line, most, name))
        # The line fields come first, in the order of the lines.
        self.fields = {**fields, **self.fields}

    def quantities(self) -> dict[int, int]:
        return {line.pk: self.cleaned_data.get(name) or 0 for line, _most, name in self.line_rows}

    def line_fields(self) -> list[tuple[Any, int, forms.BoundField]]:
        return [(line, most, self[name]) for line, most, name in self.line_rows]


class ManualShipForm(LineQuantities):
    """R-FUL-2: fulfil by hand."""

    shipping_point = forms.ChoiceField(
        label=_("Shipping point"), choices=ShippingPoint.choices, initial=ShippingPoint.LOCAL
    )
    carrier = forms.CharField(
        label=_("Carrier"), required=False, max_length=100, help_text=_("Required for international.")
    )
    tracking_number = forms.CharField(
        label=_("Tracking number"),
        required=False,
        max_length=100,
        help_text=_("Required for international."),
    )
    expected_delivery = _date(_("Expected delivery"))
    notify_customer = forms.BooleanField(
        label=_("Notify the customer"),
        required=False,
        initial=True,
        help_text=_("The customer is told that the order left when this shipment completes it."),
    )


class CarrierShipForm(LineQuantities):
    """R-FUL-3: what the carrier quotes; `service_code` is the rate chosen to buy."""

    account = forms.TypedChoiceField(label=_("Carrier account"), coerce=int)
    declared_value = forms.DecimalField(
        label=_("Declared value"),
        required=False,
        min_value=Decimal("0"),
        max_value=MAX_AMOUNT,
        max_digits=14,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    insurance = forms.BooleanField(label=_("Insure the parcel"), required=False)
    dangerous_goods = forms.BooleanField(label=_("Contains dangerous goods"), required=False)
    signature = forms.BooleanField(label=_("Signature on delivery"), required=False)
    drop_off_date = _date(_("Drop-off date"))
    service_code = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def __init__(self, *args: Any, accounts: Iterable[CarrierAccount] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["account"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(a.pk, a.name) for a in accounts]


class PackageForm(forms.Form):
    weight_g = forms.IntegerField(
        label=_("Weight, g"),
        min_value=1,
        max_value=1_000_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "data-requote": ""}),
    )
    length_cm = forms.IntegerField(
        label=_("Length, cm"),
        min_value=1,
        max_value=1000,
        widget=forms.NumberInput(attrs={"data-requote": ""}),
    )
    width_cm = forms.IntegerField(
        label=_("Width, cm"),
        min_value=1,
        max_value=1000,
        widget=forms.NumberInput(attrs={"data-requote": ""}),
    )
    height_cm = forms.IntegerField(
        label=_("Height, cm"),
        min_value=1,
        max_value=1000,
        widget=forms.NumberInput(attrs={"data-requote": ""}),
    )

    def package(self) -> Package:
        d = self.cleaned_data
        return Package(d["weight_g"], d["length_cm"], d["width_cm"], d["height_cm"])


PackageFormSet = forms.formset_factory(
    PackageForm, extra=0, min_num=1, validate_min=True, max_num=20, validate_max=True, absolute_max=20
)


class PartyForm(forms.Form):
    """A recipient or a shipper (prefilled from the order or the seller, editable)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    company = forms.CharField(label=_("Company"), required=False, max_length=200)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    email = forms.EmailField(label=_("E-mail"), required=False, max_length=254)
    country = forms.RegexField(
        label=_("Country (ISO code)"),
        regex=r"^[A-Za-z]{2}$",
        max_length=2,
        error_messages={"invalid": _("Two letters, e.g. DE.")},
    )
    postcode = forms.CharField(label=_("Postal code"), required=False, max_length=20)
    region = forms.CharField(label=_("Region"), required=False, max_length=200)
    city = forms.CharField(label=_("City"), required=False, max_length=200)
    line1 = forms.CharField(label=_("Street address"), required=False, max_length=200)
    line2 = forms.CharField(label=_("Address line 2"), required=False, max_length=200)

    def party(self) -> Party:
        d = {k: (v or "").strip() for k, v in self.cleaned_data.items()}
        d["country"] = d["country"].upper()
        return Party(**d)


def party_initial(party: Party) -> dict[str, str]:
    return dict(vars(party))


class ShipmentEditForm(forms.Form):
    """R-FUL-6: a manual shipment's carrier, tracking number, status (forward only) and date."""

    carrier = forms.CharField(label=_("Carrier"), required=False, max_length=100)
    tracking_number = forms.CharField(label=_("Tracking number"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"))
    expected_delivery = _date(_("Expected delivery"))
    notify_customer = forms.BooleanField(label=_("Notify the customer"), required=False)

    def __init__(self, *args: Any, current: str = ShipmentStatus.SHIPPED, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        now = ShipmentStatus(current)
        # Forward only, and never "canceled" (that is Void, with the carrier's say).
        allowed = [now, *sorted(NEXT[now] - {ShipmentStatus.CANCELED}, key=list(ShipmentStatus).index)]
        field = self.fields["status"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(s.value, LABELS[s]) for s in allowed]


class ReturnForm(LineQuantities):
    """R-FUL-10: returned units per line, restock, reason."""

    restock = forms.BooleanField(label=_("Put the units back in stock"), required=False, initial=True)
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


def parties_initial(recipient: Party, shipper: Party) -> Mapping[str, dict[str, str]]:
    return {"to": party_initial(recipient), "from": party_initial(shipper)}
