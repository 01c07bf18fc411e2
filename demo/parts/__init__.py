"""The parts of the demo: one module per capability, found here by themselves.

Every module of this package is a part. It has an `ORDER` (a number) and a
`load(demo)` function that receives the `demo.loader.Demo`; parts run in the
order of `ORDER`, then of their names. To add a capability to the demo, add a
module here; nothing else needs to change, so parts written at the same time
do not touch each other's lines. By convention:

- 10: the networks, their charters, members, commissions and promoters
  (`networks`); 15: `national`, what the national network holds;
- 20: roles and people (`interlocutors`, `applications`);
- 40: what members do (`commissions`: progress, a stalled and a vacant one;
  `events`: the International Volunteer Day, plenaries with minutes;
  `decisions`); 45: `work_plan`, a commission's work plan, conversation,
  comments and follower; 50: `agenda`, the national agenda of 2015 with the
  regions' commissions on its lines;
- 60: what the network says (announcements, news);
- 80: what is derived from the rest (evidence: the analysis of ties).

A part creates what is missing and leaves alone what exists (look rows up by
a natural key with `demo.get_or_create`, or return early when its rows are
there), writes rows directly rather than through services (no notification
or mail comes out of loading the demo), keeps its texts in Spanish in its own
module, and dates everything relative to `demo.now`.
"""

import importlib
import pkgutil


def _discover():
    modules = [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in pkgutil.iter_modules(__path__)
        if not info.name.startswith("_")
    ]
    return sorted(modules, key=lambda module: (module.ORDER, module.__name__))


PARTS = _discover()
