import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo import demo_data
from demo.loader import load_demo


class Command(BaseCommand):
    help = (
        "Load the Soy Voluntari@ demo: the national network, its six regional networks with "
        "their entities, commissions, events and decisions, a demo facilitator and a demo site "
        "admin, dated from today. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even with DEBUG off (the demo accounts have a published password).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "The demo creates accounts with a published password: run it with DEBUG=1, "
                "or pass --force if this really is a demonstration site."
            )
        started = time.monotonic()
        demo = load_demo()
        for line in demo.report:
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready in {time.monotonic() - started:.1f} s ({demo.created} rows created)."
            )
        )
        self.stdout.write(
            f"Facilitator login: {demo_data.FACILITATOR.email} / {demo_data.DEMO_PASSWORD}"
        )
        self.stdout.write(
            f"Second country:    {demo_data.SECOND_COUNTRY_FACILITATOR.email} / "
            f"{demo_data.DEMO_PASSWORD}"
        )
        self.stdout.write(
            f"Site admin login:  {demo_data.SITE_ADMIN.email} / {demo_data.DEMO_PASSWORD}"
        )
