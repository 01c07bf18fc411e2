"""The life of an annual agenda: who drafts, opens, comments, publishes and attaches, and when."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agenda import services
from agenda.models import Agenda, AgendaComment, AgendaState, Attachment
from core.errors import DomainError
from decisions.models import DecisionRule, Proposal, ProposalState
from networks.scoping import all_networks, network_scope
from tests import factories
from tests.agenda.conftest import interlocutor_of, promoted_commission

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def published_agenda(national, facilitator, year=2015):
    agenda = services.draft_agenda(network=national, year=year, by=facilitator)
    line = services.add_line(
        agenda=agenda,
        by=facilitator,
        title="Medio ambiente",
        purpose="Cuidar el entorno con las comunidades.",
        topics="medio ambiente, reciclaje",
    )
    services.open_for_comments(agenda=agenda, by=facilitator)
    services.publish(agenda=agenda, by=facilitator)
    return agenda, line


def state_of(agenda):
    with all_networks():
        return Agenda.objects.get(pk=agenda.pk).state


def test_the_facilitator_drafts_opens_and_publishes(country):
    national, _regions, facilitators = country
    by = facilitators["nacional"]

    agenda = services.draft_agenda(network=national, year=2015, by=by, introduction="Un año.")
    assert state_of(agenda) == AgendaState.DRAFTED
    services.add_line(agenda=agenda, by=by, title="Juventud", purpose="Voluntariado juvenil.")
    services.open_for_comments(agenda=agenda, by=by)
    assert state_of(agenda) == AgendaState.OPEN
    services.publish(agenda=agenda, by=by)

    with all_networks():
        stored = Agenda.objects.get(pk=agenda.pk)
    assert stored.state == AgendaState.PUBLISHED
    assert stored.opened_at is not None and stored.published_at is not None
    assert stored.proposal is None


def test_one_agenda_per_network_and_year(country):
    national, _regions, facilitators = country
    services.draft_agenda(network=national, year=2015, by=facilitators["nacional"])

    with pytest.raises(DomainError, match="already has an agenda for 2015"):
        services.draft_agenda(network=national, year=2015, by=facilitators["nacional"])


@pytest.mark.parametrize("who", ["regional_facilitator", "member", "visitor"])
def test_only_the_networks_facilitator_drafts_it(country, who):
    national, _regions, facilitators = country
    by = {
        "regional_facilitator": facilitators["arequipa"],
        "member": factories.MembershipFactory(network=national).representative,
        "visitor": None,
    }[who]

    with pytest.raises(DomainError, match="Only the facilitator"):
        services.draft_agenda(network=national, year=2015, by=by)
    with all_networks():
        assert not Agenda.objects.exists()


def test_only_the_networks_facilitator_opens_and_publishes_it(country):
    national, _regions, facilitators = country
    by = facilitators["nacional"]
    agenda = services.draft_agenda(network=national, year=2015, by=by)
    services.add_line(agenda=agenda, by=by, title="Juventud", purpose="Voluntariado juvenil.")

    with pytest.raises(DomainError, match="Only the facilitator"):
        services.open_for_comments(agenda=agenda, by=facilitators["piura"])
    services.open_for_comments(agenda=agenda, by=by)
    with pytest.raises(DomainError, match="Only the facilitator"):
        services.publish(agenda=agenda, by=facilitators["piura"])
    assert state_of(agenda) == AgendaState.OPEN


def test_the_states_follow_their_order(country):
    national, _regions, facilitators = country
    by = facilitators["nacional"]
    agenda = services.draft_agenda(network=national, year=2015, by=by)

    with pytest.raises(DomainError, match="at least one line"):
        services.open_for_comments(agenda=agenda, by=by)
    services.add_line(agenda=agenda, by=by, title="Juventud", purpose="Voluntariado juvenil.")
    with pytest.raises(DomainError, match="cannot be done now"):
        services.publish(agenda=agenda, by=by)
    services.open_for_comments(agenda=agenda, by=by)
    with pytest.raises(DomainError, match="cannot be done now"):
        services.open_for_comments(agenda=agenda, by=by)
    services.publish(agenda=agenda, by=by)
    with pytest.raises(DomainError, match="cannot be done now"):
        services.add_line(agenda=agenda, by=by, title="Otra", purpose="Otra línea.")
    with pytest.raises(DomainError, match="cannot be done now"):
        services.publish(agenda=agenda, by=by)


def test_a_line_needs_a_title_and_a_purpose_and_a_title_of_its_own(country):
    national, _regions, facilitators = country
    by = facilitators["nacional"]
    agenda = services.draft_agenda(network=national, year=2015, by=by)
    services.add_line(agenda=agenda, by=by, title="Juventud", purpose="Voluntariado juvenil.")

    with pytest.raises(DomainError, match="title and a purpose"):
        services.add_line(agenda=agenda, by=by, title="  ", purpose="Algo.")
    with pytest.raises(DomainError, match="already has a line"):
        services.add_line(agenda=agenda, by=by, title="juventud", purpose="Otra vez.")


def adopted_proposal(network, **changes):
    proposer = factories.MembershipFactory(network=network).entity
    values = {
        "network": network,
        "title": "Agenda anual 2015",
        "text": "Las líneas de trabajo del año.",
        "proposer": proposer,
        "opens_at": timezone.now() - timedelta(days=10),
        "closes_at": timezone.now() - timedelta(days=1),
        "state": ProposalState.ADOPTED,
        "rule": DecisionRule.CONSENT_ONLY,
    } | changes
    with network_scope(network):
        return Proposal.objects.create(**values)


def test_publishing_may_name_the_adopted_proposal_of_its_network(country):
    national, regions, facilitators = country
    by = facilitators["nacional"]
    agenda = services.draft_agenda(network=national, year=2015, by=by)
    services.add_line(agenda=agenda, by=by, title="Juventud", purpose="Voluntariado juvenil.")
    services.open_for_comments(agenda=agenda, by=by)

    with pytest.raises(DomainError, match="adopted"):
        services.publish(
            agenda=agenda, by=by, proposal=adopted_proposal(national, state=ProposalState.OPEN)
        )
    with pytest.raises(DomainError, match="adopted"):
        services.publish(agenda=agenda, by=by, proposal=adopted_proposal(regions["Piura"]))
    proposal = adopted_proposal(national)
    services.publish(agenda=agenda, by=by, proposal=proposal)

    with all_networks():
        assert Agenda.objects.get(pk=agenda.pk).proposal == proposal


def opened(national, by):
    agenda = services.draft_agenda(network=national, year=2015, by=by)
    services.add_line(agenda=agenda, by=by, title="Juventud", purpose="Voluntariado juvenil.")
    services.open_for_comments(agenda=agenda, by=by)
    return agenda


def test_a_region_comments_through_its_facilitator_or_its_interlocutor(country):
    national, regions, facilitators = country
    agenda = opened(national, facilitators["nacional"])
    interlocutor = interlocutor_of(regions["Tumbes"])

    services.comment(
        agenda=agenda,
        by=facilitators["arequipa"],
        network=regions["Arequipa"],
        text="Sumemos la gestión de riesgos.",
    )
    services.comment(
        agenda=agenda,
        by=interlocutor.representative,
        network=regions["Tumbes"],
        text="Los manglares merecen una línea.",
    )

    with all_networks():
        said = list(
            AgendaComment.objects.order_by("id").values_list("commenting_network__slug", "text")
        )
    assert said == [
        ("arequipa", "Sumemos la gestión de riesgos."),
        ("tumbes", "Los manglares merecen una línea."),
    ]


def test_nobody_else_comments_and_not_in_another_networks_name(country):
    national, regions, facilitators = country
    agenda = opened(national, facilitators["nacional"])
    member = factories.MembershipFactory(network=regions["Piura"]).representative
    sibling = factories.NetworkFactory(name="Red de otro país", slug="otro-pais")

    cases = [
        (facilitators["arequipa"], regions["Piura"], "Only the facilitator or the interlocutor"),
        (member, regions["Piura"], "Only the facilitator or the interlocutor"),
        (None, regions["Piura"], "Sign in"),
        (facilitators["nacional"], national, "Only the networks under"),
        (factories.FacilitatorFactory(network=sibling).user, sibling, "Only the networks under"),
    ]
    for by, network, message in cases:
        with pytest.raises(DomainError, match=message):
            services.comment(agenda=agenda, by=by, network=network, text="Una idea.")
    with all_networks():
        assert not AgendaComment.objects.exists()


def test_comments_only_while_open(country):
    national, regions, facilitators = country
    by = facilitators["nacional"]
    agenda = services.draft_agenda(network=national, year=2015, by=by)
    services.add_line(agenda=agenda, by=by, title="Juventud", purpose="Voluntariado juvenil.")

    with pytest.raises(DomainError, match="not open for comments"):
        services.comment(
            agenda=agenda, by=facilitators["piura"], network=regions["Piura"], text="Temprano."
        )


def test_promoters_and_facilitators_attach_commissions_of_every_region(country):
    national, regions, facilitators = country
    _agenda, line = published_agenda(national, facilitators["nacional"])
    arequipa, promoter = promoted_commission(regions["Arequipa"], "Comisión Ambiental Arequipa")
    piura, _ = promoted_commission(regions["Piura"], "Comisión Ambiental Piura")
    own, _ = promoted_commission(national, "Comisión Nacional del Ambiente")

    services.attach(line=line, commission=arequipa, by=promoter.representative)
    services.attach(line=line, commission=piura, by=facilitators["piura"])
    services.attach(line=line, commission=own, by=facilitators["nacional"])

    with all_networks():
        attached = set(
            Attachment.objects.filter(line=line).values_list("commission__network__slug", flat=True)
        )
        assert set(Attachment.objects.values_list("network_id", flat=True)) == {national.pk}
    assert attached == {"arequipa", "piura", "nacional"}


def test_attaching_is_refused_to_others_and_to_commissions_out_of_reach(country):
    national, regions, facilitators = country
    _agenda, line = published_agenda(national, facilitators["nacional"])
    piura, promoter = promoted_commission(regions["Piura"], "Comisión Ambiental Piura")
    sitting = factories.MembershipFactory(network=regions["Piura"])
    factories.CommissionMemberFactory(commission=piura, entity=sitting.entity)
    abroad_network = factories.NetworkFactory(name="Red de otro país", slug="otro-pais")
    abroad, abroad_promoter = promoted_commission(abroad_network, "Comisión lejana")
    closed, closed_promoter = promoted_commission(regions["Tumbes"], "Comisión cerrada")
    type(closed).objects.with_scopes_disabled().filter(pk=closed.pk).update(state="closed")
    closed.refresh_from_db()

    cases = [
        (piura, sitting.representative, "Only the promoters"),
        (piura, facilitators["arequipa"], "Only the promoters"),
        (piura, None, "Only the promoters"),
        (abroad, abroad_promoter.representative, "Only the commissions of"),
        (closed, closed_promoter.representative, "closed"),
    ]
    for commission, by, message in cases:
        with pytest.raises(DomainError, match=message):
            services.attach(line=line, commission=commission, by=by)
    services.attach(line=line, commission=piura, by=promoter.representative)
    with pytest.raises(DomainError, match="already works on this line"):
        services.attach(line=line, commission=piura, by=promoter.representative)
    with all_networks():
        assert Attachment.objects.count() == 1


def test_a_regional_agenda_takes_only_its_own_commissions(country):
    national, regions, facilitators = country
    _agenda, line = published_agenda(regions["Arequipa"], facilitators["arequipa"])
    own, promoter = promoted_commission(regions["Arequipa"], "Comisión Ambiental Arequipa")
    sibling, sibling_promoter = promoted_commission(regions["Piura"], "Comisión Ambiental Piura")
    above, above_promoter = promoted_commission(national, "Comisión Nacional")

    services.attach(line=line, commission=own, by=promoter.representative)
    for commission, by in [
        (sibling, sibling_promoter.representative),
        (above, above_promoter.representative),
    ]:
        with pytest.raises(DomainError, match="Only the commissions of"):
            services.attach(line=line, commission=commission, by=by)


def test_commissions_attach_only_once_published(country):
    national, regions, facilitators = country
    agenda = opened(national, facilitators["nacional"])
    commission, promoter = promoted_commission(regions["Piura"], "Comisión Ambiental Piura")
    with network_scope(national):
        line = agenda.lines.get()

    with pytest.raises(DomainError, match="once it is published"):
        services.attach(line=line, commission=commission, by=promoter.representative)
