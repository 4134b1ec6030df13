"""Outbox rows: one per recorded event, one job per (event, handler), guards and periodic runs."""

from __future__ import annotations

from django.db import models


class OutboxEvent(models.Model):
    """One row per recorded event, written in the transaction of the change (the transactional outbox).

    Written even when no handler is registered for the type: integrators' webhooks read it later.
    """

    event_id = models.BigIntegerField(unique=True)
    order_id = models.BigIntegerField(null=True, db_index=True)
    type = models.CharField(max_length=40)
    version = models.PositiveSmallIntegerField(default=1)  # of the event type's payload schema
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.type} #{self.event_id}"


class JobStatus(models.TextChoices):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class OutboxJob(models.Model):
    """One handler to run for one event. `key` (event id + handler) is its idempotency key."""

    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="jobs")
    handler = models.CharField(max_length=200)  # dotted path of the handler function
    key = models.CharField(max_length=255, unique=True)
    status = models.CharField(max_length=8, choices=JobStatus.choices, default=JobStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField()
    next_run_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True)
    worker_id = models.CharField(max_length=64, blank=True)
    task_id = models.CharField(max_length=64, blank=True)  # the django-tasks result running it
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "lease_until"], name="outbox_job_status_lease")]

    def __str__(self) -> str:
        return self.key


class Once(models.Model):
    """Idempotency guard: a key written in the transaction of the effect it guards."""

    key = models.CharField(max_length=255, unique=True)
    created_at = models.DateTimeField()


class PeriodicRun(models.Model):
    """One row per (periodic job, period): the unique constraint makes one worker win the period."""

    name = models.CharField(max_length=100)
    period_start = models.DateTimeField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "period_start"], name="outbox_periodic_once")]
