from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from sellerdesk.outbox import jobs
from sellerdesk.outbox.models import JobStatus, OutboxJob


class Command(BaseCommand):
    help = "List outbox jobs (`outbox list [--failed]`) or retry failed ones (`outbox retry ID… | --all-failed`)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]  # BaseCommand's own signature is untyped
        sub = parser.add_subparsers(dest="action", required=True)
        ls = sub.add_parser("list", help="the latest jobs")
        ls.add_argument("--failed", action="store_true", help="only failed jobs")
        ls.add_argument("--limit", type=int, default=50)
        rt = sub.add_parser("retry", help="run failed jobs again")
        rt.add_argument("ids", nargs="*", type=int)
        rt.add_argument("--all-failed", action="store_true")

    def handle(self, *args, **opts):  # type: ignore[no-untyped-def]  # BaseCommand's own signature is untyped
        if opts["action"] == "list":
            q = OutboxJob.objects.select_related("event").order_by("-id")
            if opts["failed"]:
                q = q.filter(status=JobStatus.FAILED)
            for job in q[: opts["limit"]]:
                error = job.last_error.strip().splitlines()[-1] if job.last_error.strip() else ""
                self.stdout.write(
                    f"{job.pk}\t{job.status}\t{job.attempts}/{job.max_attempts}\t{job.event.type}\t"
                    f"{job.handler}\t{error}"
                )
            return
        if not opts["ids"] and not opts["all_failed"]:
            raise CommandError("give job ids or --all-failed")
        ids = None if opts["all_failed"] else opts["ids"]
        if ids:
            known = set(
                OutboxJob.objects.filter(pk__in=ids, status=JobStatus.FAILED).values_list("pk", flat=True)
            )
            missing = sorted(set(ids) - known)
            if missing:
                raise CommandError(f"no failed job with id {', '.join(map(str, missing))}")
        n = jobs.retry(ids)
        self.stdout.write(f"{n} job(s) queued again")
