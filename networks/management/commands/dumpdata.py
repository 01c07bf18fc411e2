"""Django's `dumpdata`, run across every network.

A dump is a copy of the whole installation (a backup, or a move to another
database), so it reads network-owned rows of every network: the one place,
with `loaddata`, where a command lifts the network scope for all of them. It
leaves out the page cache's change rows (`networks.changes`).
"""

from django.core.management.commands import dumpdata

from networks.scoping import all_networks


class Command(dumpdata.Command):
    help = dumpdata.Command.help + " Every network is included."

    def handle(self, *app_labels, **options):
        # The page versions' change rows are the database's own bookkeeping: the
        # triggers write them again as the dump is loaded.
        options["exclude"] = [*(options.get("exclude") or []), "networks.NetworkChange"]
        with all_networks():
            return super().handle(*app_labels, **options)
