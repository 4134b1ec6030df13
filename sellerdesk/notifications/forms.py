"""The notification settings form: a checkbox per (event, channel), a phone for SMS, a language."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sellerdesk.core.phones import e164

from .models import Channel, StaffSettings
from .staff import EVENTS, chosen_channels


def field_name(event: str, channel: str) -> str:
    return f"{event}-{channel}"


class SettingsForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile phone for SMS"),
        required=False,
        max_length=32,
        help_text=_("In international form, e.g. +49 151 12345678. Leave empty for no SMS."),
    )
    language = forms.ChoiceField(label=_("Language of notifications"), choices=settings.LANGUAGES)

    def __init__(self, *args: Any, staff_settings: StaffSettings, region: str = "RU", **kw: Any) -> None:
        user = staff_settings.user
        initial: dict[str, Any] = {"phone": staff_settings.phone, "language": staff_settings.language}
        for event in EVENTS:
            on = chosen_channels(user, event, staff_settings)
            for channel in Channel.values:
                initial[field_name(event, channel)] = channel in on
        kw["initial"] = initial
        super().__init__(*args, **kw)
        self.region = region
        for event, spec in EVENTS.items():
            for channel, label in Channel.choices:
                self.fields[field_name(event, channel)] = forms.BooleanField(
                    label=f"{spec.label}: {label}", required=False
                )

    def clean_phone(self) -> str:
        raw: str = self.cleaned_data.get("phone", "").strip()
        if not raw:
            return ""
        number = e164(raw, self.region)
        if number is None:
            raise forms.ValidationError(_("This is not a valid phone number."))
        return number

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        sms = any(data.get(field_name(e, Channel.SMS)) for e in EVENTS)
        if sms and not data.get("phone") and "phone" not in self.errors:
            self.add_error("phone", _("SMS needs a phone number."))
        return data

    def channels(self) -> dict[str, list[str]]:
        return {
            event: [c for c in Channel.values if self.cleaned_data.get(field_name(event, c))]
            for event in EVENTS
        }

    def rows(self) -> list[dict[str, Any]]:
        """The table the page shows: one row per event, one checkbox per channel."""
        return [
            {
                "event": spec,
                "cells": [
                    (channel, label, self[field_name(event, channel)]) for channel, label in Channel.choices
                ],
            }
            for event, spec in EVENTS.items()
        ]
