import factory
from django.utils.text import slugify
from faker import Faker

from commissions.models import (
    Action,
    Commission,
    CommissionMember,
    ProgressUpdate,
    PromoterTerm,
    Topic,
)
from members.models import Entity, EntityKind, Membership, MembershipStatus, User
from networks.models import Facilitator, Network, NetworkKind
from platforms.models import Platform, Sector

SURNAMES = Faker("es")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    first_name = factory.Faker("first_name", locale="es")
    # A Spanish surname can be a word of the page too ("Pla", "Español"): the number makes
    # "no personal data on this page" checks mean what they say.
    last_name = factory.LazyAttributeSequence(lambda user, n: f"{SURNAMES.last_name()}-{n}")
    phone = factory.Sequence(lambda n: f"+51 9{n:08d}")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """A verified email address, as after sign-up; `verified=False` for one not confirmed."""
        if create:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.create(
                user=self, email=self.email, primary=True, verified=extracted is not False
            )


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Red Soy Voluntari@ {n}")
    slug = factory.LazyAttribute(lambda network: slugify(network.name))
    kind = NetworkKind.REGIONAL
    region = "Arequipa"


class FacilitatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facilitator

    network = factory.SubFactory(NetworkFactory)
    user = factory.SubFactory(UserFactory)


class EntityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entity
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Asociación Voluntaria {n}")
    slug = factory.LazyAttribute(lambda entity: slugify(entity.name))
    kind = EntityKind.ASSOCIATION
    city = "Arequipa"
    region = "Arequipa"
    description = "Voluntariado ambiental con jóvenes."

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            from members.models import PriorityArea

            self.priority_areas.set(PriorityArea.objects.filter(code__in=extracted))


def platform_of(network, sector=Sector.CIVIL_SOCIETY):
    return Platform.objects.with_scopes_disabled().get(network=network, sector=sector)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    network = factory.SubFactory(NetworkFactory)
    entity = factory.SubFactory(EntityFactory)
    platform = factory.LazyAttribute(lambda membership: platform_of(membership.network))
    status = MembershipStatus.ACTIVE
    representative = factory.SubFactory(UserFactory)
    alternate = factory.SubFactory(UserFactory)


class CommissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commission

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"Comisión de Medio Ambiente {n}")
    purpose = "Organizar la feria ambiental."


class CommissionMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommissionMember

    commission = factory.SubFactory(CommissionFactory)
    network = factory.LazyAttribute(lambda member: member.commission.network)
    entity = factory.SubFactory(EntityFactory)


class PromoterTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PromoterTerm

    commission = factory.SubFactory(CommissionFactory)
    network = factory.LazyAttribute(lambda term: term.commission.network)
    entity = factory.SubFactory(EntityFactory)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    commission = factory.SubFactory(CommissionFactory)
    network = factory.LazyAttribute(lambda topic: topic.commission.network)
    title = factory.Sequence(lambda n: f"Tema de interés {n}")
    priority = factory.Sequence(lambda n: n + 1)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    commission = factory.SubFactory(CommissionFactory)
    network = factory.LazyAttribute(lambda action: action.commission.network)
    title = factory.Sequence(lambda n: f"Acción {n}")
    responsible = factory.SubFactory(EntityFactory)


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    commission = factory.SubFactory(CommissionFactory)
    network = factory.LazyAttribute(lambda update: update.commission.network)
    entity = factory.SubFactory(EntityFactory)
    text = factory.Sequence(lambda n: f"Avance número {n} de la comisión.")


def bulk_members(network, count, *, start=0):
    """Make `count` active member entities of a network in a few queries, for size tests.

    Kinds, platforms and priority areas rotate, so every filter of the directory
    has rows to find; representatives are left out, as in a fresh import.
    """
    from members.models import PriorityArea
    from networks.scoping import all_networks

    with all_networks():
        platforms = list(Platform.objects.filter(network=network).order_by("position"))
        areas = list(PriorityArea.objects.order_by("id"))
        kinds = EntityKind.values
        entities = Entity.objects.bulk_create(
            Entity(
                name=f"Entidad {network.slug} {number:05d}",
                slug=f"entidad-{network.slug}-{number:05d}",
                kind=kinds[number % len(kinds)],
                city="Arequipa",
                region="Arequipa",
            )
            for number in range(start, start + count)
        )
        Entity.priority_areas.through.objects.bulk_create(
            Entity.priority_areas.through(entity_id=entity.pk, priorityarea_id=area.pk)
            for position, entity in enumerate(entities)
            for area in (areas[position % len(areas)], areas[(position + 3) % len(areas)])
        )
        Membership.objects.bulk_create(
            Membership(
                network=network,
                entity=entity,
                platform=platforms[position % len(platforms)],
                status=MembershipStatus.ACTIVE,
            )
            for position, entity in enumerate(entities)
        )
    return entities
