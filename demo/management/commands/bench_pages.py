"""Measure every public page against a page that does nothing, in one run, on the scale data."""

import http.client
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count, Q
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils.crypto import get_random_string

from commissions.models import Commission, CommissionMember, CommissionState
from core.actors import SYSTEM
from facilitation.public_views import home
from members.models import Entity, Membership, MembershipStatus, User
from networks import changes
from networks.models import Facilitator, Network, NetworkKind
from networks.scoping import all_networks
from networks.services import appoint_facilitator

SCALE_ENTITIES = 20_000
HOME_DRAWS = 50
# The web server sits behind the TLS proxy in production; it says so with this header.
# Every browser takes gzip: the load generator says so too, and receives gzip bodies.
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"}


ANONYMOUS = "anonymous"
HOST = "127.0.0.1"
# Mounted by `config.bench_urls` in the server only: this process has no such page.
TRIVIAL_PATH = "/bench/ok/"
# The facilitator the benchmark appoints where the scale data has none.
BENCH_FACILITATOR = "facilitacion-bench"


@dataclass
class Measured:
    """A page measured as one persona: the headers carry that persona's session cookie."""

    persona: str
    name: str
    path: str
    headers: dict[str, str]


@dataclass
class Result:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    failures: int


class Command(BaseCommand):
    help = (
        "Start gunicorn with the production settings over the scale data set (made first when "
        "the database holds fewer than 20,000 entities) and measure the requests per second of "
        "each public page and of a page that does nothing, in the same run. Uses wrk when "
        "installed, otherwise a load generator of its own; every request says "
        "`Accept-Encoding: gzip`, as browsers do. The page versions' change rows are folded "
        "first, as beat does every ten minutes. Prints numbers; checks nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8001)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--seconds", type=int, default=10, help="per page")
        parser.add_argument("--connections", type=int, default=16)
        parser.add_argument("--threads", type=int, default=2, help="wrk's threads")
        parser.add_argument(
            "--python-load", action="store_true", help="use the built-in load generator"
        )

    def handle(self, *args, **options):
        if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
            raise CommandError(
                "The benchmark runs on PostgreSQL: set DATABASE_URL (and REDIS_URL)."
            )
        server = self.server(options)
        # A fresh database is brought up to date first, as `./dev start` does.
        call_command("migrate", interactive=False, verbosity=0)
        with all_networks():
            if Entity.objects.count() < SCALE_ENTITIES:
                self.stdout.write("Generating the scale data set first.")
                call_command("generate_scale_data", stdout=self.stdout)
            pages = [Measured(ANONYMOUS, name, path, {}) for name, path in self.pages()]
            pages += self.signed_in_pages(self.busiest_network(), secret_key=server.secret_key)
        changes.compact()
        with connection.cursor() as cursor:
            # Statistics as autovacuum keeps them on a live server, whatever it has done yet.
            cursor.execute("ANALYZE")
        queries = self.queries_drawn(pages, secret_key=server.secret_key)
        base = f"http://127.0.0.1:{options['port']}"
        use_wrk = shutil.which("wrk") is not None and not options["python_load"]
        self.stdout.write(
            f"Load: {'wrk' if use_wrk else 'built-in generator'}, {options['connections']} "
            f"connections, {options['seconds']} s per page, gunicorn with "
            f"{options['workers']} sync workers, DEBUG off, Accept-Encoding: gzip."
        )
        results = {}
        try:
            with server:
                for page in pages:
                    label = f"{page.name} ({page.persona})"
                    status = self.first_status(base + page.path, page.headers)
                    if status != 200:
                        self.stdout.write(f"  {label} ({page.path}) answers {status}")
                    if use_wrk:
                        result = self.wrk(base + page.path, options, page.headers)
                    else:
                        result = self.python_load(base + page.path, options, page.headers)
                    results[page.persona, page.name] = result
                    self.stdout.write(f"  {label}: {result.requests_per_second:,.0f} requests/s")
        finally:
            self.sign_out(pages)
        self.table(pages, results, queries)
        self.home_in_process()

    def busiest_network(self) -> Network:
        """The regional network with the most active members: the one every page is read in."""
        network = (
            Network.objects.exclude(kind=NetworkKind.NATIONAL)
            .annotate(
                active=Count("memberships", filter=Q(memberships__status=MembershipStatus.ACTIVE))
            )
            .order_by("-active", "pk")
            .first()
        )
        if network is None:
            raise CommandError("There is no regional network to measure.")
        return network

    def pages(self) -> list[tuple[str, str]]:
        """The trivial page first, then a regional network with the most members, and its things."""
        network = self.busiest_network()
        membership = (
            Membership.objects.filter(network=network, status=MembershipStatus.ACTIVE)
            .select_related("entity")
            .order_by("pk")
            .first()
        )
        commission = (
            Commission.objects.filter(network=network)
            .exclude(state=CommissionState.CLOSED)
            .order_by("pk")
            .first()
        )
        if membership is None or commission is None:
            raise CommandError(f"{network} has no active member or no open commission.")
        slug = {"network_slug": network.slug}
        return [
            ("trivial view", TRIVIAL_PATH),
            ("home", reverse("home")),
            ("network page", reverse("networks:detail", kwargs=slug)),
            ("directory", reverse("members:directory", kwargs=slug)),
            (
                "entity profile",
                reverse("members:entity", kwargs={**slug, "entity_slug": membership.entity.slug}),
            ),
            (
                "commission page",
                reverse("commissions:detail", kwargs={**slug, "commission_id": commission.pk}),
            ),
            ("entities API list", reverse("api:entities", kwargs=slug)),
        ]

    def signed_in_pages(self, network: Network, *, secret_key: str) -> list[Measured]:
        """The pages of a member entity's representative and of the facilitator, signed in.

        The member speaks for an active member entity that sits in an open
        commission of the network: its "My network" and that commission's page.
        The facilitator is the network's (appointed here when the scale data has
        none): the facilitation overview and the members page. Each persona's
        session is written in the database under the server's key, as a login
        would, and its cookie goes with every request.
        """
        seat = (
            CommissionMember.objects.filter(
                network=network,
                commission__network=network,
                entity__memberships__network=network,
                entity__memberships__status=MembershipStatus.ACTIVE,
                entity__memberships__representative__isnull=False,
            )
            .exclude(commission__state=CommissionState.CLOSED)
            .order_by("pk")
            .first()
        )
        if seat is None:
            raise CommandError(f"{network} has no member entity sitting in an open commission.")
        member = Membership.objects.get(network=network, entity_id=seat.entity_id).representative
        if member is None:
            raise CommandError(f"The entity sitting in {seat.commission} has no representative.")
        slug = {"network_slug": network.slug}
        member_cookie = self.session_cookie(member, secret_key=secret_key)
        facilitator_cookie = self.session_cookie(
            self.facilitator_of(network), secret_key=secret_key
        )
        return [
            Measured("member", "my network", reverse("workspace:home"), member_cookie),
            Measured(
                "member",
                "commission page",
                reverse("commissions:detail", kwargs={**slug, "commission_id": seat.commission_id}),
                member_cookie,
            ),
            Measured(
                "facilitator",
                "facilitation overview",
                reverse("facilitation:overview", kwargs=slug),
                facilitator_cookie,
            ),
            Measured(
                "facilitator",
                "members page",
                reverse("facilitation:members", kwargs=slug),
                facilitator_cookie,
            ),
        ]

    def facilitator_of(self, network: Network) -> User:
        """The network's current facilitator, or one appointed for the benchmark."""
        current = (
            Facilitator.objects.filter(network=network, ended_on__isnull=True)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if current is not None:
            return current.user
        user, _created = User.objects.get_or_create(
            username=f"{BENCH_FACILITATOR}-{network.slug}",
            defaults={
                "email": f"{BENCH_FACILITATOR}@{network.slug}.example.org",
                "first_name": "Facilitación",
                "last_name": "de pruebas",
            },
        )
        appoint_facilitator(network=network, user=user, by=SYSTEM)
        return user

    def session_cookie(self, user: User, *, secret_key: str) -> dict[str, str]:
        """A session signed in as `user`, as the server (with its own key) will read it.

        The person's address is marked verified, as after sign-up: the scale
        data's people never signed up, and the pages of a person whose address
        is not verified only ask them to verify it.
        """
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        session = import_module(settings.SESSION_ENGINE).SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "members.backends.ModelBackend"
        # The server reads the session's data, signed, and checks this hash
        # against the password, both under its own key.
        with override_settings(SECRET_KEY=secret_key):
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
        # A browser that has seen a page with a form holds its CSRF cookie too.
        csrf = get_random_string(CSRF_SECRET_LENGTH, allowed_chars=CSRF_ALLOWED_CHARS)
        return {
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}; "
            f"{settings.CSRF_COOKIE_NAME}={csrf}"
        }

    def sign_out(self, pages: list[Measured]) -> None:
        """Delete the sessions the benchmark wrote."""
        prefix = f"{settings.SESSION_COOKIE_NAME}="
        for cookie in {page.headers.get("Cookie", "") for page in pages} - {""}:
            session_cookie = cookie.split(";")[0]
            store = import_module(settings.SESSION_ENGINE).SessionStore
            store(session_key=session_cookie.removeprefix(prefix)).delete()

    def home_in_process(self) -> None:
        """The home view's own time, drawn in this process with no page cache.

        Its cost should follow the networks it shows, not the entities: compare the
        line this prints on 20,000 and on 200,000 entities.
        """
        factory = RequestFactory()

        def draw() -> None:
            request = factory.get(reverse("home"), secure=True)
            request.user = AnonymousUser()
            home(request)

        draw()  # the first draw counts again the networks whose counters are old
        times = []
        for _ in range(HOME_DRAWS):
            started = time.perf_counter()
            draw()
            times.append((time.perf_counter() - started) * 1000)
        self.stdout.write(
            f"Home page drawn in this process, uncached, over {HOME_DRAWS} draws: median "
            f"{statistics.median(times):.1f} ms, fastest {min(times):.1f} ms."
        )

    def server(self, options):
        return GunicornServer(options, self.stdout)

    def first_status(self, url: str, headers: dict[str, str] | None = None) -> int:
        parts = urlsplit(url)
        connection = http.client.HTTPConnection(
            parts.hostname or "127.0.0.1", parts.port, timeout=60
        )
        try:
            connection.request("GET", parts.path, headers={**PROXY_HEADERS, **(headers or {})})
            return connection.getresponse().status
        finally:
            connection.close()

    def wrk(self, url: str, options, headers: dict[str, str] | None = None) -> Result:
        command = [
            "wrk",
            f"-t{options['threads']}",
            f"-c{options['connections']}",
            f"-d{options['seconds']}s",
            "--latency",
            "--timeout",
            "30s",
        ]
        for name, value in {**PROXY_HEADERS, **(headers or {})}.items():
            command += ["-H", f"{name}: {value}"]
        output = subprocess.run(  # noqa: S603 (a fixed command line)
            [*command, url], capture_output=True, text=True, check=True
        ).stdout
        rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
        failures = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
        return Result(
            requests_per_second=float(rate.group(1)) if rate else 0.0,
            p50_ms=wrk_latency(output, "50%"),
            p99_ms=wrk_latency(output, "99%"),
            failures=int(failures.group(1)) if failures else 0,
        )

    def python_load(self, url: str, options, headers: dict[str, str] | None = None) -> Result:
        """Keep-alive connections, each on its own thread, asking one after the other."""
        parts = urlsplit(url)
        sent = {**PROXY_HEADERS, **(headers or {})}
        deadline = time.monotonic() + options["seconds"]
        latencies: list[float] = []
        failures = [0]
        lock = threading.Lock()

        def drive():
            connection = http.client.HTTPConnection(
                parts.hostname or "127.0.0.1", parts.port, timeout=60
            )
            mine, failed = [], 0
            while time.monotonic() < deadline:
                started = time.perf_counter()
                try:
                    connection.request("GET", parts.path, headers=sent)
                    response = connection.getresponse()
                    response.read()
                    if response.status >= 300:
                        failed += 1
                except (OSError, http.client.HTTPException):
                    failed += 1
                    connection.close()
                    connection = http.client.HTTPConnection(
                        parts.hostname or "127.0.0.1", parts.port, timeout=60
                    )
                mine.append(time.perf_counter() - started)
            connection.close()
            with lock:
                latencies.extend(mine)
                failures[0] += failed

        started = time.monotonic()
        threads = [threading.Thread(target=drive) for _ in range(options["connections"])]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        latencies.sort()

        def percentile(share):
            return latencies[min(len(latencies) - 1, int(len(latencies) * share))] * 1000

        return Result(
            requests_per_second=len(latencies) / elapsed,
            p50_ms=percentile(0.5) if latencies else 0.0,
            p99_ms=percentile(0.99) if latencies else 0.0,
            failures=failures[0],
        )

    def queries_drawn(
        self, pages: list[Measured], *, secret_key: str
    ) -> dict[tuple[str, str], int | None]:
        """The queries each page makes when it is drawn, not answered from the page cache.

        Drawn in this process, under the server's key (which signed the sessions),
        twice: the first draw settles what a running server keeps between requests
        (the session in the cache, the home page's counters); the second is counted.
        The trivial page is the server's alone (`config.bench_urls`): it has none.
        """
        counts: dict[tuple[str, str], int | None] = {}
        with override_settings(PAGE_CACHE=False, SECRET_KEY=secret_key, ALLOWED_HOSTS=[HOST]):
            for page in pages:
                if page.path == TRIVIAL_PATH:
                    counts[page.persona, page.name] = None
                    continue
                client = Client(HTTP_HOST=HOST, HTTP_COOKIE=page.headers.get("Cookie", ""))
                client.get(page.path, secure=True)
                with CaptureQueriesContext(connection) as drawn:
                    client.get(page.path, secure=True)
                counts[page.persona, page.name] = len(drawn.captured_queries)
        return counts

    def table(
        self,
        pages: list[Measured],
        results: dict[tuple[str, str], Result],
        queries: dict[tuple[str, str], int | None],
    ) -> None:
        trivial = results[pages[0].persona, pages[0].name].requests_per_second or 1.0
        self.stdout.write("")
        self.stdout.write(
            "| persona | page | requests/s | share of the trivial view | p50 ms | p99 ms "
            "| non-2xx | queries drawn |"
        )
        self.stdout.write("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for page in pages:
            result = results[page.persona, page.name]
            share = 100 * result.requests_per_second / trivial
            drawn = queries[page.persona, page.name]
            self.stdout.write(
                f"| {page.persona} | {page.name} | {result.requests_per_second:,.0f} "
                f"| {share:.1f} % | {result.p50_ms:.1f} | {result.p99_ms:.1f} "
                f"| {result.failures} | {'—' if drawn is None else drawn} |"
            )


def wrk_latency(output: str, percentile: str) -> float:
    """wrk's latency at this percentile, in milliseconds."""
    found = re.search(rf"^\s*{re.escape(percentile)}\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
    if not found:
        return 0.0
    value, unit = float(found.group(1)), found.group(2)
    return value * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


class GunicornServer:
    """gunicorn with the production settings and the trivial page, stopped on the way out."""

    def __init__(self, options, stdout):
        self.options = options
        self.stdout = stdout
        self.process: subprocess.Popen | None = None
        # Known before the server starts, so that the signed-in personas' sessions match it.
        self.secret_key = os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50)

    def environment(self) -> dict[str, str]:
        environment = dict(os.environ)
        environment.pop("DEBUG", None)
        environment["SECRET_KEY"] = self.secret_key
        environment["DJANGO_SETTINGS_MODULE"] = "config.bench_settings"
        environment["ALLOWED_HOSTS"] = "127.0.0.1"
        # Every request comes from one address here, where visitors are many: the
        # API's limit per visitor would measure itself, not the API.
        environment["API_THROTTLE_ANONYMOUS"] = ""
        return environment

    def __enter__(self):
        environment = self.environment()
        root = Path(settings.BASE_DIR)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity=0"],
            cwd=root,
            env=environment,
            check=True,
        )
        log = root / "var" / "bench-gunicorn.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        gunicorn = Path(sys.executable).with_name("gunicorn")
        with log.open("w") as output:
            self.process = subprocess.Popen(  # noqa: S603 (a fixed command line)
                [
                    str(gunicorn),
                    "config.wsgi",
                    f"--workers={self.options['workers']}",
                    "--worker-class=sync",
                    f"--bind=127.0.0.1:{self.options['port']}",
                    "--log-level=warning",
                ],
                cwd=root,
                env=environment,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        self.wait_until_it_answers()
        return self

    def wait_until_it_answers(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise CommandError("gunicorn stopped: see var/bench-gunicorn.log")
            try:
                connection = http.client.HTTPConnection(
                    "127.0.0.1", self.options["port"], timeout=2
                )
                connection.request("GET", TRIVIAL_PATH, headers=PROXY_HEADERS)
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise CommandError("gunicorn did not answer within a minute: see var/bench-gunicorn.log")

    def __exit__(self, *exc_info):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
