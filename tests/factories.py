import factory
from django.utils.text import slugify

from commissions.models import Commission, CommissionMember
from members.models import Entity, EntityKind, Membership, MembershipStatus, User
from networks.models import Facilitator, Network, NetworkKind
from platforms.models import Platform, Sector


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    first_name = factory.Faker("first_name", locale="es")
    last_name = factory.Faker("last_name", locale="es")
    phone = factory.Sequence(lambda n: f"+51 9{n:08d}")
    password = factory.django.Password("correct horse battery staple")


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
