"""The demo shows a living network: figures on the facilitator's overview, work for the jobs."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from commissions.lifecycle import sweep_commissions
from commissions.models import Commission, CommissionState
from demo.parts.announcements import VOLUNTEER_WEEK
from events import reminders
from events.models import Event, EventKind, Minutes
from members.models import Membership, MembershipStatus, User
from networks.models import Interlocutor, Network
from networks.scoping import all_networks, network_scope

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.SECURE_SSL_REDIRECT = False
    call_command("load_demo", force=True, stdout=io.StringIO())


def figures(page):
    """The numbers of the overview's figures, in the order they are shown."""
    return [int(number) for number in re.findall(r'class="figure-number">(\d+)', page)]


def test_the_facilitators_overview_shows_events_participation_a_stalled_and_a_vacant_one(
    demo, client
):
    client.force_login(User.objects.get(email="facilitadora@example.org"))

    page = client.get(reverse("facilitation:overview", kwargs={"network_slug": "lima"}))

    assert page.status_code == 200
    html = page.content.decode()
    active, applications, vacant, stalled, _turnover, participation = figures(html)[:6]
    assert (active, vacant, stalled) == (105, 1, 1)
    assert applications == 3
    assert participation > 0
    assert "Plenaria ordinaria: cierre del año" in html
    assert "Día Global del Servicio Juvenil" in html  # vacant, closing in a few days
    # The networks that celebrate the Volunteer Day: its events coming, participation in the past.
    for slug, title in (
        ("arequipa", "Conferencia de prensa: Semana del Voluntariado"),
        ("piura", "¡Voluntarios de Piura aportando al desarrollo sostenible!"),
        ("tumbes", "Concierto del voluntariado"),
    ):
        html = client.get(
            reverse("facilitation:overview", kwargs={"network_slug": slug})
        ).content.decode()
        assert figures(html)[5] > 0, slug
        assert title in html, slug


def test_the_reference_is_in_it_and_the_jobs_have_work_the_first_time_they_run(demo):
    with all_networks():
        days = Event.objects.filter(kind=EventKind.VOLUNTEER_DAY)
        assert set(days.values_list("network__slug", flat=True)) == {"arequipa", "piura", "tumbes"}
        # The Volunteer Week coming; that of 2014 is in the yearly report's part.
        assert days.filter(network__slug="arequipa", starts_at__year__gt=2014).count() == 4
        assert Minutes.objects.filter(published_at__isnull=False).count() >= 4
        regional = Network.objects.filter(parent__slug="nacional").exclude(slug="lima")
        assert Interlocutor.objects.filter(ended_at=None).count() == regional.count()
        assert Membership.objects.filter(status=MembershipStatus.APPLIED).count() == 4
        assert Commission.objects.filter(updates__isnull=False).distinct().count() >= 5

    # The daily sweep stalls a quiet commission and reminds of the vacant one.
    done = sweep_commissions(now=timezone.now())
    assert done["stalled"] >= 1
    assert done["vacancy_reminders"] >= 1
    assert done["closed"] == 0
    with all_networks():
        assert Commission.objects.get(network__slug="piura", name="Salud Comunitaria").state == (
            CommissionState.STALLED
        )

    # Reminders before the coming events, and of the minutes still missing.
    # Lima's plenary is six days away, Arequipa's press conference four: both
    # within the first reminder, a week before, whatever the hour of loading.
    for slug in ("lima", "arequipa"):
        with network_scope(Network.objects.get(slug=slug)):
            assert reminders.remind_registered_people() > 0, slug
    with network_scope(Network.objects.get(slug="lima")):
        assert reminders.remind_missing_minutes() > 0
        assert reminders.send_pending_confirmations() == 0


def test_loading_again_creates_nothing(demo):
    out = io.StringIO()
    call_command("load_demo", force=True, stdout=out)
    assert "(0 rows created)" in out.getvalue()


def test_the_network_speaks_the_facilitator_publishes_news_and_an_interlocutor_corrects(
    demo, client
):
    from announcements.models import Announcement
    from core.models import OutgoingMail
    from members.models import Notification

    with all_networks():
        lima = Announcement.objects.get(network__slug="lima")
        arequipa = Announcement.objects.get(network__slug="arequipa", title=VOLUNTEER_WEEK)
        interlocutor = Interlocutor.objects.get(network__slug="arequipa", ended_at=None)
        (correction,) = arequipa.corrections.all()
        assert lima.public and lima.entity is None
        assert lima.author.email == "facilitadora@example.org"
        assert not arequipa.public
        assert arequipa.entity_id == interlocutor.entity_id
        assert correction.created_at > arequipa.created_at
        speaker = Membership.objects.get(
            network__slug="arequipa", entity=interlocutor.entity
        ).representative
        # Loading the demo tells nobody.
        assert not Notification.objects.exists()
    assert not OutgoingMail.objects.exists()

    news = client.get(reverse("announcements:list", kwargs={"network_slug": "lima"}))
    assert lima.title in news.content.decode()
    news = client.get(reverse("announcements:list", kwargs={"network_slug": "arequipa"}))
    assert arequipa.title not in news.content.decode()

    members_view = client.get(arequipa.get_absolute_url())
    assert members_view.status_code in (302, 403, 404)  # for members, not the public
    client.force_login(speaker)
    page = client.get(arequipa.get_absolute_url()).content.decode()
    assert "Plaza de Armas" in page
