"""The box "What the checks expect" on each step's page, from what the step's tests declare.

    python -m tools.expects 05           prints the box for step 05 (as the site's {{ expects 05_sqlite }} shows it)
    python -m tools.expects 05 zh        the same, in Chinese

A test declares what the student's app must produce where it checks it, with tests/support/expects.py:
`expects.text("Task added.")` returns its argument, so the assertion compares with the declaration itself;
`expects.route(...)`, `.form(...)`, `.element(...)`, `.json(...)`, `.header(...)`, `.file(...)`, `.command(...)`
and `.env(...)` name routes, forms, page elements, JSON answers, response headers, files, commands and environment
variables. This module reads those calls with ast (nothing is imported or run) from the step's test modules, the
support modules they import everything from (`from support.X import *`), and the modules of other steps they reuse
(`reused(...)`, minus the tests left out), and lists them once each, in the order of the page's sections. Nothing
is guessed: a requirement no test declares is not in the box (tests/test_expects.py holds the box to the
declarations, and the declarations to the course's routes and commands).
"""
import ast
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"

# The declaring calls (expects.<name>) and the kind of requirement each makes, in the box's order.
KINDS = {"route": "routes", "form": "routes", "element": "elements", "text": "texts", "json": "json",
         "header": "headers", "file": "files", "command": "commands", "env": "env"}
ORDER = ["routes", "elements", "texts", "json", "headers", "files", "commands", "env"]

WORDS = {
    "zh": {"title": "检查要求什么",
           "intro": "这一步的检查会逐字比较下面这些内容，它们就声明在 tests/{step}/ 的测试里：名字、路径和文字要一字不差。"
                    "文字里的 `{{name}}` 表示会变化的值。",
           "routes": "路由（和表单的字段名）", "elements": "测试按这些找到页面的部分（CSS 选择器）",
           "texts": "要一字不差的文字（页面显示或命令输出）", "json": "JSON 回答", "headers": "响应头",
           "files": "文件", "commands": "命令", "env": "应用读取的环境变量",
           "contains": "含有", "comments": "注释里写着", "names": "定义了", "where": "（{}）", "sep": "、",
           "colon": "："},
    "en": {"title": "What the checks expect",
           "intro": "This step's checks compare these exactly, as the tests in tests/{step}/ declare them: names, "
                    "paths and texts must match to the letter. `{{name}}` in a text stands for a value that varies.",
           "routes": "Routes (and the names of a form's fields)",
           "elements": "Page elements the tests find by (CSS selectors)",
           "texts": "Exact texts (what a page shows or a command prints)", "json": "JSON answers",
           "headers": "Response headers", "files": "Files", "commands": "Commands",
           "env": "Environment variables the app reads",
           "contains": "containing", "comments": "with comments naming", "names": "defining", "where": " ({})",
           "sep": ", ", "colon": ": "},
}


class DeclarationError(Exception):
    """A declaration whose value cannot be read from the source (it must be written out)."""


@dataclass
class Declaration:
    kind: str                     # one of ORDER
    value: str                    # the route, text, path... as the box shows it
    details: dict = field(default_factory=dict)   # a form's fields, a file's contents
    where: str = ""               # tests/NN_name/test_x.py:12
    bare: bool = False            # a statement of its own (its value is not used by the test around it)
    steps: list = None            # the steps whose box shows it (None: every step whose suite runs the module)


@dataclass
class Module:
    path: Path
    tree: ast.Module
    leave_out: frozenset = frozenset()

    @property
    def name(self):
        return self.path.relative_to(ROOT).as_posix() if self.path.is_relative_to(ROOT) else str(self.path)


def parsed(path, leave_out=frozenset()):
    return Module(path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path)), frozenset(leave_out))


def support_module(name):
    """tests/support/X.py for "support.X" (or ".X" inside the support package), when it exists."""
    name = name.removeprefix("support.").lstrip(".")
    path = TESTS / "support" / (name.replace(".", "/") + ".py")
    return path if path.is_file() else None


def literal(node):
    """The value of a node written as a literal, or None."""
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None


def names_in(node, module):
    """The names a leave_out argument holds: a set, list or tuple of strings, set(), or a constant of the module."""
    if isinstance(node, ast.Name):
        found = [statement.value for statement in module.tree.body if isinstance(statement, ast.Assign)
                 and any(isinstance(target, ast.Name) and target.id == node.id for target in statement.targets)]
        return names_in(found[-1], module) if found else set()
    if isinstance(node, ast.Call):  # set()
        return set()
    return set(literal(node) or ())


def reused_modules(module):
    """The modules of other steps this one runs (reused(step, module, leave_out) and reused_modules(step, {...})),
    each with the tests it leaves out."""
    found = []
    for node in ast.walk(module.tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in ("reused", "reused_modules") and node.args):
            continue
        step = literal(node.args[0])
        if node.func.id == "reused":
            leave_out = node.args[2] if len(node.args) > 2 else next(
                (keyword.value for keyword in node.keywords if keyword.arg == "leave_out"), None)
            names = {literal(node.args[1]): names_in(leave_out, module) if leave_out is not None else set()}
        else:
            table = node.args[1]
            names = {literal(key): names_in(value, module) for key, value in zip(table.keys, table.values)}
        for name, leave_out in names.items():
            path = TESTS / step / f"{name}.py"
            if path.is_file():
                found.append(parsed(path, module.leave_out | leave_out))
    return found


def star_imports(module):
    """The support modules this one imports everything from."""
    found = []
    for node in module.tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and any(alias.name == "*" for alias in node.names):
            path = support_module(node.module) if node.module.startswith("support") or node.level else None
            if path:
                found.append(parsed(path, module.leave_out))
    return found


def suite(step):
    """Every module whose declarations count for the step: its own, and what they import or reuse, once each."""
    modules, seen = [], set()

    def visit(module):
        key = (module.path, module.leave_out)
        if key in seen:
            return
        seen.add(key)
        modules.append(module)
        for other in star_imports(module) + reused_modules(module):
            visit(other)

    for path in sorted((TESTS / step).glob("*.py")):
        visit(parsed(path))
    return modules


class Reader:
    """Reads one module's declarations: the calls of its `expects` (from support import expects)."""

    def __init__(self, module):
        self.module = module
        self.alias = next((alias.asname or alias.name for node in module.tree.body
                           if isinstance(node, ast.ImportFrom) and node.module in ("support", None)
                           for alias in node.names if alias.name == "expects"), None)
        self.constants = {}
        self.imported = {}
        for node in module.tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target, value = node.targets[0], node.value
                if isinstance(target, ast.Name):
                    self.constants[target.id] = value
                elif (isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple)
                      and len(target.elts) == len(value.elts)):  # USERNAME, PASSWORD = "student", "flask"
                    self.constants.update((name.id, part) for name, part in zip(target.elts, value.elts)
                                          if isinstance(name, ast.Name))
            elif isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    self.imported[alias.asname or alias.name] = (node.module, alias.name)

    def where(self, node):
        return f"{self.module.name}:{node.lineno}"

    def string(self, node, depth=0):
        """The text a node is written as: a string, an f-string ({name} where it varies), a constant, a sum."""
        if depth > 5:
            return None
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.JoinedStr):
            parts = []
            for part in node.values:
                if isinstance(part, ast.Constant):
                    parts.append(part.value)
                elif isinstance(part.value, ast.Name) and self.string(part.value, depth + 1) is not None:
                    parts.append(self.string(part.value, depth + 1))  # a constant of the module: its text
                else:
                    parts.append("{" + ast.unparse(part.value) + "}")
            return "".join(parts)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = self.string(node.left, depth + 1), self.string(node.right, depth + 1)
            return left + right if left is not None and right is not None else None
        if isinstance(node, ast.Call) and self.declares(node) and node.args:
            return self.string(node.args[0], depth + 1)
        if isinstance(node, ast.Name):
            if node.id in self.constants:
                return self.string(self.constants[node.id], depth + 1)
            if node.id in self.imported:
                module, name = self.imported[node.id]
                path = support_module(module) if module.startswith("support") else None
                if path:
                    return Reader(parsed(path)).string(ast.Name(id=name), depth + 1)
        return None

    def strings(self, node):
        """The strings of a list or tuple (or of one string)."""
        items = node.elts if isinstance(node, (ast.List, ast.Tuple, ast.Set)) else [node]
        return [self.required(item) for item in items]

    def required(self, node):
        value = self.string(node)
        if value is None:
            raise DeclarationError(f"{self.where(node)}: write the declared value out: {ast.unparse(node)}")
        return value

    def json(self, node):
        """A JSON answer as the box shows it: what is written out as JSON, … for what the test computes."""
        if isinstance(node, ast.Dict):
            return "{" + ", ".join(f"{self.json(key)}: {self.json(value)}"
                                   for key, value in zip(node.keys, node.values)) + "}"
        if isinstance(node, (ast.List, ast.Tuple)):
            return "[" + ", ".join(self.json(item) for item in node.elts) + "]"
        if isinstance(node, ast.Constant):
            return json.dumps(node.value, ensure_ascii=False)
        return "…"

    def declares(self, node):
        return (self.alias is not None and isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.value.id == self.alias
                and node.func.attr in KINDS)

    def declarations(self):
        """The module's declarations in source order (a form's fields, a file's contents and where= with them)."""
        found = []
        if self.alias is None:
            return found
        bare = {id(node.value) for node in ast.walk(self.module.tree) if isinstance(node, ast.Expr)}
        for node in self.walk(self.module.tree):
            if not self.declares(node):
                continue
            verb, kind = node.func.attr, KINDS[node.func.attr]
            where, alone = self.where(node), id(node) in bare
            details = {keyword.arg: self.strings(keyword.value) for keyword in node.keywords}
            steps = details.pop("steps", None)  # steps=("07_deploy",): this step's box only, not a reusing one's
            if verb == "form":
                action, *fields = [self.required(arg) for arg in node.args]
                made = [Declaration(kind, action, {"fields": fields}, where, alone)]
            elif verb == "json":
                made = [Declaration(kind, self.json(node.args[0]), {}, where, alone)]
            elif verb == "file":
                path, *contains = [self.required(arg) for arg in node.args]
                if contains:
                    details["contains"] = contains + details.get("contains", [])
                made = [Declaration(kind, path, details, where, alone)]
            else:  # where= (a text's page or command) goes with each of them
                made = [Declaration(kind, self.required(arg), dict(details), where, alone) for arg in node.args]
            for declaration in made:
                declaration.steps = steps
            found += made
        return found

    def walk(self, tree):
        """Every node in source order, without the tests the reusing module leaves out."""
        for node in ast.iter_child_nodes(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in self.module.leave_out:
                continue
            yield node
            yield from self.walk(node)


def page_order(step):
    """{anchor: position} of the sections of the step's page (docs/steps/NN_name.en.md)."""
    page = ROOT / "docs" / "steps" / f"{step}.en.md"
    text = page.read_text(encoding="utf-8") if page.is_file() else ""
    return {anchor: number for number, anchor in enumerate(re.findall(r"\{ #([\w-]+) \}", text))}


def anchor_of(module):
    """The anchor of a module's concept (its pytestmark, else its first test's), or None."""
    for node in ast.walk(module.tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "concept"
                and len(node.args) > 1):
            return literal(node.args[1])
    return None


def declarations(step):
    """Every declaration of the step's suite, in the order of the page's sections, the same one once."""
    order = page_order(step)
    own = sorted(suite(step), key=lambda module: order.get(anchor_of(module), len(order)))
    found, seen = [], {}
    for module in own:
        for declaration in Reader(module).declarations():
            if declaration.steps is not None and step not in declaration.steps:
                continue
            # A route is one whatever query string it shows: "GET /search?q=…" and the form "GET /search" meet.
            value = declaration.value.partition("?")[0] if declaration.kind == "routes" else declaration.value
            key = (declaration.kind, value)
            if key in seen:
                kept = seen[key]
                if len(declaration.value) > len(kept.value):
                    kept.value = declaration.value
                for name, values in declaration.details.items():
                    kept.details[name] = list(dict.fromkeys(kept.details.get(name, []) + values))
                continue
            seen[key] = declaration
            found.append(declaration)
    return found


def code(text):
    """Inline Markdown code that holds any text (backticks included)."""
    fence = "``" if "`" in text else "`"
    padded = f" {text} " if text.startswith("`") or text.endswith("`") else text
    return f"{fence}{padded}{fence}"


def route_sort_key(declaration):
    """Routes by path (its query string aside), then GET before POST."""
    method, _, path = declaration.value.partition(" ")
    return path.partition("?")[0], method


def shown(value):
    """A value as the box shows it: a text the tests read as the start of a longer one ("Health check failed: ")
    ends in … where its space would vanish."""
    return value + "…" if value != value.rstrip() else value


def item(declaration, words):
    """One line of the box: the value, and its fields or contents."""
    line = code(shown(declaration.value))
    details = declaration.details
    if details.get("fields"):  # the CSRF token last: the same in every form from step 04 on
        fields = sorted(details["fields"], key=lambda name: name == "csrf_token")
        line += words["colon"] + words["sep"].join(code(name) for name in fields)
    for name in ("contains", "names", "comments"):
        if details.get(name):
            line += f" {words[name]} " + words["sep"].join(code(shown(text)) for text in details[name])
    if details.get("where"):  # where a text shows: a command line or a page
        line += words["where"].format(words["sep"].join(code(text) for text in details["where"]))
    return line


def render_expects(step, language):
    """The box, as Markdown: a details block (folded; it opens without JavaScript) with a list per kind."""
    words = WORDS[language]
    found = declarations(step)
    lines = [f'??? note "{words["title"]}"', "", f"    {words['intro'].format(step=step)}", ""]
    for kind in ORDER:
        chosen = [declaration for declaration in found if declaration.kind == kind]
        if kind == "routes":
            chosen.sort(key=route_sort_key)
        if chosen:
            lines += [f"    **{words[kind]}**", ""]
            lines += [f"    - {item(declaration, words)}" for declaration in chosen]
            lines += [""]
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    sys.dont_write_bytecode = True
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from tutorial import resolve_step

    print(render_expects(resolve_step(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "en"))
