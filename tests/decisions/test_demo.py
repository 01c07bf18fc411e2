"""The demo shows the flow at once: decided by consent, decided by a vote, open now."""

import io

import pytest
from django.core.management import call_command

from decisions.models import DecidedBy, Position, Proposal, ProposalState, Stance
from networks.scoping import all_networks

pytestmark = pytest.mark.django_db


def test_the_demo_holds_decisions_by_consent_and_by_vote_and_one_open(client, settings):
    settings.SECURE_SSL_REDIRECT = False
    call_command("load_demo", force=True, stdout=io.StringIO())

    with all_networks():
        ethics = Proposal.objects.get(network__slug="lima", title__icontains="código de ética")
        calendar = Proposal.objects.get(network__slug="arequipa", decided_by=DecidedBy.VOTE)
        open_now = Proposal.objects.get(state=ProposalState.OPEN)
        stances = set(
            Position.objects.filter(proposal=open_now, superseded_at__isnull=True).values_list(
                "stance", flat=True
            )
        )
    assert (ethics.state, ethics.decided_by) == (ProposalState.ADOPTED, DecidedBy.CONSENT)
    assert ethics.object_count == 0
    assert calendar.state == ProposalState.ADOPTED
    assert calendar.yes_count * 100 == 80 * (calendar.yes_count + calendar.no_count)
    assert Stance.OBJECT in stances and Stance.AGREE in stances
    # A newcomer reads the open one, with its objection, on its page.
    client.force_login(_a_member(open_now))
    page = client.get(open_now.get_absolute_url())
    assert page.status_code == 200
    assert "1 objeción sigue en pie" in page.content.decode()


def _a_member(proposal):
    with all_networks():
        return proposal.network.memberships.filter(status="active").first().representative
