"""Forms of the order page, its actions, the on-behalf order, the CSV import and stock.

Forms only check shape (types, lengths, choices); the services hold the rules. A
DomainError from a service is put back on the form with `add_domain_error`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sellerdesk.core.errors import DomainError
from sellerdesk.orders.methods import CANCEL_REASON_CHOICES, PAYMENT_CHOICES, SHIPPING_CHOICES
from sellerdesk.orders.rules import MAX_AMOUNT, MAX_NAME, MAX_QUANTITY, missing_address_fields


def add_domain_error(form: forms.Form, error: DomainError, field_map: dict[str, str] | None = None) -> None:
    """Put a service's refusal on the form: on its field when the form has one, else on the form."""
    field = str(error.extra.get("field") or "")
    field = (field_map or {}).get(field, field)
    if field in form.fields:
        form.add_error(field, error.detail)
    else:
        form.add_error(None, error.detail)


def _aware(value: dt.datetime | None, time_zone: str) -> dt.datetime | None:
    """A datetime-local value is in the seller's time zone."""
    if value is None:
        return None
    if timezone.is_aware(value):  # the form field made it aware in the current zone: undo that
        value = timezone.make_naive(value)
    if timezone.is_naive(value):
        try:
            zone = ZoneInfo(time_zone)
        except (KeyError, ValueError):
            zone = ZoneInfo("UTC")
        value = value.replace(tzinfo=zone)
    return value


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


# --- order actions ---------------------------------------------------------------


class CancelForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", _("Choose a reason…")), *CANCEL_REASON_CHOICES],
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the reason is “Other”."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reason") == "other" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say why the order is cancelled."))
        return data


class MarkPaidForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount"),
        required=False,
        min_value=Decimal("0.0001"),
        max_value=MAX_AMOUNT,
        max_digits=14,
        decimal_places=4,
        help_text=_("Leave empty to record the whole outstanding balance."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    reference = forms.CharField(label=_("Reference"), required=False, max_length=200)


def _money_field(label: Any, help_text: Any = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal("0"),
        max_value=MAX_AMOUNT,
        max_digits=14,
        decimal_places=4,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "placeholder": "0.00"}),
    )


class RefundForm(forms.Form):
    """A refund (R-PAY-4): returned units per line (fields `qty_<line id>`), shipping, adjustments."""

    shipping = _money_field(_("Refund shipping"))
    adjustment_refund = _money_field(_("Adjustment refund"), _("An extra amount given back."))
    adjustment_fee = _money_field(_("Adjustment fee"), _("Kept back, e.g. a restocking fee."))
    restock = forms.BooleanField(label=_("Put returned units back in stock"), required=False)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)

    def __init__(self, *args: Any, lines: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]  # an empty tuple as the immutable default
        super().__init__(*args, **kwargs)
        self.line_fields = []
        for line in lines:
            name = f"qty_{line.pk}"
            self.fields[name] = forms.IntegerField(
                label=_("Returned units of %(sku)s") % {"sku": line.sku},
                required=False,
                min_value=0,
                max_value=line.quantity,
                widget=forms.NumberInput(attrs={"class": "input-qty", "placeholder": "0"}),
            )
            self.line_fields.append((line, name))

    def quantities(self) -> dict[int, int]:
        return {
            line.pk: self.cleaned_data[name] for line, name in self.line_fields if self.cleaned_data.get(name)
        }


class ManagerForm(forms.Form):
    manager = forms.ChoiceField(label=_("Manager"), required=False)

    def __init__(self, *args: Any, staff: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]  # an empty tuple as the immutable default
        super().__init__(*args, **kwargs)
        field = self.fields["manager"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Nobody"))] + [(str(u.pk), u.label) for u in staff]

    @property
    def manager_id(self) -> int | None:
        value = self.cleaned_data.get("manager")
        return int(value) if value else None


class ChangeCustomerForm(forms.Form):
    customer_id = forms.IntegerField(label=_("Customer"), min_value=1, widget=forms.HiddenInput)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    remind_at = forms.DateTimeField(
        label=_("Remind me at"),
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        help_text=_("Optional. You are reminded at this time (your seller's time zone)."),
    )

    def __init__(self, *args: Any, time_zone: str = "UTC", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.time_zone = time_zone

    def clean_text(self) -> str:
        text = (self.cleaned_data.get("text") or "").strip()
        if not text:
            raise forms.ValidationError(_("A note needs some text."))
        return text

    def clean_remind_at(self) -> dt.datetime | None:
        return _aware(self.cleaned_data.get("remind_at"), self.time_zone)


# --- a new order on the customer's behalf (R-IN-2) ----------------------------------


class NewOrderForm(forms.Form):
    customer_id = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    customer_name = forms.CharField(label=_("Customer name"), required=False, max_length=MAX_NAME)
    customer_email = forms.EmailField(label=_("E-mail"), required=False, max_length=254)
    customer_phone = forms.CharField(label=_("Phone"), required=False, max_length=40)

    shipping_method = forms.ChoiceField(label=_("Shipping method"), choices=SHIPPING_CHOICES)
    shipping_price = forms.DecimalField(
        label=_("Shipping price"),
        required=False,
        min_value=Decimal("0"),
        max_value=MAX_AMOUNT,
        max_digits=14,
        decimal_places=4,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    payment_method = forms.ChoiceField(label=_("Payment method"), choices=PAYMENT_CHOICES)
    currency = forms.CharField(label=_("Currency"), max_length=3, min_length=3)

    country = forms.CharField(label=_("Country (ISO code)"), required=False, max_length=2)
    region = forms.CharField(label=_("Region"), required=False, max_length=100)
    city = forms.CharField(label=_("City"), required=False, max_length=100)
    postal_code = forms.CharField(label=_("Postal code"), required=False, max_length=20)
    line1 = forms.CharField(label=_("Street address"), required=False, max_length=200)

    def clean_currency(self) -> str:
        return (self.cleaned_data.get("currency") or "").upper()

    def clean_country(self) -> str:
        return (self.cleaned_data.get("country") or "").upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("customer_id") and not (data.get("customer_name") or "").strip():
            self.add_error("customer_name", _("Choose an existing customer or type a new customer's name."))
        if data.get("shipping_method"):
            for name in missing_address_fields(data["shipping_method"], data):
                if name not in self.errors:
                    self.add_error(name, _("Required unless the order is digital."))
        return data

    def address(self) -> dict[str, str]:
        keys = ("country", "region", "city", "postal_code", "line1")
        return {k: self.cleaned_data[k].strip() for k in keys if (self.cleaned_data.get(k) or "").strip()}


class LineForm(forms.Form):
    sku = forms.CharField(label=_("SKU"), max_length=64, required=False)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=MAX_QUANTITY, required=False)
    unit_price = forms.DecimalField(
        label=_("Unit price"),
        required=False,
        min_value=Decimal("0"),
        max_value=MAX_AMOUNT,
        max_digits=14,
        decimal_places=4,
        help_text=_("Empty: the product's price."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        sku = (data.get("sku") or "").strip()
        data["sku"] = sku
        if sku and not data.get("quantity") and "quantity" not in self.errors:
            self.add_error("quantity", _("How many?"))
        if not sku and (data.get("quantity") or data.get("unit_price") is not None):
            self.add_error("sku", _("Which product?"))
        return data


class BaseLineFormSet(forms.BaseFormSet):  # type: ignore[type-arg]  # the form class is set at runtime by formset_factory
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        if not any((f.cleaned_data or {}).get("sku") for f in self.forms):
            raise forms.ValidationError(_("An order needs at least one product line."))


LineFormSet = forms.formset_factory(
    LineForm, formset=BaseLineFormSet, extra=3, max_num=50, validate_max=True, absolute_max=60
)


# --- CSV import (R-IN-4) and stock (R-INV-3) --------------------------------------------


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("UTF-8, comma-separated, at most 2 MB."))


class ShipmentUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("CSV in UTF-8 or an Excel workbook (first sheet), at most 2 MB."),
    )


class ShipFromForm(forms.Form):
    """The seller's ship-from details and the R-PAY-7 policy (shipping settings)."""

    name = forms.CharField(label=_("Sender name"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), max_length=254, required=False)
    country = forms.RegexField(
        label=_("Country"),
        regex=r"^[A-Za-z]{2}$",
        max_length=2,
        required=False,
        help_text=_("Two letters (ISO 3166-1), e.g. RU or DE."),
        error_messages={"invalid": _("Two letters, e.g. RU or DE.")},
    )
    postcode = forms.CharField(label=_("Postcode"), max_length=20, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    line1 = forms.CharField(label=_("Address"), max_length=200, required=False)
    ship_unpaid_allowed = forms.BooleanField(
        label=_("Allow shipping unpaid orders"),
        required=False,
        help_text=_("Off: an order ships only once paid, or when it is paid on delivery."),
    )


class CarrierAccountForm(forms.Form):
    """A new CDEK account. The client secret is stored encrypted and never shown again."""

    name = forms.CharField(label=_("Account name"), max_length=100)
    base_url = forms.URLField(
        label=_("API base URL"),
        max_length=300,
        assume_scheme="https",
        help_text=_("CDEK's test server is https://api.edu.cdek.ru, production https://api.cdek.ru."),
    )
    client_id = forms.CharField(label=_("Client id (Account)"), max_length=200)
    client_secret = forms.CharField(
        label=_("Client secret (Secure password)"),
        max_length=200,
        widget=forms.PasswordInput(render_value=False),
    )


class StockForm(forms.Form):
    stock = forms.IntegerField(label=_("Stock on hand"), min_value=0, max_value=10_000_000)


class MetricLimitForm(forms.Form):
    """A seller's own limit and warning level for one metric (R-SLA-5); both blank: the default."""

    metric = forms.CharField(max_length=40)
    limit = forms.DecimalField(label=_("Limit"), required=False, max_digits=10, decimal_places=3)
    warning = forms.DecimalField(label=_("Warning from"), required=False, max_digits=10, decimal_places=3)


def error_list(*forms_: Any) -> list[tuple[str, str, str]]:
    """(field id, label, message) for every error of the given forms/formsets, for the error summary."""
    out: list[tuple[str, str, str]] = []
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        if isinstance(form, forms.BaseFormSet):
            for message in form.non_form_errors():
                out.append(("", "", str(message)))
            out.extend(error_list(*form.forms))
            continue
        for message in form.non_field_errors():
            out.append(("", "", str(message)))
        for name, errors in form.errors.items():
            if name == NON_FIELD_ERRORS or name not in form.fields:
                continue
            bound = form[name]
            target = bound.id_for_label if not bound.is_hidden else ""
            for message in errors:
                out.append((target, str(bound.label), str(message)))
    return out


class WebhookForm(forms.Form):
    """A webhook subscription (R-NOTE-7): the endpoint and the event types it receives."""

    url = forms.CharField(
        label=_("Endpoint URL"),
        max_length=2000,
        help_text=_("https:// address of your integration; it must resolve to a public address."),
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    event_types = forms.MultipleChoiceField(
        label=_("Event types"), widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from sellerdesk.webhooks.services import event_type_choices

        super().__init__(*args, **kwargs)
        self.fields["event_types"].choices = [(t, t) for t in event_type_choices()]  # type: ignore[attr-defined]  # a ChoiceField


WEEKDAY_CHOICES = [
    ("1", _("Monday")),
    ("2", _("Tuesday")),
    ("3", _("Wednesday")),
    ("4", _("Thursday")),
    ("5", _("Friday")),
    ("6", _("Saturday")),
    ("7", _("Sunday")),
]
MISS_CHOICES = [("cancel", _("Cancel the order")), ("flag", _("Flag it as overdue only"))]


class DeadlinePolicyForm(forms.Form):
    """The seller's deadline policy (R-SLA). Types only: the rules of a valid policy are the
    writer's (orders/policy.py), whose refusals are shown on their fields."""

    time_zone = forms.ChoiceField(label=_("Time zone"))
    country = forms.ChoiceField(label=_("Country"), help_text=_("Its public holidays are not business days."))
    working_days = forms.MultipleChoiceField(
        label=_("Working days"), choices=WEEKDAY_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    confirm_within_hours = forms.IntegerField(
        label=_("Confirm within (hours)"),
        help_text=_("Counted from placement, nights and weekends included."),
    )
    ship_within_business_days = forms.IntegerField(
        label=_("Ship within (business days)"),
        help_text=_("Counted from confirmation, to the end of the day."),
    )
    auto_close_days = forms.IntegerField(
        label=_("Close delivered orders after (days)"),
        help_text=_("Counted from placement, or from an agreed date."),
    )
    confirm_miss_action = forms.ChoiceField(
        label=_("When confirm-by passes"), choices=MISS_CHOICES, widget=forms.RadioSelect
    )
    ship_miss_action = forms.ChoiceField(
        label=_("When ship-by passes"), choices=MISS_CHOICES, widget=forms.RadioSelect
    )
    confirm_warn_hours = forms.IntegerField(label=_("Warn before confirm-by (hours)"))
    ship_warn_hours = forms.IntegerField(label=_("Warn before ship-by (hours)"))
    close_warn_hours = forms.IntegerField(
        label=_("Warn before auto-close (hours)"), help_text=_("0: no warning.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from sellerdesk.orders.policy import countries, time_zones

        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [(z, z) for z in time_zones()]  # type: ignore[attr-defined]  # a ChoiceField
        self.fields["country"].choices = [(c, c) for c in countries()]  # type: ignore[attr-defined]  # a ChoiceField


class DayOffForm(forms.Form):
    day = forms.DateField(label=_("Day off"), widget=forms.DateInput(attrs={"type": "date"}))
