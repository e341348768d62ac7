"""The package structure of `shared/helpdesk`, checked from the source (nothing is imported).

- No import cycle between top-level packages (`helpdesk.mail.adapters.s3` counts as `mail`, `bootstrap.py` as
  `bootstrap`). The composition root and the local edges (`bootstrap`, `local`, `cli`) may import
  everything, so edges out of them are left out; in exchange only `local`, `cli` and `web` import `bootstrap`.
- The kernel and each capability's model modules import no AWS SDK, directly or through helpdesk modules.
- Only `settings.py`, `local/` and `cli/` read the environment.
- No `wiring.py`: the composition root is `bootstrap.py`.

Every import counts: module level, inside functions, under `if TYPE_CHECKING:`.
"""

import ast
import itertools
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3] / "shared"
PACKAGE = ROOT / "helpdesk"

COMPOSITION_EDGES = frozenset({"bootstrap", "local", "cli"})  # may import anything: no outgoing edge counted
BOOTSTRAP_IMPORTERS = frozenset({"local", "cli", "web"})
# A capability's `cli.py` and `local.py` are local edges too: bootstrap registers them (CLI_COMMANDS,
# LOCAL_EXTENSIONS) and they may use the container; nothing in the capability imports them.
EDGE_MODULE_NAMES = frozenset({"cli", "local"})


def is_edge_module(module: str) -> bool:
    parts = module.split(".")
    return len(parts) == 3 and parts[2] in EDGE_MODULE_NAMES
ENVIRONMENT_READERS = ("settings.py", "local/", "cli/")
AWS_SDKS = frozenset({"boto3", "botocore", "pynamodb", "aws_lambda_powertools"})
PURE_MODULES = (
    "helpdesk.tickets.model",
    "helpdesk.tickets.history",
    "helpdesk.tickets.sla_state",
    "helpdesk.mail.model",
    "helpdesk.chat.model",
    "helpdesk.triage.model",
    "helpdesk.knowledge.articles",
    "helpdesk.sla.policy",
    "helpdesk.sla.calendar",
)


@dataclass(frozen=True)
class Import:
    source: str  # importing module, dotted
    target: str  # imported module (helpdesk ones resolved to a module or package that exists), dotted
    line: int
    text: str  # the statement as written

    @property
    def where(self) -> str:
        return f"{module_path(self.source).relative_to(ROOT)}:{self.line}: {self.text}"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def module_path(name: str) -> Path:
    return modules()[name]


def node(module: str) -> str:
    """`helpdesk.mail.adapters.s3` -> `mail`; `helpdesk.bootstrap` -> `bootstrap`; `helpdesk` -> `helpdesk`."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _resolve(name: str) -> str:
    """The longest prefix of `name` that is a helpdesk module (`helpdesk.x.y.Class` -> `helpdesk.x.y`)."""
    parts = name.split(".")
    while parts and ".".join(parts) not in modules():
        parts.pop()
    return ".".join(parts) or name


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _import_statements(tree: ast.AST) -> list[tuple[ast.Import | ast.ImportFrom, str]]:
    """Every import statement with where it runs: "module level", "in a function" or "TYPE_CHECKING"."""
    found: list[tuple[ast.Import | ast.ImportFrom, str]] = []

    def visit(node: ast.AST, scope: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                found.append((child, scope))
            elif isinstance(child, ast.If) and _is_type_checking(child.test):
                for stmt in child.body:
                    visit(ast.Module(body=[stmt], type_ignores=[]), "TYPE_CHECKING")
                for stmt in child.orelse:
                    visit(ast.Module(body=[stmt], type_ignores=[]), scope)
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                visit(child, "in a function" if scope == "module level" else scope)
            else:
                visit(child, scope)

    visit(tree, "module level")
    return found


@cache
def imports(module: str) -> tuple[Import, ...]:
    """Every import statement of `module`, anywhere in it, one `Import` per imported name."""
    path = module_path(module)
    source = path.read_text()
    tree = ast.parse(source, filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[Import] = []
    for stmt, scope in _import_statements(tree):
        text = f"{(ast.get_source_segment(source, stmt) or '').splitlines()[0]}  [{scope}]"
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                target = _resolve(alias.name) if alias.name.startswith("helpdesk.") else alias.name
                found.append(Import(module, target, stmt.lineno, text))
            continue
        if stmt.level:
            base = package.split(".")
            base = base[: len(base) - (stmt.level - 1)]
            parent = ".".join([*base, *([stmt.module] if stmt.module else [])])
        else:
            parent = stmt.module or ""
        if parent == "helpdesk" or parent.startswith("helpdesk."):
            for alias in stmt.names:  # `from helpdesk.x import y`: y may be a module of its own
                found.append(Import(module, _resolve(f"{parent}.{alias.name}"), stmt.lineno, text))
        else:
            found.append(Import(module, parent, stmt.lineno, text))
    return tuple(found)


def helpdesk_imports(module: str) -> list[Import]:
    return [i for i in imports(module) if i.target == "helpdesk" or i.target.startswith("helpdesk.")]


def package_edges() -> dict[tuple[str, str], list[Import]]:
    edges: dict[tuple[str, str], list[Import]] = defaultdict(list)
    for module in modules():
        for imp in helpdesk_imports(module):
            a, b = node(imp.source), node(imp.target)
            if a != b:
                edges[(a, b)].append(imp)
    return edges


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (as a closed path) through each strongly connected component bigger than one node."""
    return [shortest_cycle(graph, component) for component in strongly_connected_components(graph)]


def strongly_connected_components(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm: each component bigger than one node, its members sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def strongconnect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                strongconnect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component: list[str] = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            strongconnect(v)
    return components


def shortest_cycle(graph: dict[str, set[str]], component: list[str]) -> list[str]:
    """The shortest path from the component's first node back to itself inside the component (breadth first)."""
    members = set(component)
    start = component[0]
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier and start not in previous:
        following: list[str] = []
        for v in frontier:
            for w in sorted(graph.get(v, set()) & members):
                if w not in previous:
                    previous[w] = v
                    following.append(w)
        frontier = following
    path = [start]
    v = previous[start]
    while v != start:
        path.append(v)
        v = previous[v]
    path.append(start)
    return path[::-1]


# -- the tests ----------------------------------------------------------------------------------------


def test_the_scan_sees_the_whole_package() -> None:
    assert "helpdesk.bootstrap" in modules()
    assert "helpdesk.tickets.adapters.dynamo" in modules()
    edges = package_edges()
    assert ("tickets", "kernel") in edges
    # Function-level and TYPE_CHECKING imports count.
    assert any(i.target == "helpdesk.tickets.service" for i in helpdesk_imports("helpdesk.bootstrap"))


def test_the_cycle_finder_reports_a_closed_path() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e"}}
    assert find_cycles(graph) == [["a", "b", "c", "a"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def test_no_cycles_between_packages() -> None:
    edges = package_edges()
    graph: dict[str, set[str]] = defaultdict(set)
    for a, b in edges:
        if a not in COMPOSITION_EDGES:
            graph[a].add(b)
    cycles = find_cycles(graph)
    report = []
    for cycle in cycles:
        report.append(" -> ".join(cycle))
        for a, b in itertools.pairwise(cycle):
            report.append(f"  {a} -> {b}:")
            report.extend(f"    {where}" for where in dict.fromkeys(imp.where for imp in edges[(a, b)]))
    assert not cycles, "import cycles between packages:\n" + "\n".join(report)


def test_only_the_edges_import_the_composition_root() -> None:
    offenders = [imp.where for (a, b), found in package_edges().items()
                 if b == "bootstrap" and a not in BOOTSTRAP_IMPORTERS
                 for imp in found if not is_edge_module(imp.source)]
    assert not offenders, ("imports of helpdesk.bootstrap outside local/, cli/, web/ and the capabilities' cli.py "
                           "and local.py:\n" + "\n".join(offenders))


def _sdk_paths(start: str) -> list[list[Import]]:
    """Import chains from `start` to an AWS SDK, through helpdesk modules (and their packages' __init__)."""
    found: list[list[Import]] = []
    seen = {start}
    queue: list[tuple[str, list[Import]]] = [(start, [])]
    while queue:
        module, chain = queue.pop(0)
        for imp in imports(module):
            root = imp.target.split(".")[0]
            if root in AWS_SDKS:
                found.append([*chain, imp])
                continue
            if root != "helpdesk":
                continue
            targets = [imp.target]
            parts = imp.target.split(".")
            targets += [".".join(parts[:n]) for n in range(1, len(parts))]  # importing runs the packages' __init__
            for target in targets:
                if target in modules() and target not in seen:
                    seen.add(target)
                    queue.append((target, [*chain, imp]))
    return found


def test_the_sdk_scan_follows_helpdesk_modules() -> None:
    direct = _sdk_paths("helpdesk.tickets.adapters.dynamo")
    assert any(chain[-1].target.startswith("pynamodb") for chain in direct)
    # sla.hook reaches Powertools only through a function-level import of helpdesk.platform.observability.
    through = _sdk_paths("helpdesk.sla.hook")
    assert any(len(chain) > 1 and chain[-1].target.startswith("aws_lambda_powertools") for chain in through)


def _kernel_and_models() -> list[str]:
    return sorted(m for m in modules() if m == "helpdesk.kernel" or m.startswith("helpdesk.kernel.")) + list(
        PURE_MODULES)


def test_the_model_modules_exist() -> None:
    missing = [m for m in PURE_MODULES if m not in modules()]
    assert not missing, f"model modules moved or gone (update the architecture test): {missing}"
    assert any(m.startswith("helpdesk.kernel.") for m in modules())


@pytest.mark.parametrize("module", _kernel_and_models())
def test_kernel_and_models_import_no_aws_sdk(module: str) -> None:
    if module not in modules():
        pytest.fail(f"{module} does not exist")
    chains = _sdk_paths(module)
    report = ["  via " + " => ".join(imp.where for imp in chain) for chain in chains]
    assert not chains, f"{module} reaches an AWS SDK:\n" + "\n".join(report)


ENVIRONMENT = re.compile(r"os\.environ|os\.getenv|\bgetenv\(|\bfrom os import\b.*\b(environ|getenv)\b")


def test_the_environment_pattern_matches_real_reads() -> None:
    assert ENVIRONMENT.search('path = os.environ.get("HELPDESK_HOME")')
    assert ENVIRONMENT.search("value = os.getenv('X')")
    assert ENVIRONMENT.search("from os import environ")
    assert not ENVIRONMENT.search("environment = settings.runtime")


def test_only_settings_local_and_cli_read_the_environment() -> None:
    offenders = []
    for name, path in modules().items():
        relative = path.relative_to(PACKAGE).as_posix()
        if relative == ENVIRONMENT_READERS[0] or relative.startswith(ENVIRONMENT_READERS[1:]):
            continue
        offenders += [f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
                      for n, line in enumerate(path.read_text().splitlines(), start=1) if ENVIRONMENT.search(line)]
        offenders += [imp.where for imp in imports(name) if imp.target == "os.environ"]
    assert not offenders, "environment read outside settings.py, local/, cli/:\n" + "\n".join(offenders)


def test_there_is_no_wiring_module() -> None:
    found = [str(p.relative_to(ROOT)) for p in PACKAGE.rglob("wiring.py")]
    assert not found, f"the composition root is helpdesk/bootstrap.py; remove {found}"
