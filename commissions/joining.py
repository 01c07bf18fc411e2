"""The commissions a new member joins or proposes on joining (footnote 16), for members.

Registered with `members.commission_choice` when the app starts: members asks,
commissions answers, and members never imports this app.
"""

from django.utils.translation import gettext as _

from commissions.models import Commission, CommissionMember, CommissionState
from commissions.services import join_commission, propose_commission
from core.errors import DomainError


class CommissionsOnJoining:
    def open_commissions(self, network) -> list:
        return list(Commission.objects.exclude(state=CommissionState.CLOSED).order_by("name"))

    def check_choice(self, *, network, commission, proposed_name) -> None:
        if commission is None and not proposed_name:
            raise DomainError(
                _(
                    "This network asks every new member to join a commission or propose one: "
                    "please choose one."
                )
            )
        if commission is not None and proposed_name:
            raise DomainError(_("Choose a commission to join or propose a new one, not both."))
        if commission is not None:
            if (
                commission.network_id != network.pk
                or not Commission.objects.filter(pk=commission.pk)
                .exclude(state=CommissionState.CLOSED)
                .exists()
            ):
                raise DomainError(_("Choose one of this network's open commissions."))
        elif Commission.objects.filter(name__iexact=proposed_name).exists():
            raise DomainError(
                _("This network already has a commission with that name: join it instead.")
            )

    def carry_out_choice(self, membership) -> bool:
        if membership.pending_commission_id is not None:
            join_commission(
                commission=membership.pending_commission,
                entity=membership.entity,
                by=membership.representative,
            )
        elif membership.pending_commission_name:
            propose_commission(
                network=membership.network,
                entity=membership.entity,
                name=membership.pending_commission_name,
                purpose=membership.pending_commission_purpose,
                by=membership.representative,
            )
        else:
            return False
        return True

    def seats(self, *, entity_ids, network_ids=None) -> list:
        seats = CommissionMember.objects.filter(entity_id__in=entity_ids, left_on__isnull=True)
        if network_ids is not None:
            seats = seats.filter(network_id__in=network_ids)
        return list(seats.select_related("commission", "network").order_by("commission__name"))
