"""The layers of ARCHITECTURE.md, read from the imports of every module of the project.

Each app imports only the apps below it in `LAYERS` (and itself); no chain of
imports between modules comes back to where it started; and an import inside
a function is only for start-up order, in an `AppConfig.ready()`. Every import
counts, at the top of a module or inside a function, so a cycle cannot hide in
a function. Models may still name a model of an app above them in a string
foreign key ("commissions.Commission"): that is no import.

An app above that must react to something below is given a signal or a hook by
the lower app (`networks.signals`, `members.commission_choice`, the registries
of `networks.history` and `members.notifications`), which it fills from its
`AppConfig.ready()`.
"""

import ast
from pathlib import Path

from django.conf import settings

# From the top down: an app may import the ones after it, never the ones before.
LAYERS = [
    "config",
    "demo",
    "facilitation",
    "agenda",
    "evidence",
    "decisions",
    "events",
    "announcements",
    "commissions",
    "members",
    "platforms",
    "networks",
    "core",
]


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def read_modules(root: Path) -> dict[str, tuple[str, bool]]:
    """{module: (source, is a package)} for every module of the apps in `LAYERS`."""
    modules = {}
    for app in LAYERS:
        for path in sorted((root / app).rglob("*.py")):
            modules[module_name(path, root)] = (path.read_text(), path.name == "__init__.py")
    return modules


class _Imports(ast.NodeVisitor):
    """Each import of a module: (name, line, the function it is in or None)."""

    def __init__(self, module, is_package):
        self.package = module if is_package else module.rpartition(".")[0]
        self.found = []
        self.functions = []

    def _function(self, node):
        self.functions.append(node.name)
        self.generic_visit(node)
        self.functions.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = _function

    def _add(self, name, node):
        self.found.append((name, node.lineno, self.functions[-1] if self.functions else None))

    def visit_Import(self, node):
        for alias in node.names:
            self._add(alias.name, node)

    def visit_ImportFrom(self, node):
        if node.level:
            base = self.package.split(".")[: len(self.package.split(".")) - node.level + 1]
            name = ".".join([*base, *([node.module] if node.module else [])])
        else:
            name = node.module
        for alias in node.names:
            # `from package import module` imports the module; `from module import name` the module.
            self._add(f"{name}.{alias.name}", node)


def _resolve(name, modules):
    """The project's module an imported name lives in, or None for anything else."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def import_graph(modules):
    """{module: [(imported module, line, function or None)]} within the project."""
    graph = {}
    for module, (source, is_package) in modules.items():
        visitor = _Imports(module, is_package)
        visitor.visit(ast.parse(source, filename=module))
        graph[module] = [
            (target, line, function)
            for name, line, function in visitor.found
            if (target := _resolve(name, modules)) is not None and target != module
        ]
    return graph


def _layer(module):
    return LAYERS.index(module.split(".")[0])


def upward_imports(graph):
    return [
        f"{module}:{line} imports {target} (an app above it)"
        for module, imports in sorted(graph.items())
        for target, line, _function in imports
        if _layer(target) < _layer(module)
    ]


def imports_inside_functions(graph):
    """Imports of the project's modules in functions other than an AppConfig's `ready()`."""
    return [
        f"{module}:{line} imports {target} inside {function}()"
        for module, imports in sorted(graph.items())
        for target, line, function in imports
        if function is not None and not (module.endswith(".apps") and function == "ready")
    ]


def cycles(graph):
    """Groups of modules that import each other, directly or through others (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target, _line, _function in graph.get(module, ()):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def project_graph():
    return import_graph(read_modules(Path(settings.BASE_DIR)))


def test_every_app_of_the_project_has_its_layer():
    root = Path(settings.BASE_DIR)
    apps = {
        path.parent.name
        for path in root.glob("*/__init__.py")
        if path.parent.name not in {"tests", "locale", "static", "templates"}
    }
    assert apps == set(LAYERS)


def test_no_app_imports_an_app_above_it():
    upward = upward_imports(project_graph())
    assert not upward, "Import only from the layers below (ARCHITECTURE.md):\n" + "\n".join(upward)


def test_no_modules_import_each_other():
    found = cycles(project_graph())
    assert not found, "These modules import each other, directly or not:\n" + "\n".join(
        " → ".join(group) for group in found
    )


def test_imports_inside_functions_are_only_for_start_up():
    hidden = imports_inside_functions(project_graph())
    assert not hidden, (
        "Import at the top of the module; an import inside a function is for start-up "
        "order only, in an AppConfig.ready():\n" + "\n".join(hidden)
    )


# The checks themselves, on a few lines written for them ----------------------------


def graph_of(sources):
    return import_graph({module: (source, False) for module, source in sources.items()})


def test_an_upward_import_is_caught():
    graph = graph_of(
        {
            "networks.models": "from members.models import Entity\n",
            "members.models": "from networks.models import Network\n",
            "members.views": "from members.models import Entity\nfrom core.errors import Refused\n",
            "core.errors": "",
        }
    )
    assert upward_imports(graph) == ["networks.models:1 imports members.models (an app above it)"]


def test_a_cycle_hidden_in_a_function_is_caught():
    graph = graph_of(
        {
            "events.services": "def book():\n    from events.tasks import send\n",
            "events.tasks": "from events.reminders import remind\n",
            "events.reminders": "from events.services import book\n",
            "events.models": "",
        }
    )
    assert cycles(graph) == [["events.reminders", "events.services", "events.tasks"]]
    assert imports_inside_functions(graph) == [
        "events.services:2 imports events.tasks inside book()"
    ]


def test_imports_in_ready_are_allowed():
    graph = graph_of(
        {
            "members.apps": (
                "class MembersConfig:\n    def ready(self):\n        from members import history\n"
            ),
            "members.history": "",
        }
    )
    assert imports_inside_functions(graph) == []
