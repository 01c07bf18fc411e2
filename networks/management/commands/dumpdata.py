"""Django's `dumpdata`, run across every network.

A dump is a copy of the whole installation (a backup, or a move to another
database), so it reads network-owned rows of every network: the one place,
with `loaddata`, where a command lifts the network scope for all of them.
"""

from django.core.management.commands import dumpdata

from networks.scoping import all_networks


class Command(dumpdata.Command):
    help = dumpdata.Command.help + " Every network is included."

    def handle(self, *app_labels, **options):
        with all_networks():
            return super().handle(*app_labels, **options)
