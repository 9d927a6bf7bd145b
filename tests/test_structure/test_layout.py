"""The shape of the tree: no import circle among the package's modules, no
script in tools/ or benchmarks/ importing a tool, no ``sys.path`` edits,
and the harness outside tools/."""
import ast
import os.path as osp
from glob import glob

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def _module_name(path):
    rel = osp.relpath(path, REPO)[:-3].replace(osp.sep, '.')
    return rel[:-len('.__init__')] if rel.endswith('.__init__') else rel


def _imports(path):
    """Absolute names of the modules that ``path`` imports at module level
    or inside functions (relative imports resolved)."""
    name = _module_name(path)
    package = name if path.endswith('__init__.py') else name.rpartition('.')[0]
    out = set()
    for node in ast.walk(ast.parse(open(path).read())):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ''
            if node.level:
                parts = package.split('.')
                parts = parts[:len(parts) - node.level + 1]
                base = '.'.join(parts + ([base] if base else []))
            out.add(base)
            out.update(f'{base}.{a.name}' for a in node.names)
    return out


def _package_graph():
    files = glob(osp.join(REPO, 'wsss_mm', '**', '*.py'), recursive=True)
    modules = {_module_name(f): f for f in files}
    graph = {}
    for name, path in modules.items():
        deps = set()
        for imp in _imports(path):
            # the module itself, or the package a name was imported from
            while imp and imp not in modules:
                imp = imp.rpartition('.')[0]
            if imp and imp != name and not name.startswith(imp + '.'):
                deps.add(imp)
        graph[name] = deps
    return graph


def test_no_import_circle_in_the_package():
    graph = _package_graph()
    assert len(graph) > 50
    state, cycles = {}, []

    def visit(node, stack):
        state[node] = 'open'
        for dep in sorted(graph[node]):
            if state.get(dep) == 'open':
                cycles.append(stack[stack.index(dep):] + [dep])
            elif dep not in state:
                visit(dep, stack + [dep])
        state[node] = 'done'

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    # a package __init__ importing its submodules is not a circle unless a
    # submodule imports a sibling that imports it back
    cycles = [
        c for c in cycles if not all(
            n == c[0] or n.startswith(c[0] + '.') or c[0].startswith(n + '.')
            for n in c)
    ]
    assert not cycles, cycles


def _scripts():
    return [
        f for d in ('tools', 'benchmarks')
        for f in glob(osp.join(REPO, d, '**', '*.py'), recursive=True)
    ]


def test_no_tool_imports_a_tool_and_no_sys_path_edits():
    scripts = _scripts()
    assert scripts
    for path in scripts:
        src = open(path).read()
        assert 'sys.path.insert' not in src and 'sys.path.append' not in src, (
            path)
        bad = [
            m for m in _imports(path) if m == 'tools' or m.startswith('tools.')
        ]
        assert not bad, (path, bad)


def test_the_harness_lives_in_benchmarks():
    assert not osp.exists(osp.join(REPO, 'tools', 'benchmark'))
    for name in ('run_bench', 'make_report', 'claims', 'train_ablation',
                 'ablations'):
        assert osp.isfile(osp.join(REPO, 'benchmarks', name + '.py'))
    assert osp.isdir(osp.join(REPO, 'benchmarks', 'speed'))
