"""Django's `loaddata`, run across every network.

A dump holds rows of every network, and loading it checks their references
across networks; the scope is lifted for this command only (see `dumpdata`).
"""

from django.core.management.commands import loaddata

from networks.scoping import all_networks


class Command(loaddata.Command):
    help = loaddata.Command.help + " Rows of every network are loaded."

    def handle(self, *fixture_labels, **options):
        with all_networks():
            return super().handle(*fixture_labels, **options)
