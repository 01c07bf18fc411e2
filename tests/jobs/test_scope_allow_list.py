"""Every place that lifts the network scope is listed here, with the reason it may span networks.

Requests get their scope from the middleware, jobs from `networks.tasks.NetworkJob`,
commands open their own. A query that reaches past one network is a deliberate
act: using `all_networks()`, django-scopes' `scopes_disabled` or a manager's
`with_scopes_disabled()` anywhere in the project's code (tests aside) fails
this test until the place is added to `ALLOWED`, as (module, function), with
a reason that is true. Prefer opening the network's own scope.
"""

import ast
from pathlib import Path

from django.conf import settings

SKIPPED_FOLDERS = {".venv", "var", "tests", "node_modules", "static", "templates", "locale"}
SWITCHES = {"all_networks", "scopes_disabled", "with_scopes_disabled"}

ALLOWED = {
    # The mechanism itself.
    ("networks.scoping", "<module>"): "imports django-scopes' switch, which only all_networks uses",
    ("networks.scoping", "all_networks"): "the one definition of a deliberate cross-network block",
    # Jobs.
    ("commissions.lifecycle", "sweep_commissions"): (
        "the daily sweep claims what is due in every network with one statement per step, so "
        "its cost does not grow with the number of networks; each row it writes takes its "
        "network from the claimed commission"
    ),
    ("members.notifications", "_write_pending_notifications"): (
        "the mail outbox: each row is mailed to its own recipient, and the mail is built "
        "from the row alone"
    ),
    ("members.notifications", "mail_choices"): (
        "a person's own mail settings: the networks that speak to them, each with its choice"
    ),
    ("members.notifications", "_notifications_of"): (
        "a person's own inbox: filtered by recipient, it gathers what each of their networks "
        "told them"
    ),
    # Commands.
    ("demo.management.commands.bench_sweep", "Command.handle"): (
        "a benchmark that builds commissions in many networks, sweeps them and rolls back"
    ),
    ("demo.management.commands.bench_search", "Command.handle"): (
        "a benchmark that picks the largest network and times searches over every entity"
    ),
    ("demo.management.commands.bench_pages", "Command.handle"): (
        "a benchmark that counts the entities and picks the regional network with most members"
    ),
    ("demo.loader", "Demo.get_or_create"): (
        "the demo loader builds the national network and its regional networks in one run"
    ),
    ("demo.management.commands.generate_scale_data", "Command.handle"): (
        "generates data for many networks in one transaction"
    ),
    # Requests that span networks by nature.
    ("networks.management.commands.dumpdata", "Command.handle"): (
        "a dump is the whole installation, every network"
    ),
    ("networks.management.commands.loaddata", "Command.handle"): (
        "a load restores the whole installation, every network"
    ),
    ("networks.middleware", "NetworkMiddleware.__call__"): (
        "the admin spans networks; its pages narrow themselves to the networks a facilitator "
        "facilitates"
    ),
    ("members.admin", "entities_visible_to"): (
        "the entities with a membership in the networks a facilitator facilitates"
    ),
    ("networks.admin", "NetworkChoicesMixin.formfield_for_foreignkey"): (
        "the admin's choices, narrowed to the visible networks right after"
    ),
    ("facilitation.selectors.national", "national_dashboard"): (
        "the national dashboard compares the networks under the national one; every query "
        "names the networks in its reach"
    ),
    ("events.selectors", "participation_of_networks"): (
        "the participation of several networks side by side (the national dashboard); the "
        "query names them, and each network's members count its own events"
    ),
    ("facilitation.counters", "count"): (
        "the home page's counts of a network cover the networks under it (the reach rule), "
        "for the networks it shows and, at night, for each network; the query names them"
    ),
    ("facilitation.selectors.public", "network_page"): (
        "the page of a network with networks under it (the national one) shows its regions' "
        "commissions and counts; every query names the networks in its reach"
    ),
    ("evidence.report", "gather"): (
        "the yearly activity report of a network with networks under it (the national one) "
        "gathers its regions; every query names the networks in its reach"
    ),
    ("evidence.services", "_analyses"): (
        "the national network's yearly report analyses the ties of each region, each read "
        "inside that region's own scope"
    ),
    ("facilitation.selectors.public", "networks_with_counts"): (
        "the API's list of every network with its counts"
    ),
    ("core.api_schema", "<module>"): "imports django-scopes' switch for the schema generator",
    ("core.api_schema", "SchemaGenerator.get_schema"): (
        "describing the API reads the models' structure, never a row"
    ),
    # A person's own things, in every network they take part in.
    ("networks.rules", "current_facilitators"): (
        "the facilitators in office of every network, narrowed to one person for the "
        "networks they facilitate, read once per request for permission checks"
    ),
    ("members.rules", "EntityRoles.read"): (
        "the entities a person speaks for in every network, read once per request for "
        "permission checks"
    ),
    ("members.rules", "_pairs_where"): (
        "the entities a person speaks for in every network, as part of every role read in one query"
    ),
    ("members.rules", "_role_columns"): (
        "a person's own roles and unread notifications in every network, read in one query "
        "once per request"
    ),
    ("facilitation.selectors.landing", "navigation_column"): (
        "the networks a person facilitates, with what waits in each, for the site header: "
        "a column of the query that reads every role of the person"
    ),
    ("members.rules", "is_interlocutor"): (
        "a permission check, also made outside a scope; the query names the network"
    ),
    ("networks.selectors", "facilitated_network_ids"): (
        "the networks a person facilitates, for the admin and the menus"
    ),
    ("events.rules", "organiser_ids"): (
        "a permission check, also made outside a scope; the query names the event"
    ),
    ("events.rules", "is_registered"): (
        "a permission check, also made outside a scope; the query names the event and the person"
    ),
    ("events.rules", "minutes_are_published"): (
        "a permission check, also made outside a scope; the query names the event"
    ),
    ("events.selectors", "_events_under"): (
        "the calendar of a network with networks under it (the national one) shows its "
        "regions' events as each region shows them; the query names the regions"
    ),
    ("events.selectors", "event_list"): (
        "the organisers of the regions' events on the national calendar, read for the events "
        "the list already holds"
    ),
    ("events.selectors", "personal_calendar"): (
        "a person's own calendar feed, across the networks they take part in"
    ),
    ("facilitation.selectors.landing", "facilitated_networks"): (
        "the networks a person facilitates, with what waits in each: the site header and "
        "their landing page"
    ),
    ("members.selectors", "invitation_by_token"): (
        "an invitation link carries no network: its secret token names it"
    ),
    ("members.selectors", "_memberships_of_entity"): (
        "an entity's memberships in every network: who acts for it anywhere (to apply to "
        "another network) and which networks' facilitators may not edit its profile"
    ),
    ("members.selectors", "entities_represented_by"): (
        "the entities a person acts for, in any network, to apply with"
    ),
    ("members.selectors", "workspace"): "a person's workspace, across the networks they belong to",
    # The annual agenda: its lines gather the commissions of the networks under its network.
    ("agenda.selectors", "commissions_on_line"): (
        "a line of an agenda shows the commissions attached to it from the networks under the "
        "agenda's network, with their latest update and next public events; every query names "
        "those commissions, kept only when their network is in the agenda network's reach"
    ),
    ("agenda.selectors", "attachable_commissions"): (
        "the commissions a person may attach to a line: those they promote or whose network "
        "they facilitate, among the networks in the agenda network's reach"
    ),
    ("agenda.selectors", "commenting_network_ids"): (
        "a permission check: the networks under the agenda's network whose interlocutor "
        "entity the person acts for; the query names those networks"
    ),
    ("agenda.services", "attach"): (
        "attaching a commission of a network under the agenda's network asks its promoters, "
        "read in the commission's own network"
    ),
    # The one rule that reaches past a network on purpose.
    ("commissions.selectors", "platforms_in_reach"): (
        "a national commission's members sit in their regions' platforms, named by the "
        "national network's platform of the same sector (the reach rule)"
    ),
    ("commissions.selectors", "_commission_with_plan_and_platforms"): (
        "the commission's page reads `platforms_in_reach` with the commission (the reach rule)"
    ),
    ("members.reach", "representatives_in_reach"): (
        "who speaks for an entity where it acts: its membership in the network or in one "
        "under it, the reach rule"
    ),
    ("members.reach", "memberships_in_reach"): (
        "the reach rule: a network's commissions and events are open to the active members "
        "of the networks under it (its regions), never of a sibling; the query names the "
        "network and every network under it"
    ),
}


class _Uses(ast.NodeVisitor):
    """Where a module names a scope switch, by enclosing function (`Class.method`)."""

    def __init__(self):
        self.stack = []
        self.found = {}

    def _enter(self, node):
        self.stack.append(node.name)
        self.generic_visit(node)
        self.stack.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _enter

    def _record(self, node):
        self.found.setdefault(".".join(self.stack) or "<module>", node.lineno)

    def visit_Name(self, node):
        if node.id in SWITCHES and node.id != "all_networks":
            self._record(node)

    def visit_Attribute(self, node):
        if node.attr in SWITCHES and node.attr != "all_networks":
            self._record(node)
        self.generic_visit(node)

    def visit_Call(self, node):
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name == "all_networks":
            self._record(node)
        self.generic_visit(node)

    def visit_ImportFrom(self, node):
        if any(alias.name in SWITCHES - {"all_networks"} for alias in node.names):
            self._record(node)

    def visit_Constant(self, node):
        # getattr(manager, "with_scopes_disabled") is a use too.
        if node.value in SWITCHES:
            self._record(node)


def scope_switches():
    """{(module, function): "path:line"} for every use in the project's own code."""
    root = Path(settings.BASE_DIR)
    uses = {}
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if SKIPPED_FOLDERS & set(relative.parts[:-1]) or relative.parts[0].startswith("."):
            continue
        visitor = _Uses()
        visitor.visit(ast.parse(path.read_text(), filename=str(relative)))
        module = ".".join(relative.with_suffix("").parts)
        for function, line in visitor.found.items():
            uses[module, function] = f"{relative}:{line}"
    return uses


def test_every_use_of_a_scope_switch_is_allowed_with_its_reason():
    unlisted = {place: where for place, where in scope_switches().items() if place not in ALLOWED}
    assert not unlisted, (
        "These places lift the network scope without a reason in ALLOWED; open the network's "
        "own scope instead, or add (module, function) with the reason it must span networks:\n"
        + "\n".join(f"  {where}  {place}" for place, where in sorted(unlisted.items()))
    )


def test_every_allowed_place_still_uses_a_scope_switch():
    stale = set(ALLOWED) - set(scope_switches())
    assert not stale, f"Remove these from ALLOWED, they no longer lift the scope: {sorted(stale)}"


def test_a_new_use_is_caught():
    visitor = _Uses()
    visitor.visit(
        ast.parse(
            "from networks.scoping import all_networks\n"
            "class Report:\n"
            "    def rows(self):\n"
            "        with all_networks():\n"
            "            return Membership.objects.with_scopes_disabled().count()\n"
        )
    )
    assert set(visitor.found) == {"Report.rows"}


def test_the_jobs_of_one_network_lift_no_scope():
    modules = {module for module, _function in scope_switches()}
    for module in ("events.reminders", "events.tasks", "commissions.tasks", "members.tasks"):
        assert module not in modules
