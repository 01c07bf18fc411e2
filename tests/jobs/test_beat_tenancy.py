"""Every beat task, run over two networks that share an entity, tells each network its own news.

The tasks are read from `CELERY_BEAT_SCHEDULE`, so a task added to the
schedule is run here the day it is added. Each runs as beat would start it,
with Celery eager (fanned-out tasks run at once) and with the callbacks that
follow a commit executed. Then every notification and every mail is checked:

- its recipient holds, in the notification's network, the role that entitles
  them to hear of that kind of news (`ROLES` below says who, for each kind);
- its subject, text and link name only that network's objects;
- each task did something in this world, and every kind of news reached both
  networks, so the checks are never vacuous.

A new kind of notification fails here until `ROLES` says who may hear of it;
a new beat task that does nothing in the world fails until the world gives it
something to do (see tests/jobs/conftest.py) or `QUIET_TASKS` says why not.
"""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.utils import translation

from commissions.models import Action, Commission, CommissionMember, PromoterTerm
from config.celery import app
from decisions.models import Position, Proposal
from events.models import Event, EventOrganiser, Registration, RegistrationStatus
from members import notifications, outbox
from members.models import Membership, MembershipStatus, Notification, User
from networks.models import Facilitator
from networks.scoping import all_networks

pytestmark = pytest.mark.django_db

# Beat tasks that may find nothing to do in the world, with the reason.
QUIET_TASKS = {
    # Writes each network's analysis snapshot and tells nobody; tests/evidence runs it
    # over two networks that share an entity.
    "evidence-nightly-analysis": "computes snapshots, sends nothing",
    "page-versions-compaction": "folds the page cache's change rows, sends nothing",
    "home-counters-recount": "counts each network's home page counters again, sends nothing",
    "mail-delivery": (
        "sends the rows of the mail outbox; each job before it sends its own rows after its "
        "commit, so in this run nothing is left for it"
    ),
}

LINK = re.compile(
    r"/redes/(?P<slug>[\w-]+)/(?P<section>comisiones|eventos|decisiones)/(?P<pk>\d+)/"
)


def facilitators(network):
    return set(
        Facilitator.objects.filter(network=network, ended_on__isnull=True).values_list(
            "user_id", flat=True
        )
    )


def people_of(network, entity_ids):
    """Representatives and alternates of active memberships in this network."""
    rows = Membership.objects.filter(
        network=network, entity_id__in=set(entity_ids), status=MembershipStatus.ACTIVE
    ).values_list("representative_id", "alternate_id")
    return {person for row in rows for person in row if person}


def promoters(network, commission):
    terms = PromoterTerm.objects.filter(
        network=network, commission=commission, ended_at__isnull=True
    )
    return people_of(network, terms.values_list("entity_id", flat=True))


def registered(network, event):
    confirmed = Registration.objects.filter(
        network=network, event=event, status=RegistrationStatus.CONFIRMED
    )
    return people_of(network, confirmed.values_list("entity_id", flat=True)) | set(
        confirmed.filter(entity__isnull=True, user__isnull=False).values_list("user_id", flat=True)
    )


def organisers(network, event):
    entity_ids = EventOrganiser.objects.filter(network=network, event=event).values_list(
        "entity_id", flat=True
    )
    convener = {event.created_by_id} & facilitators(network)
    return people_of(network, entity_ids) | convener


def sitting(network, commission):
    seats = CommissionMember.objects.filter(
        network=network, commission=commission, left_on__isnull=True
    )
    return facilitators(network) | people_of(network, seats.values_list("entity_id", flat=True))


def overdue_action(network, notification):
    action = Action.objects.get(pk=notification.key.split(":")[1])
    assert action.network_id == network.pk, f"{notification.key} names another network's action"
    return people_of(network, [action.responsible_id])


# Who may hear of each kind of news, in the notification's network, about the
# commission or event its link names. Written from the model, not from the jobs.
ROLES = {
    "commission.stalled": lambda network, commission, _n: facilitators(network),
    "commission.vacancy_reminder": lambda network, commission, _n: facilitators(network),
    "commission.closed": lambda network, commission, _n: sitting(network, commission),
    "commission.quiet": lambda network, commission, _n: promoters(network, commission),
    "commission.yearly_sheet": lambda network, commission, _n: promoters(network, commission),
    "promoter_term.continue": lambda network, commission, _n: promoters(network, commission),
    "action.overdue": lambda network, _commission, notification: overdue_action(
        network, notification
    ),
    "event.reminder": lambda network, event, _n: registered(network, event),
    "event.minutes_missing": lambda network, event, _n: organisers(network, event),
    # Before a window closes, the member entities of the network that have not spoken.
    "proposal.closing_soon": lambda network, proposal, _n: silent(network, proposal),
    "proposal.vote_closing_soon": lambda network, proposal, _n: silent(network, proposal),
    "proposal.review_due": lambda network, proposal, _n: people_of(network, [proposal.proposer_id]),
}


def silent(network, proposal):
    spoke = Position.objects.filter(
        network=network, proposal=proposal, superseded_at__isnull=True
    ).values_list("entity_id", flat=True)
    members = Membership.objects.filter(network=network, status=MembershipStatus.ACTIVE)
    return people_of(
        network, members.exclude(entity_id__in=spoke).values_list("entity_id", flat=True)
    )


@pytest.fixture
def eager_celery(monkeypatch):
    """Run queued tasks at once, in this process, and let their errors through."""
    app.loader.import_default_modules()  # every app's tasks.py, as a worker loads them
    # Left to its own beat entry, so that each task's own effects can be seen.
    monkeypatch.setattr(outbox, "_enqueue_delivery", lambda: None)
    saved = {name: app.conf[name] for name in ("task_always_eager", "task_eager_propagates")}
    app.conf.update(task_always_eager=True, task_eager_propagates=True)
    yield
    app.conf.update(saved)


def run_every_beat_task(django_capture_on_commit_callbacks):
    """Run each scheduled task as beat starts it; what each produced, by schedule name."""
    produced = {}
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        task = app.tasks[entry["task"]]
        with all_networks():
            notifications_before = Notification.objects.count()
        mails_before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            task.apply_async(args=entry.get("args", ()), kwargs=entry.get("kwargs", {})).get()
        with all_networks():
            produced[name] = {
                "notifications": Notification.objects.count() - notifications_before,
                "mails": len(mail.outbox) - mails_before,
            }
    return produced


def target_of(notification):
    match = LINK.fullmatch(notification.link) or LINK.match(notification.link)
    assert match, f"{notification.kind} links to {notification.link!r}, not to a network's object"
    assert match["slug"] == notification.network.slug, (
        f"{notification.kind} of {notification.network.slug} links into {match['slug']}"
    )
    model = {"comisiones": Commission, "eventos": Event, "decisiones": Proposal}[match["section"]]
    target = model.objects.get(pk=match["pk"])
    assert target.network_id == notification.network_id, (
        f"{notification.kind} of {notification.network.slug} names {target} of another network"
    )
    return target


def words_of(side):
    """What names a network's own objects: its marker, slug and name."""
    return {side.marker, side.network.slug, side.network.name}


def assert_names_only_its_own_network(world, side, text, what):
    leaked = {word for word in words_of(world.other(side)) if word in text}
    assert not leaked, f"{what} for {side.network.slug} names {leaked}:\n{text}"


def test_every_beat_task_tells_each_network_only_its_own_news(
    world, eager_celery, django_capture_on_commit_callbacks
):
    produced = run_every_beat_task(django_capture_on_commit_callbacks)

    idle = {name for name, counts in produced.items() if not any(counts.values())}
    assert idle <= set(QUIET_TASKS), (
        f"these beat tasks did nothing in the world: {sorted(idle - set(QUIET_TASKS))}"
    )

    kinds_by_network = {side.network.pk: set() for side in world.sides}
    with all_networks():
        rows = list(Notification.objects.select_related("network", "recipient"))
        assert rows
        for notification in rows:
            assert notification.kind in ROLES, (
                f"the harness does not know who may hear of {notification.kind!r}: add it to ROLES"
            )
            side = world.side_of(notification.network_id)
            target = target_of(notification)
            allowed = ROLES[notification.kind](notification.network, target, notification)
            assert notification.recipient_id in allowed, (
                f"{notification.recipient} heard of {notification.kind} about {target} "
                f"in {notification.network.slug} without a role there"
            )
            with translation.override(notification.recipient.language):
                subject, body = notifications.subject_and_body(notification)
            assert_names_only_its_own_network(
                world, side, f"{subject}\n{body}\n{notification.link}", notification.kind
            )
            kinds_by_network[notification.network_id].add(notification.kind)

    for side in world.sides:
        assert kinds_by_network[side.network.pk] == set(ROLES), (
            f"{side.network.slug} heard of {sorted(kinds_by_network[side.network.pk])} only"
        )

    addressed = {side.network.pk: set() for side in world.sides}
    for message in mail.outbox:
        text = "\n".join(
            [message.subject, message.body]
            + [str(content) for _name, content, _type in message.attachments]
        )
        slugs = {match["slug"] for match in LINK.finditer(text)}
        assert len(slugs) == 1, f"a mail to {message.to} links into {slugs or 'no network'}"
        side = next(side for side in world.sides if side.network.slug in slugs)
        assert_names_only_its_own_network(world, side, text, f"the mail to {message.to}")
        (address,) = message.to
        assert address in addresses_with_a_role(side.network), (
            f"{address} was mailed news of {side.network.slug} without a role there"
        )
        addressed[side.network.pk].add(address)

    for side in world.sides:
        # Mailed at once, in the weekly digest, and without an account.
        assert {
            side.facilitator.email,
            side.own.alternate.email,
            side.registrant.email,
            side.guest_email,
        } <= addressed[side.network.pk]
    assert world.bridge.email in addressed[world.arequipa.network.pk]
    assert world.bridge.email in addressed[world.cusco.network.pk]


def addresses_with_a_role(network):
    """Facilitators, people of active members, and people registered on their own, of a network."""
    with all_networks():
        people = facilitators(network) | people_of(
            network, Membership.objects.filter(network=network).values_list("entity_id", flat=True)
        )
        on_their_own = Registration.objects.filter(network=network, entity__isnull=True)
        people |= set(on_their_own.exclude(user=None).values_list("user_id", flat=True))
        emails = set(on_their_own.values_list("email", flat=True))
        return emails | set(User.objects.filter(pk__in=people).values_list("email", flat=True))
