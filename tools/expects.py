"""What a step's tests compare, read from the tests themselves: the box "What the checks expect" on each page.

    python -m tools.expects 05        prints the box for step 05 (as the site's {{ expects 05_sqlite }} shows it)

Nothing is listed by hand. The suite's source (tests/NN_name/*.py, and the shared test modules it imports
with `from support.X import *`) is read with ast:
  - routes: every string that starts with "/" and that a route of the course's step answers;
  - form fields: every key of a dict the tests send that is the name of a form control in the step's templates;
  - elements: the ids, roles, classes and CSS selectors the tests look up in a page;
  - exact texts: the strings (and f-strings, with {…} for what varies) the tests compare with == or in,
    directly or through a module constant, that read as a sentence a student's page must show.
"""
import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tutorial import folder_files, resolve_step  # noqa: E402

WORDS = {
    "zh": {"title": "检查要求什么", "intro": "这一步的检查会比较下面这些内容，取自 tests/{step}/ 本身：名字和文字要一字不差。",
           "routes": "路由", "fields": "表单字段（name）", "elements": "页面元素", "texts": "要一字不差的文字"},
    "en": {"title": "What the checks expect", "intro": "This step's checks compare these, taken from tests/{step}/ "
                                                        "itself: names and texts must match exactly.",
           "routes": "Routes", "fields": "Form fields (name)", "elements": "Page elements", "texts": "Exact texts"},
}

# The calls whose string arguments the tests look elements up by.
SELECTOR_CALLS = {"select", "select_one"}
LOOKUP_KEYWORDS = {"id": "#{}", "class_": ".{}"}
TYPING_CALLS = {"add", "add_all", "insert", "submit", "sign_up", "post", "get", "open", "page"}
SENTENCE = re.compile(r"[A-Za-z].*[ .!?:]|^[A-Z][a-z]+[.!]?$")


def suite_sources(step):
    """The test files of a step and the shared modules they import everything from."""
    folder = ROOT / "tests" / step
    sources = sorted(folder.glob("*.py"))
    shared = []
    for path in sources:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("support.") and any(
                    alias.name == "*" for alias in node.names):
                module = ROOT / "tests" / (node.module.replace(".", "/") + ".py")
                if module.is_file() and module not in shared:
                    shared.append(module)
    return sources + shared


def text_of(node, constants):
    """The string a node stands for: a constant, an f-string with {…} for what varies, or a module constant."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value if isinstance(part, ast.Constant) else "{…}" for part in node.values)
    if isinstance(node, ast.Name) and node.id in constants:
        return constants[node.id]
    return None


def strings_in(node, constants):
    """Every string a node holds, however deep (tuples and lists of parametrize, both sides of a comparison)."""
    found = []
    for child in ast.walk(node):
        text = text_of(child, constants)
        if text is not None:
            found.append(text)
    return found


def read_suite(step):
    """(routes, dict keys sent, elements, compared texts) as the tests write them, in the order first seen."""
    routes, keys, elements, texts, typed = [], [], [], [], set()

    def add(bucket, value):
        if value and value not in bucket:
            bucket.append(value)

    for path in suite_sources(step):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {target.id: node.value.value for node in tree.body if isinstance(node, ast.Assign)
                     for target in node.targets if isinstance(target, ast.Name) and target.id.isupper()
                     and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)}
        for node in ast.walk(tree):
            text = text_of(node, constants) if isinstance(node, (ast.Constant, ast.JoinedStr)) else None
            if text and text.startswith("/") and not text.startswith("//"):
                add(routes, text)
            if isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values):
                    name = text_of(key, constants) if key is not None else None
                    if name in ("role", "name", "type") and text_of(value, constants):
                        if name == "role":
                            add(elements, f'[role="{text_of(value, constants)}"]')
                    elif name:
                        add(keys, name)
                        typed.update(strings_in(value, constants) if value is not None else [])
            if isinstance(node, ast.Call):
                func = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if func in TYPING_CALLS:  # what a test types in is not something the page must say
                    typed.update(value for arg in node.args for value in strings_in(arg, constants))
                if func in SELECTOR_CALLS and node.args:
                    add(elements, text_of(node.args[0], constants))
                for keyword in node.keywords:
                    value = text_of(keyword.value, constants)
                    if keyword.arg in LOOKUP_KEYWORDS and value and "{…}" not in value:
                        add(elements, LOOKUP_KEYWORDS[keyword.arg].format(value))
            if isinstance(node, ast.Compare) and all(isinstance(op, (ast.Eq, ast.In, ast.NotIn)) for op in node.ops):
                for value in strings_in(node, constants):
                    add(texts, value)
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "parametrize":
                for value in strings_in(node, constants):
                    if value in constants.values():
                        add(texts, value)
    return routes, keys, elements, [text for text in texts if text not in typed]


def step_routes(step):
    """A matcher for the course's step: does one of its routes answer this path?"""
    from tools.steps import StepApp

    loaded = StepApp(ROOT / "steps", step)
    try:
        adapter = loaded.app.url_map.bind("localhost")
    finally:
        loaded.close()

    def answers(path):
        from werkzeug.exceptions import MethodNotAllowed, NotFound

        try:
            adapter.match(path, method="GET")
        except MethodNotAllowed:
            return True
        except NotFound:
            return False
        except Exception:  # a redirect to the path with a slash, say
            return True
        return True

    return answers


def form_fields(step):
    """The names of the form controls in the course's step's templates."""
    names = set()
    for name in folder_files(ROOT / "steps" / step):
        if name.startswith("templates/") or "/templates/" in name:  # taskman/templates/ in a package (08 on)
            names.update(re.findall(r'\bname="([A-Za-z0-9_-]+)"', (ROOT / "steps" / step / name).read_text(
                encoding="utf-8")))
    return names


def expectations(step):
    """{"routes": [...], "fields": [...], "elements": [...], "texts": [...]} for a step, from its tests."""
    routes, keys, elements, texts = read_suite(step)
    answers = step_routes(step)
    shown_routes = []
    for route in routes:
        path, _, query = route.partition("?")
        path = re.sub(r"\{[a-z_…]*\}", "1", path)
        if not answers(path):
            continue
        # /tasks/1, /tasks/999 and /tasks/{id} are one route; a query string shows only its names.
        shown = re.sub(r"/\d+(?=/|$)", "/<id>", path)
        names = [part.split("=")[0] for part in query.split("&") if part.split("=")[0]]
        shown += ("?" + "&".join(f"{name}=…" for name in dict.fromkeys(names))) if names else ""
        if shown not in shown_routes:
            shown_routes.append(shown)
    fields = form_fields(step)
    return {
        "routes": shown_routes,
        "fields": [key for key in keys if key in fields],
        "elements": [element for element in elements if element],
        "texts": [text for text in texts if reads_as_text(text) and text not in elements],
    }


def reads_as_text(text):
    """A string a page must show, not a route, a selector or a piece of code: a few words, or a sentence."""
    if text != text.strip() or len(text) < 4 or "\n" in text or text.startswith("/") or not SENTENCE.search(text):
        return False
    if re.search(r"[<>{}=]|\(\)", text.replace("{…}", "")):
        return False
    return " " in text or (text.endswith(".") and text[:1].isupper())


def code(text):
    """Inline Markdown code that holds any text (backticks included)."""
    fence = "``" if "`" in text else "`"
    return f"{fence}{text}{fence}" if not text.startswith("`") else f"{fence} {text} {fence}"


def render_expects(step, language):
    """The box, as Markdown: an admonition with a list per kind, in the page's language."""
    words = WORDS[language]
    found = expectations(step)
    lines = [f'!!! info "{words["title"]}"', "", f"    {words['intro'].format(step=step)}", ""]
    for kind in ("routes", "fields", "elements", "texts"):
        if found[kind]:
            joined = ("、" if language == "zh" else ", ").join(code(value) for value in found[kind])
            lines += [f"    **{words[kind]}**{'：' if language == 'zh' else ': '}{joined}", ""]
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    sys.dont_write_bytecode = True
    print(render_expects(resolve_step(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "en"))
