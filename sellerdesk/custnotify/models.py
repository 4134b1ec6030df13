"""A seller's own customer templates and switches (R-NOTE-2). No row means the default."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .catalogue import CHANNELS, KIND_CHOICES, LANGUAGES

CHANNEL_CHOICES = [(c, c) for c in CHANNELS]
LANGUAGE_CHOICES = [(code, code) for code in LANGUAGES]


class CustomerTemplate(models.Model):
    """One (kind, channel, language) of one seller: on or off, and its text.

    Blank subject and body mean the default text of the catalogue (in that language); "reset to
    default" blanks them and keeps the switch.
    """

    seller = models.ForeignKey("accounts.Seller", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32, choices=KIND_CHOICES)
    channel = models.CharField(max_length=8, choices=CHANNEL_CHOICES)
    language = models.CharField(max_length=8, choices=LANGUAGE_CHOICES)
    enabled = models.BooleanField()
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField(max_length=5000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "kind", "channel", "language"], name="custnotify_template_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}/{self.channel}/{self.language}"


class CustomerNotifySettings(models.Model):
    """The seller's default language for customers whose language is not known (R-NOTE-2)."""

    seller = models.OneToOneField("accounts.Seller", on_delete=models.CASCADE, related_name="+")
    default_language = models.CharField(
        _("Default language"), max_length=8, choices=[("en", "English"), ("ru", "Русский")]
    )
