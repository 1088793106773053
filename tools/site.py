"""The mkdocs hook that fills the course pages with code taken from steps/ while the site is built.

A page asks for generated content with a directive alone on a line, in double braces:

    {{ diff 03_templates }}                     every file that changed since the step before: a coloured
                                                unified diff, and the whole new file with its changes marked;
                                                in reading order, packaging last (reading_order)
    {{ file 01_hello app.py }}                  a whole file
    {{ excerpt 05_sqlite app.py get_db }}       a Python function or class, with its decorators
    {{ excerpt 03_templates templates/base.html block=content }}     a Jinja block
    {{ excerpt 03_templates templates/base.html tag=nav }}           an HTML element, by tag name
    {{ excerpt 06_taskman static/style.css css=.flash }}             a CSS rule, by selector
    {{ excerpt 04_forms app.py from="app = Flask" to="csrf =" }}     the lines from one text to another
    {{ request 06_taskman GET /tasks ; POST /tasks summary="Buy milk" }}
                                                real HTTP exchanges with the step's app (Flask's test
                                                client); a leading "-" runs a request without showing it;
                                                each shown as a request and a response, titled in the
                                                page's language (a redirect by its status and Location)
    {{ cli 05_sqlite init-db }}                 a `flask` command of the step, run, with its output
    {{ command python tutorial.py test 03 }}    a command to type (checked against tutorial.py's parser)
    {{ tree 05_sqlite }}                        the files of a step
    {{ expects 05_sqlite }}                     "What the checks expect", folded: the routes, forms, texts, files
                                                and commands the step's tests declare (tools/expects.py)
    {{ pitfalls 05_sqlite }}                    the tests that guard a step against the course's pitfalls
    {{ exercises 05_sqlite }}                   the step's exercises (exercises/05_sqlite/, tools/exercises.py):
                                                each task, its check, and its hints collapsed in order
    {{ bench }}                                 the load table of bench/results.json (python tutorial.py bench),
                                                with the targets' verdicts, the date and the machine
    {{ bench course }}                          the course's own speed, from the same file

Excerpts are found by name, never by line number, so they follow the code when it changes; a name
that is not found stops the build. Lines that changed since the step before are highlighted.
Every block is wrapped in <div class="course-block" data-kind=... data-source=...>, which is how
the tests prove that no page shows code that was not generated here.
"""
import ast
import contextlib
import copy
import difflib
import json
import os
import posixpath
import re
import shlex
import sqlite3
import sys
from http import HTTPStatus
from urllib.parse import quote_plus, urlsplit
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import tutorial  # noqa: E402
from tools import diagrams, reading, sitecache  # noqa: E402
from tools.expects import render_expects  # noqa: E402
from tools.forms import parse  # noqa: E402
from tools.steps import STEPS, StepApp, flask_app_option, folder_diff, folder_files, previous_step  # noqa: E402

# Chinese text: CJK ideographs, kana, CJK and full-width punctuation (HAN), and the quotes and dashes
# Chinese shares with English (CJK, which is HAN and those).
HAN = "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
CJK = HAN + "“”‘’—…·"

# A directive may be indented (inside a content tab, say): what it generates is indented the same.
DIRECTIVE = re.compile(r"^( *)\{\{ (diff|file|excerpt|request|cli|command|tree|pitfalls|bench|expects|exercises|further_reading|diagram)((?: .*)?) \}\}[ \t]*$",
                       re.MULTILINE)

LEXERS = {".py": "python", ".html": "html+jinja", ".css": "css", ".js": "js", ".sql": "sql",
          ".txt": "text", ".conf": "nginx", ".service": "ini", ".md": "markdown", ".toml": "toml",
          ".ini": "ini", ".yml": "yaml", ".yaml": "yaml"}
NAMED_LEXERS = {"Dockerfile": "docker", ".dockerignore": "text", "requirements.txt": "text"}

WORDS = {
    "zh": {"added": "新增", "removed": "删除", "changed": "修改", "diff": "差异", "whole": "完整文件",
           "no_changes": "与上一步相比没有文件变化。",
           "added_shown": "新文件，全文见[本页上文]({link})。", "colon": "：",
           "every_change": "自第 {before} 步以来改动的 {count} 个文件，每个都可展开查看差异与完整文件",
           "changed_summary": "新增 {added} 行，删除 {removed} 行", "first": "这是第一步：下面是它的全部文件。",
           "permalink": "本节的永久链接", "request": "请求", "response": "响应",
           "pitfall": "陷阱 {number}：{title}", "pitfall_tests": "{sentence}（{tests}）",
           "pitfall_and": "、", "pitfall_colon": "：",
           "bench_head": ["步骤", "任务数", "仪表盘每秒请求数", "p50 毫秒", "p99 毫秒", "/healthz 每秒请求数",
                          "仪表盘 ÷ /healthz", "07 ÷ 06"],
           "bench_python": "这个页面慢到 wrk 测不了（它只统计在测量时间内完成的请求）：由 Python 负载生成器测量，"
                           "每个连接至少发出一个请求。",
           "bench_machine": "测量于 {date}，机器：{os}（{arch}），{cores} 核（{cpu}），Python {python}；"
                            "gunicorn {workers} 个 worker，负载生成器 {generator}，{connections} 个连接，每个数字测 {seconds} 秒。",
           "bench_throughput": "{tasks:,} 个任务时，第 07 步仪表盘每秒处理的请求至少是 /healthz 的 {limit} 倍：实测 {measured}",
           "bench_p99_growth": "{tasks:,} 个任务时，第 07 步仪表盘的 p99 延迟不超过 {baseline_tasks} 个任务时的 {limit} 倍：实测 {measured}",
           "bench_search_p99": "{tasks:,} 个任务时，第 07 步 /search?q=report 的 p99 延迟不超过仪表盘的 {limit} 倍：实测 {measured}",
           "bench_holds": "✅ 达到", "bench_misses": "❌ 未达到",
           "bench_course_head": ["测的是什么", "秒"], "bench_failed": "（失败）",
           "bench_course_date": "测量于 {date}，提交 {commit}，机器同上。",
           "bench_runs": {"cold_setup": "冷启动：在新克隆的仓库里第一次运行 `python tutorial.py test -- --collect-only -q`"
                                        "（创建 `.venv`、安装依赖并收集全部测试，不运行；用到 pip 的缓存，就像第二次克隆时那样）",
                          "warm_test": "再次运行 `python tutorial.py test`（`.venv` 已就绪）：全部测试，即下面两部分之和",
                          "fast_tests": "快速部分：`python tutorial.py test -- -m \"not servers and not browser\"`",
                          "servers_and_browser": "其余部分（真实服务器和浏览器，不含容器构建）："
                                                 "`python tutorial.py test -- -m "
                                                 "\"(servers or browser) and not containers\"`",
                          "mkdocs_build": "`mkdocs build`：两种语言的课程网站"},
           "bench_postgres_head": ["步骤", "数据库", "应用服务器", "每秒写入", "写入 p99 毫秒", "写入 ÷ 07", "存下 / 确认"],
           "bench_postgres_read_head": ["步骤", "数据库", "应用服务器", "仪表盘每秒请求数", "仪表盘 p99 毫秒",
                                        "仪表盘 ÷ 07"],
           "bench_postgres_none": "还没有测量：`bench/results.json` 里没有这一部分。"
                                  "在装有 nginx 和 PostgreSQL 的机器上运行 `python tutorial.py bench --only postgres`，再提交结果。",
           "bench_postgres_missing": "这次测量缺少：{runs}（当时这一步还不存在，或者机器上没有 PostgreSQL）。",
           "bench_postgres_run": "`{step}`（{database}，{servers} 个应用服务器）",
           "bench_postgres_failed": "没有列出：{runs}。这次测量中它有请求失败，或者确认过的任务没有全部存下，所以它的数字不作数。",
           "bench_postgres_machine": "测量于 {date}，机器：{os}（{arch}），{cores} 核（{cpu}），Python {python}；"
                                     "{writers} 个访客同时通过 nginx 访问，每个应用服务器 {workers} 个 gunicorn worker，"
                                     "每项负载 {seconds} 秒，全部在这一台机器上{busy}。{rounds}低于 1.00× 的比值，说明 SQLite 更快。",
           "bench_postgres_rounds": "每个数字是轮流测量 {repeats} 轮的中位数，括号里是其中最低和最高的每秒请求数；"
                                    "开始测量前，机器一分钟平均负载为 {load_before}。",
           "further_reading": "本步所用工具的官方文档，对应本步固定的版本（`requirements.txt`）。"
                              "有中文版的链接到中文版，标注（英文）的只有英文版：",
           "bench_postgres_busy": "（开始测量时一分钟平均负载为 {load_average}：同时还有别的程序在用这台机器）"},
    "en": {"added": "added", "removed": "removed", "changed": "changed", "diff": "Diff", "whole": "Whole file",
           "no_changes": "No file changed since the step before.",
           "added_shown": "a new file, shown whole [earlier on this page]({link}).", "colon": ": ",
           "every_change": "The {count} files changed since step {before}, each with its diff and whole file",
           "changed_summary": "{added} lines added, {removed} removed", "first": "This is the first step: here are all its files.",
           "permalink": "Permanent link", "request": "Request", "response": "Response",
           "pitfall": "Pitfall {number}: {title}", "pitfall_tests": "{sentence} ({tests})",
           "pitfall_and": ", ", "pitfall_colon": ": ",
           "bench_head": ["Step", "Tasks", "Dashboard req/s", "p50 ms", "p99 ms", "/healthz req/s",
                          "Dashboard ÷ /healthz", "07 ÷ 06"],
           "bench_python": "A page too slow for wrk (it counts only the requests that finish while it runs): measured by "
                           "the Python load generator, every connection sending at least one request.",
           "bench_machine": "Measured on {date} on {os} ({arch}), {cores} cores ({cpu}), Python {python}: gunicorn with "
                            "{workers} workers, {generator} with {connections} connections, {seconds} s per figure.",
           "bench_throughput": "At {tasks:,} tasks, step 07's dashboard serves at least {limit}× the requests per second "
                               "of /healthz: measured {measured}",
           "bench_p99_growth": "At {tasks:,} tasks, step 07's dashboard p99 latency stays within {limit}× its p99 at "
                               "{baseline_tasks} tasks: measured {measured}",
           "bench_search_p99": "At {tasks:,} tasks, step 07's /search?q=report p99 latency stays within {limit}× "
                               "the dashboard's: measured {measured}",
           "bench_holds": "✅ holds", "bench_misses": "❌ missed",
           "bench_course_head": ["What", "Seconds"], "bench_failed": " (failed)",
           "bench_course_date": "Measured on {date}, commit {commit}, on the same machine.",
           "bench_runs": {"cold_setup": "Cold set-up: a fresh clone's first `python tutorial.py test -- --collect-only -q` "
                                        "(creates `.venv`, installs, collects every test and runs none; pip's cache in use, "
                                        "as on a student's second clone)",
                          "warm_test": "`python tutorial.py test` again, warm (`.venv` ready): every suite, the two "
                                       "parts below added up",
                          "fast_tests": "The fast part: `python tutorial.py test -- -m \"not servers and not browser\"`",
                          "servers_and_browser": "The rest, real servers and the browser, but not the container "
                                                 "builds: `python tutorial.py test -- -m "
                                                 "\"(servers or browser) and not containers\"`",
                          "mkdocs_build": "`mkdocs build`: the course site in both languages"},
           "bench_postgres_head": ["Step", "Database", "App servers", "Writes/s", "Write p99 ms", "Writes ÷ 07",
                                   "Stored / acknowledged"],
           "bench_postgres_read_head": ["Step", "Database", "App servers", "Dashboard req/s", "Dashboard p99 ms",
                                        "Dashboard ÷ 07"],
           "bench_postgres_none": "Not measured yet: `bench/results.json` has no such part. Run "
                                  "`python tutorial.py bench --only postgres` on a machine with nginx and PostgreSQL, "
                                  "then commit the result.",
           "bench_postgres_missing": "Missing from this measurement: {runs} (the step did not exist yet, or the "
                                     "machine had no PostgreSQL).",
           "bench_postgres_run": "`{step}` ({database}, {servers} app server{plural})",
           "bench_postgres_failed": "Not shown: {runs}. In this measurement some of its requests failed or not every "
                                    "acknowledged task was stored, so its figures do not count.",
           "bench_postgres_machine": "Measured on {date} on {os} ({arch}), {cores} cores ({cpu}), Python {python}: "
                                     "{writers} visitors at once through nginx, {workers} gunicorn workers per app "
                                     "server, {seconds} s per load, all on this one machine{busy}. {rounds}Below 1.00×, "
                                     "SQLite is the faster one.",
           "bench_postgres_rounds": "Each figure is the median of {repeats} rounds taken in turn, with the lowest and "
                                    "highest requests per second in brackets; the machine's load average over the last "
                                    "minute was {load_before} before the measurement began. ",
           "further_reading": "The official documentation of what this step uses, for the versions it pins "
                              "(`requirements.txt`):",
           "bench_postgres_busy": " (its load average over the last minute was {load_average} when it began: other "
                                  "programs were using the machine too)"},
}
COMMANDS_ALLOWED = {"python", "python3", "py", "flask", "pip", "cd", "gunicorn", "nginx", "sudo", "docker",
                    "systemctl", "sqlite3", "cp", "jupyter", "source", ".venv\\Scripts\\activate", "git"}


class DirectiveError(Exception):
    """A directive that cannot be filled in: the build stops and says which page and why."""


def steps_dir(config):
    """The steps/ folder beside mkdocs.yml (so a copy of the repository builds from its own steps)."""
    return Path(config["config_file_path"]).resolve().parent / "steps"


def language_of(page):
    """The page's language: "en" for page.en.md, else the default, Simplified Chinese."""
    locale = getattr(page.file, "locale", None)
    if locale:
        return "en" if str(locale).startswith("en") else "zh"
    return "en" if page.file.src_uri.endswith(".en.md") else "zh"


def lexer_for(path):
    """The Pygments lexer name for a file of a step."""
    name = Path(path).name
    return NAMED_LEXERS.get(name) or LEXERS.get(Path(path).suffix, "text")


# Python-Markdown empties every line that holds only spaces before any extension runs, which would
# change a diff's blank context line (" ") into "". Such lines travel as this placeholder instead,
# and on_page_content puts the spaces back into the finished HTML.
BLANK_LINE = "COURSE-SPACES-{}-COURSE"
BLANK_LINE_FOUND = re.compile(r"COURSE-SPACES-(\d+)-COURSE")


def fence(code, lexer, highlight=(), title=None):
    """A fenced code block, with four backticks so that the code may itself hold a fence; a title is shown
    above the code (pymdownx.highlight writes it as the block's first element, before the <pre>)."""
    options = f' hl_lines="{" ".join(str(n) for n in sorted(highlight))}"' if highlight else ""
    options += f' title="{title}"' if title else ""
    lines = [BLANK_LINE.format(len(line)) if line and not line.strip(" ") else line
             for line in code.rstrip("\n").split("\n")]
    return f"````{lexer}{options}\n{chr(10).join(lines)}\n````"


def block(kind, source, body, title=None, status=None, anchor=None):
    """Wrap generated Markdown in the marker the tests look for (with a diff's status, and an id to link to)."""
    # The title as Markdown (attr_list gives its class): raw HTML here would be wrapped in a <p> inside a fold.
    heading = f"`{title}`\n{{: .course-block-title }}\n\n" if title else ""
    extra = (f' data-status="{status}"' if status else "") + (f' id="{anchor}"' if anchor else "")
    return (f'<div class="course-block" data-kind="{kind}" data-source="{source}"{extra} markdown>\n\n'
            f"{heading}{body}\n\n</div>")


# Generated HTML (a diff with its syntax colours) travels through Markdown as this placeholder, a paragraph of
# its own, and on_page_content puts the HTML in its place. The key is the HTML's hash: the same diff, the same key.
RAW_HTML = "COURSE-HTML-{}-COURSE"
RAW_HTML_FOUND = re.compile(r"<p>COURSE-HTML-([0-9a-f]{40})-COURSE</p>")
def raw_html(html):
    """The placeholder for a piece of finished HTML (kept in tools/sitecache.py, with the directive it is part of)."""
    return RAW_HTML.format(sitecache.keep_html(html))


def highlighted_lines(code, lexer):
    """A file highlighted by Pygments, as a list of HTML lines (Pygments closes its spans at every line's end)."""
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import get_lexer_by_name

    html = highlight(code, get_lexer_by_name(lexer, stripnl=False, ensurenl=True), HtmlFormatter(nowrap=True))
    return html.split("\n")


def diff_html(diff, old_code, new_code, lexer):
    """A unified diff as the highlight block pymdownx.highlight would make of it, except that each line's code
    keeps the colours of its own language: a removed line is coloured as a line of the old file, an added or
    unchanged one as a line of the new file (both highlighted whole, so a line inside a string is a string)."""
    from html import escape

    old = highlighted_lines(old_code, lexer) if old_code is not None else []
    new = highlighted_lines(new_code, lexer) if new_code is not None else []
    lines, a, b, in_hunk = [], 0, 0, False
    for line in diff.rstrip("\n").split("\n"):
        hunk = re.match(r"@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@", line)
        if hunk:
            a, b, in_hunk = int(hunk.group(1)), int(hunk.group(2)), True
            lines.append(f'<span class="gu">{escape(line)}</span>')
        elif not in_hunk:  # the --- and +++ lines
            lines.append(f'<span class="{"gd" if line.startswith("-") else "gi"}">{escape(line)}</span>')
        elif line.startswith("-"):
            lines.append(f'<span class="gd">-{old[a - 1]}</span>')
            a += 1
        elif line.startswith("+"):
            lines.append(f'<span class="gi">+{new[b - 1]}</span>')
            b += 1
        elif line.startswith(" "):
            lines.append(f" {new[b - 1]}")
            a, b = a + 1, b + 1
        else:  # "\ No newline at end of file"
            lines.append(escape(line))
    return ('<div class="language-diff highlight"><pre><span></span><code>'
            + "\n".join(lines) + "\n</code></pre></div>")


def indent(text, spaces=4):
    """Indent every line, blank ones too (a diff's blank context line is a single space), as tabs need."""
    return textwrap.indent(text, " " * spaces, predicate=lambda line: True)


def read(steps, step, path):
    """The text of a step's file, failing clearly when there is no such step or file."""
    if step not in STEPS:
        raise DirectiveError(f"there is no step {step!r}")
    file = steps / step / path
    if not file.is_file():
        raise DirectiveError(f"steps/{step}/{path} does not exist")
    return file.read_text(encoding="utf-8")


def changed_lines(steps, step, path):
    """Line numbers (from 1) of a step's file that are new or changed since the step before."""
    before = previous_step(step)
    new = read(steps, step, path).splitlines()
    old_file = steps / before / path if before else None
    if old_file is None or not old_file.is_file():
        return set(range(1, len(new) + 1)) if before else set()
    old = old_file.read_text(encoding="utf-8").splitlines()
    lines = set()
    for tag, _, _, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag in ("replace", "insert"):
            lines.update(range(j1 + 1, j2 + 1))
    return lines


def file_anchor(path):
    """The id of the block that shows a whole file on its page: file-deploy-nginx-conf."""
    return "file-" + re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")


# Packaging and configuration: how a step is installed, run and shipped, not what its page teaches. A step's files are
# listed after the others (reading_order), whatever their names.
PACKAGING = {"Dockerfile", ".dockerignore", "compose.yaml", "requirements.txt", "pyproject.toml", "README.md",
             "gunicorn.conf.py"}
PACKAGING_FOLDERS = ("deploy/",)


def is_packaging(path):
    """Whether a step's file is packaging or configuration (PACKAGING, or a file under deploy/)."""
    return path in PACKAGING or path.startswith(PACKAGING_FOLDERS)


def reading_order(paths, explained=()):
    """A step's files in the order a reader meets them: first those the page explains (`explained`, the paths of its
    {{ file }} and {{ excerpt }} blocks in the order they come), then the other files of the concept, alphabetically;
    packaging and configuration (is_packaging) last, in the same two groups. The one order of every step's diff."""
    place = {path: number for number, path in enumerate(explained)}
    return sorted(paths, key=lambda path: (is_packaging(path), place.get(path, len(place)), path))


def render_diff(steps, step, words, shown=(), explained=()):
    """Every file added, removed or changed since the previous step, in reading order (`explained`, see reading_order).

    A changed file: folded, tabs of its diff (in its language's colours) and of the whole file with its
    changed lines highlighted. An added file is all new, so its diff would say nothing more than the file: it is shown
    whole once, a link to where the page already shows it (`shown`, the paths of its {{ file }} blocks)
    or else folded. A removed file: its diff, folded. So a page grows with what it teaches, not with its files.
    """
    before = previous_step(step)
    if before is None:
        return "\n\n".join([words["first"]] + [render_file(steps, step, path)
                                               for path in reading_order(folder_files(steps / step), explained)])
    sections = []
    changes = {path: (status, diff) for path, status, diff in folder_diff(steps / before, steps / step, before, step)}
    for path in reading_order(changes, explained):
        status, diff = changes[path]
        lexer = lexer_for(path)
        old = read(steps, before, path) if status != "added" else None
        new = read(steps, step, path) if status != "removed" else None
        # Each file is one line until it is opened: its path and what happened to it are the fold's title.
        name = f"`{path}` · {words[status]}{words['colon']}"
        if status == "added" and path in shown:
            body = name + words["added_shown"].format(link=f"#{file_anchor(path)}")
        elif status == "added":
            body = f'??? note "{name}{words["whole"].lower()}"\n\n{indent(fence(new, lexer))}'
        elif status == "removed":
            body = f'??? note "{name}{words["diff"].lower()}"\n\n{indent(raw_html(diff_html(diff, old, new, lexer)))}'
        else:
            highlight = changed_lines(steps, step, path)
            if len(highlight) == len(new.splitlines()):
                highlight = ()  # every line is new: a highlight would tell nothing
            tabs = (f'=== "{words["diff"]}"\n\n{indent(raw_html(diff_html(diff, old, new, lexer)))}\n\n'
                    f'=== "{words["whole"]}"\n\n{indent(fence(new, lexer, highlight))}\n')
            lines = diff.split("\n")[2:]
            counts = {"added": sum(line.startswith("+") for line in lines),
                      "removed": sum(line.startswith("-") for line in lines)}
            body = f'??? note "{name}{words["changed_summary"].format(**counts)}"\n\n{indent(tabs)}'
        sections.append(block("diff", f"steps/{before}/{path} steps/{step}/{path}", body, status=status))
    if not sections:
        return words["no_changes"]
    # All of it folded once more: the page's sections have taught the changes, this is the reference of every line.
    title = words["every_change"].format(count=len(sections), before=before[:2])
    return f'??? abstract "{title}"\n\n' + indent("\n\n".join(sections))


def render_file(steps, step, path, anchor=None):
    """A whole file of a step (with an id, for the first block of a file on its page, which the diff links to)."""
    return block("file", f"steps/{step}/{path}", fence(read(steps, step, path), lexer_for(path)), path, anchor=anchor)


def python_definition(text, name):
    """The (first, last) line of a top-level function or class, decorators included."""
    for node in ast.parse(text).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
            first = min([node.lineno] + [decorator.lineno for decorator in node.decorator_list])
            return first, node.end_lineno
    return None


def jinja_block(lines, name):
    """The (first, last) line of {% block name %} ... its matching {% endblock %}."""
    opening = re.compile(r"\{%-?\s*block\s+" + re.escape(name) + r"\b")
    for index, line in enumerate(lines):
        if opening.search(line):
            depth = 0
            for end in range(index, len(lines)):
                depth += len(re.findall(r"\{%-?\s*block\s", lines[end]))
                depth -= len(re.findall(r"\{%-?\s*endblock", lines[end]))
                if depth <= 0:
                    return index + 1, end + 1
    return None


def html_element(lines, tag):
    """The (first, last) line of the first <tag ...> element, to its closing tag."""
    for index, line in enumerate(lines):
        if re.search(rf"<{tag}[\s>]", line):
            for end in range(index, len(lines)):
                if f"</{tag}>" in lines[end]:
                    return index + 1, end + 1
    return None


def css_rule(lines, selector):
    """The (first, last) line of the CSS rule whose selector list is exactly `selector`."""
    for index, line in enumerate(lines):
        if line.rstrip().rstrip("{").strip() == selector and line.rstrip().endswith("{"):
            for end in range(index, len(lines)):
                if lines[end].strip() == "}":
                    return index + 1, end + 1
    return None


def text_range(lines, start, stop):
    """The (first, last) line from the first line containing `start` to the next containing `stop`."""
    for index, line in enumerate(lines):
        if start in line:
            for end in range(index, len(lines)):
                if stop in lines[end]:
                    return index + 1, end + 1
    return None


def render_excerpt(steps, step, path, selector):
    """A named part of a step's file, with the lines that changed since the step before highlighted."""
    text = read(steps, step, path)
    lines = text.splitlines()
    key, _, value = selector.partition("=")
    if selector.startswith("from=") and " to=" in selector:
        start, stop = shlex.split(selector)
        span = text_range(lines, start[len("from="):], stop[len("to="):])
    elif key == "block":
        span = jinja_block(lines, value)
    elif key == "tag":
        span = html_element(lines, value)
    elif key == "css":
        span = css_rule(lines, value)
    elif path.endswith(".py"):
        span = python_definition(text, selector)
    else:
        span = None
    if span is None:
        raise DirectiveError(f"steps/{step}/{path} has no {selector!r}")
    first, last = span
    highlight = {n - first + 1 for n in changed_lines(steps, step, path) if first <= n <= last}
    if len(highlight) == last - first + 1:
        highlight = set()  # every line is new: a highlight would tell nothing
    code = "\n".join(lines[first - 1:last])
    return block("excerpt", f"steps/{step}/{path}", fence(code, lexer_for(path), highlight), path)


def shown_body(response):
    """The part of a response worth showing: JSON pretty-printed, or a page's <main>, shortened."""
    if response.is_json:
        return json.dumps(response.get_json(), indent=2, ensure_ascii=False)
    text = response.get_data(as_text=True)
    if response.mimetype == "text/html":
        soup = parse(text)
        for field in soup.find_all("input", attrs={"name": "csrf_token"}):
            field["value"] = "…"
        main = soup.find("main")
        text = main.decode_contents() if main else str(soup)
        text = "\n".join(line.strip() for line in text.splitlines() if line.strip())
    lines = [part for line in text.splitlines() for part in fitted(line)]
    return "\n".join(lines[:30] + (["…"] if len(lines) > 30 else []))


# How many characters of code the page's column shows at 1280 px without scrolling sideways.
CODE_COLUMNS = 84


def fitted(line, pieces=None, joiner=" ", indent="  ", end=""):
    """A line cut to fit the column: between its pieces (its words by default, quoted ones kept whole), the next
    lines indented, every line but the last followed by `end`. HTML and JSON read the same, since a line break is
    a space to them between words and attributes; a command ends its lines with " \\", the shell's continuation."""
    if len(line) <= CODE_COLUMNS:
        return [line]
    pieces = pieces or re.findall(r"(?:\"[^\"]*\"|'[^']*'|\S)+", line)
    lines, current = [], ""
    for piece in pieces:
        candidate = current + joiner + piece if current else piece
        room = CODE_COLUMNS - len(end) - (len(indent) if lines else 0)
        if current and len(candidate) > room:
            lines.append(current)
            current = piece
        else:
            current = candidate
    lines.append(current)
    return [("" if number == 0 else indent) + text + ("" if number == len(lines) - 1 else end)
            for number, text in enumerate(lines)]


# The time every task shown on the site was created, a minute apart by id (see fix_creation_times).
CREATED = "2026-03-02 09:00:00"


def fix_creation_times(database):
    """Give the tasks in a step's database fixed creation times, so the site is the same bytes at every build.

    SQLite stamps a new task with the clock (DEFAULT CURRENT_TIMESTAMP), which would put the build's
    time on the pages. The order stays the same: ids grow with time, and so do these times.
    """
    if not os.path.isfile(database):
        return
    with contextlib.closing(sqlite3.connect(database)) as db:
        if db.execute("SELECT 1 FROM pragma_table_info('tasks') WHERE name = 'created'").fetchone():
            db.execute("UPDATE tasks SET created = datetime(?, '+' || (id - 1) || ' minutes')", (CREATED,))
            db.commit()


REDIRECTS = (301, 302, 303, 307, 308)


def render_request(steps, step, spec, words):
    """Make real requests to the step's app and show each exchange as HTTP: the request, then the response,
    each titled in the page's language."""
    app = StepApp(steps, step)
    app.app.jinja_env.bytecode_cache = sitecache.template_bytecode()  # its templates compiled once per process
    shown, redirected_to = [], None
    try:
        for part in spec.split(" ; "):
            tokens = shlex.split(part)
            hidden = tokens[0].startswith("-")
            method, url = tokens[0].lstrip("-").upper(), tokens[1]
            # A GET shown right after a redirect reads as the browser following it: it must go where it leads.
            if redirected_to and not hidden and method == "GET" and url != redirected_to:
                raise DirectiveError(f"GET {url} follows a redirect to {redirected_to}: show GET {redirected_to}")
            form = dict(token.split("=", 1) for token in tokens[2:])
            if method == "POST" and app.token:
                form = {"csrf_token": app.token, **form}
            response = app.client.open(url, method=method, data=form if method == "POST" else None)
            found = re.search(r'name="csrf_token" value="([^"]+)"', response.get_data(as_text=True))
            if found:
                app.token = found.group(1)
            if response.status_code >= 500:
                raise DirectiveError(f"{method} {url} answered {response.status_code}")
            fix_creation_times(app.database)
            location = urlsplit(response.headers.get("Location", ""))
            redirected_to = (location.path + (f"?{location.query}" if location.query else "")
                             if not hidden and response.status_code in REDIRECTS else None)
            if hidden:
                continue
            # The token is shown as "…", not URL-encoded as a real body would send that character (%E2%80%A6).
            body = "&".join(f"{quote_plus(k)}={'…' if k == 'csrf_token' else quote_plus(v)}" for k, v in form.items())
            request = f"{method} {url} HTTP/1.1\nHost: 127.0.0.1:5000"
            if body:
                # A long body is shown cut before an "&", on lines of its own, to be read without scrolling.
                shown_form = "\n".join(fitted(body, re.findall(r"&?[^&]+", body), joiner="", indent=""))
                request += f"\nContent-Type: application/x-www-form-urlencoded\n\n{shown_form}"
            phrase = HTTPStatus(response.status_code).phrase
            # A redirect's body is Werkzeug's "Redirecting..." page, which no browser shows: the status and the
            # Location say it all, so neither that body nor the Content-Type that describes it is shown.
            redirect = response.status_code in REDIRECTS
            headers = [f"HTTP/1.1 {response.status_code} {phrase}"]
            if not redirect:
                headers.append(f"Content-Type: {response.headers.get('Content-Type')}")
            if "Location" in response.headers:
                headers.append(f"Location: {response.headers['Location']}")
            if "Allow" in response.headers:  # Werkzeug lists the methods from a set, in any order: sort them
                allowed = sorted(method.strip() for method in response.headers["Allow"].split(","))
                headers.append(f"Allow: {', '.join(allowed)}")
            if "Retry-After" in response.headers:  # a 429's seconds to wait, which depend on the build's speed
                headers.append("Retry-After: …")
            if "Set-Cookie" in response.headers:
                name = response.headers["Set-Cookie"].split("=", 1)[0]
                headers.append(f"Set-Cookie: {name}=…")
            answer = "\n".join(headers) + ("" if redirect else "\n\n" + shown_body(response))
            shown.append(fence(request, "http", title=words["request"]) + "\n\n"
                         + fence(answer, "http", title=words["response"]))
    finally:
        app.close()
    return block("request", f"steps/{step}", "\n\n".join(shown))


def render_cli(steps, step, arguments):
    """Run a `flask` command on the step's app (its own, or Flask's such as routes) and show its output."""
    from flask.cli import cli as flask_cli

    app = StepApp(steps, step)
    try:
        result = app.app.test_cli_runner().invoke(flask_cli, args=shlex.split(arguments))
        if result.exit_code != 0:
            raise DirectiveError(f"flask {arguments} exited {result.exit_code}: {result.output}")
        output = result.output.replace(app.database, os.path.join("instance", "tasks.db"))
    finally:
        app.close()
    typed = " ".join(["flask", *flask_app_option(steps / step), arguments])  # flask --app taskman ... from step 08 on
    return block("cli", f"steps/{step}", fence(f"$ {typed}\n{output}", "console"))


def render_command(line):
    """A command for the reader to type; tutorial.py commands must parse with tutorial.py itself."""
    words = shlex.split(line)
    if words[0] not in COMMANDS_ALLOWED:
        raise DirectiveError(f"{words[0]!r} is not a command the course uses")
    if words[:2] in (["python", "tutorial.py"], ["python3", "tutorial.py"]):
        arguments = words[2:words.index("--")] if "--" in words else words[2:]
        try:
            tutorial.build_parser().parse_args(arguments)
        except SystemExit:
            raise DirectiveError(f"tutorial.py does not accept: {line}") from None
    return block("command", "tutorial.py", fence("\n".join(fitted(f"$ {line}", indent="    ", end=" \\")), "console"))


def render_tree(steps, step):
    """The files of a step, one a line."""
    return block("tree", f"steps/{step}", fence("\n".join(f"{step}/{path}" for path in folder_files(steps / step)), "text"))


def join_lines(text):
    """A paragraph's lines as one line: a space between Latin words, none between Chinese characters."""
    lines = [line.strip() for line in text.strip().splitlines()]
    joined = lines[0] if lines else ""
    for line in lines[1:]:
        chinese = re.match(f"[{CJK}]", joined[-1:]) and re.match(f"[{CJK}]", line[:1])
        joined += line if chinese else " " + line
    return joined


# The first paragraph of a pitfall test's docstring says it in English ("Pitfall N: ..."); another
# paragraph says it in Chinese ("陷阱 N：..."): the site shows each language its own.
PITFALL_SENTENCE = {"en": re.compile(r"Pitfall (\d+)(?:: )?"), "zh": re.compile(r"陷阱 (\d+)(?:：)?")}


def pitfall_tests(path):
    """(pitfall number, test name, {"en": sentence, "zh": sentence}) of each test in a file whose docstring
    starts with "Pitfall N"; a module docstring that starts so counts for every test in the file.
    A sentence that exists in one language only stops the build."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module = ast.get_docstring(tree) or ""
    found = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            doc = ast.get_docstring(node) or ""
            doc = doc if doc.startswith("Pitfall") else module if module.startswith("Pitfall") else ""
            if not doc:
                continue
            paragraphs = [join_lines(paragraph) for paragraph in doc.split("\n\n")]
            sentences = {"en": paragraphs[0]}
            sentences.update((("zh", paragraph) for paragraph in paragraphs if paragraph.startswith("陷阱")))
            if "zh" not in sentences:
                raise DirectiveError(f"{path.name}::{node.name} says its pitfall in English only: "
                                     f"add a paragraph \"陷阱 N：…\" to its docstring")
            number = int(PITFALL_SENTENCE["en"].match(paragraphs[0]).group(1))
            found.append((number, node.name, sentences))
    return found


def pitfall_titles(docs, language):
    """{number: title} from the headings of the pitfalls page in a language ("## 5. Title { #pitfall-5 }")."""
    page = docs / ("pitfalls.en.md" if language == "en" else "pitfalls.md")
    heading = re.compile(r"^## (\d+)\. (.+?) \{ #pitfall-\1 \}$", re.MULTILINE)
    return {int(number): title for number, title in heading.findall(page.read_text(encoding="utf-8"))}


def render_pitfalls(steps, step, words, language, page_uri):
    """The tests that guard a step against the course's pitfalls, found by their docstrings: under each
    pitfall (linked to its section of the pitfalls page), each test's sentence in the page's language."""
    tests, docs = steps.parent / "tests", steps.parent / "docs"
    found = [(f"tests/{step}/{path.name}", test) for path in sorted((tests / step).glob("test_*.py"))
             for test in pitfall_tests(path)]
    # The checks every step's suite imports from support/shared_tests.py guard every step.
    shared = tests / "support" / "shared_tests.py"
    found += [("tests/support/shared_tests.py", test) for test in pitfall_tests(shared)]
    titles = pitfall_titles(docs, language)
    here = posixpath.dirname(page_uri)
    page = "" if page_uri.split(".")[0] == "pitfalls" else posixpath.relpath("pitfalls.md", here or ".")
    groups = {}  # {number: {sentence: {file: [test, ...]}}}
    for file, (number, name, sentences) in found:
        sentence = PITFALL_SENTENCE[language].sub("", sentences[language], count=1)
        groups.setdefault(number, {}).setdefault(sentence, {}).setdefault(file, []).append(f"`{name}`")
    lines = []
    for number in sorted(groups):
        if number not in titles:
            raise DirectiveError(f"pitfall {number} has no section {{ #pitfall-{number} }} on the pitfalls page")
        lines.append(f"- [{words['pitfall'].format(number=number, title=titles[number])}]({page}#pitfall-{number})")
        for sentence, files in groups[number].items():
            tests = words["pitfall_and"].join(f"`{file}`{words['pitfall_colon']}{words['pitfall_and'].join(names)}"
                                              for file, names in files.items())
            lines.append(f"    - {words['pitfall_tests'].format(sentence=sentence, tests=tests)}")
    return block("pitfalls", f"tests/{step}", "\n".join(lines))


def bench_results(root):
    """The committed results of `python tutorial.py bench`, failing clearly when there are none."""
    path = root / "bench" / "results.json"
    if not path.is_file():
        raise DirectiveError("bench/results.json does not exist: run `python tutorial.py bench` and commit it")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise DirectiveError(f"bench/results.json is not JSON: {error}") from None


def markdown_table(head, rows):
    """A Markdown table; every column but the first is aligned right."""
    lines = ["| " + " | ".join(head) + " |", "| --- |" + " ---: |" * (len(head) - 1)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def render_bench(root, part, words):
    """The load table of bench/results.json with the verdicts, the date and the machine; or (part "course")
    the course's own speed."""
    from tools.bench import figure, times

    results = bench_results(root)
    if part == "course":
        if "course" not in results:
            raise DirectiveError("bench/results.json has no course part: run `python tutorial.py bench --only course`")
        course = results["course"]
        rows = [[words["bench_runs"].get(run["id"], run["label"]) + ("" if run["passed"] else words["bench_failed"]),
                 figure(run["seconds"])] for run in course["runs"]]
        body = markdown_table(words["bench_course_head"], rows) + "\n\n" + words["bench_course_date"].format(**course)
        return block("bench", "bench/results.json", body)
    if part == "postgres":
        return render_bench_postgres(results, words)
    if part:
        raise DirectiveError(f"bench knows no {part!r}: write {{{{ bench }}}}, {{{{ bench course }}}} "
                             f"or {{{{ bench postgres }}}}")
    if "load" not in results:
        raise DirectiveError("bench/results.json has no load part: run `python tutorial.py bench --only load`")
    load, rows = results["load"], []
    for row in load["rows"]:
        dashboard, health = row["dashboard"], row["healthz"]
        mark = "\\*" if dashboard.get("generator") == "python" else ""
        rows.append([f"`{row['step']}`", f"{row['tasks']:,}", figure(dashboard["rps"]) + mark,
                     figure(dashboard["p50_ms"]), figure(dashboard["p99_ms"]), figure(health["rps"]),
                     times(row["dashboard_over_healthz"]), times(row["over_06"]) if "over_06" in row else ""])
    parts = [markdown_table(words["bench_head"], rows)]
    if any(row["dashboard"].get("generator") == "python" for row in load["rows"]):
        parts.append("\\* " + words["bench_python"])
    verdicts = [f"- {words['bench_' + v['id']].format(**{**v, 'measured': times(v['measured'])})} — "
                f"**{words['bench_holds'] if v['holds'] else words['bench_misses']}**"
                for v in results.get("targets", [])]
    parts.append("\n".join(verdicts))
    machine = results.get("machine", {})
    parts.append(words["bench_machine"].format(**{**machine, **load, "seconds": f"{load['seconds']:g}"}))
    return block("bench", "bench/results.json", "\n\n".join(part for part in parts if part))


def render_bench_postgres(results, words):
    """The postgres part of bench/results.json (step 07 on SQLite, step 10 on PostgreSQL with one and two app
    servers, through nginx): each run's figures and its ratios to 07's; what was not measured is said, not made up."""
    from tools.bench import DATABASE_RUNS, figure, times, with_range

    section = results.get("postgres")
    passed = [row for row in (section or {}).get("rows", []) if row.get("passed")]
    if not passed:
        return block("bench", "bench/results.json", words["bench_postgres_none"])
    # Two tables, the writes and the reads: one of ten columns is wider than the page's text column.
    run = [[f"`{row['step']}`", row["database"], str(row["servers"])] for row in passed]
    writes = [cells + [with_range(row["write"]["rps"], row["write"].get("rps_range")), figure(row["write"]["p99_ms"]),
                       times(row.get("write_over_07")), f"{row['stored']:,} / {row['write']['requests']:,}"]
              for cells, row in zip(run, passed)]
    reads = [cells + [with_range(row["read"]["rps"], row["read"].get("rps_range")), figure(row["read"]["p99_ms"]),
                      times(row.get("read_over_07"))] for cells, row in zip(run, passed)]
    parts = [markdown_table(words["bench_postgres_head"], writes),
             markdown_table(words["bench_postgres_read_head"], reads)]
    shown = {row["id"] for row in passed}
    failed = {row["id"] for row in section["rows"]} - shown
    for key, ids in (("bench_postgres_missing", {run[0] for run in DATABASE_RUNS} - shown - failed),
                     ("bench_postgres_failed", failed)):
        runs = [words["bench_postgres_run"].format(step=step, database=database, servers=servers,
                                                   plural="" if servers == 1 else "s")
                for run_id, step, database, servers in DATABASE_RUNS if run_id in ids]
        if runs:
            parts.append(words[key].format(runs=words["pitfall_and"].join(runs)))
    machine = results.get("machine", {})
    # The bench's own servers load the machine: only the load before it began says whether others were using it.
    rounds = words["bench_postgres_rounds"].format(**section) if section.get("repeats", 1) > 1 else ""
    before = section.get("load_before", section.get("load_average"))
    busy = words["bench_postgres_busy"].format(load_average=before) if before and before >= 1 else ""
    parts.append(words["bench_postgres_machine"].format(**{**machine, **section, "seconds": f"{section['seconds']:g}",
                                                           "busy": busy, "rounds": rounds}))
    return block("bench", "bench/results.json", "\n\n".join(parts))


HOOK_DIGEST = sitecache.digest(__file__)
WORDED = {"diff", "pitfalls", "bench", "expects", "exercises", "request", "further_reading", "diagram"}  # the directives whose text is in the page's language
_digests = {}  # this build's digests of the files the directives read (on_config empties it at every build)


def directive_inputs(steps, verb, argument):
    """A digest of every file a directive reads: its step and the one before, the tests, the bench, tutorial.py."""
    root = steps.parent
    if verb == "bench":
        paths = (root / "bench" / "results.json", root / "tools" / "bench.py")
    elif verb == "command":
        paths = (root / "tutorial.py",)
    elif verb == "pitfalls":
        paths = (root / "tests",)
    elif verb == "diagram":
        paths = (diagrams.SOURCE, steps / argument.split()[0])
    elif verb == "further_reading":  # every step's pins: a step may take a later step's
        paths = (reading.SOURCE, steps)
    elif verb == "expects":  # the declarations in the tests, and the page's sections (their order)
        paths = (root / "tests", root / "docs" / "steps", root / "tools" / "expects.py")
    else:
        step = argument.split()[0]
        before = previous_step(step) if step in STEPS else None
        paths = tuple(steps / name for name in (before, step) if name)
    if paths not in _digests:
        _digests[paths] = sitecache.digest(*(path for path in paths if path.exists()))
    return _digests[paths]


def expand(markdown, steps, language, page_uri="index.md"):
    """Replace every directive in a page's Markdown with what it generates."""
    words = WORDS[language]
    # The whole files this page shows, by step: the first block of each gets the id its step's diff links to. And
    # the files it explains (whole or in excerpts), by step, in the page's order: the order of the step's diff.
    shown, explained, anchored = {}, {}, set()
    for match in DIRECTIVE.finditer(markdown):
        if match.group(2) in ("file", "excerpt"):
            step, path = match.group(3).split()[:2]
            if path not in explained.setdefault(step, []):
                explained[step].append(path)
            if match.group(2) == "file":
                shown.setdefault(step, set()).add(path)

    def replace(match):
        margin, verb, argument = match.groups()
        argument = argument.strip()
        anchor = None
        if verb == "file":
            step, path = argument.split()[:2]
            anchor = file_anchor(path) if (step, path) not in anchored else None
            anchored.add((step, path))
        # What a directive makes depends only on the files it reads: kept by tools/sitecache.py, it is made
        # again, while `python tutorial.py serve` runs, only when one of them (or this hook) changes.
        # Only the WORDED directives say words of the page's language (and only the pitfalls link to
        # other pages); the rest is the same on every page.
        key = ("directive", HOOK_DIGEST, verb, argument, language if verb in WORDED else "",
               page_uri if verb == "pitfalls" else "", anchor,
               repr((sorted(shown.get(argument.split()[0], ())), explained.get(argument.split()[0], [])))
               if verb == "diff" else "",
               directive_inputs(steps, verb, argument))
        return indent(sitecache.remember(key, lambda: generate(verb, argument, anchor)), len(margin))

    def generate(verb, argument, anchor):
        if verb == "bench":
            return render_bench(steps.parent, argument, words)
        parts = argument.split(maxsplit=2)
        if verb == "diff":
            return render_diff(steps, parts[0], words, shown.get(parts[0], set()), explained.get(parts[0], ()))
        if verb == "file":
            return render_file(steps, parts[0], parts[1], anchor)
        if verb == "excerpt":
            return render_excerpt(steps, parts[0], parts[1], parts[2])
        if verb == "request":
            return render_request(steps, parts[0], argument[len(parts[0]):].strip(), words)
        if verb == "cli":
            return render_cli(steps, parts[0], argument[len(parts[0]):].strip())
        if verb == "command":
            return render_command(argument)
        if verb == "tree":
            return render_tree(steps, parts[0])
        if verb == "exercises":
            from tools.exercises import page_markdown

            return page_markdown(parts[0], language)
        if verb == "diagram":
            try:
                return raw_html(diagrams.render(steps, parts[0], language))
            except (ValueError, KeyError, OSError, AttributeError) as error:
                raise DirectiveError(f"diagram {parts[0]}: {error!r}") from None
        if verb == "further_reading":
            try:
                return reading.render(steps, parts[0], language, words["further_reading"])
            except ValueError as error:
                raise DirectiveError(str(error)) from None
        if verb == "expects":
            return block("expects", f"tests/{parts[0]}", render_expects(parts[0], language))
        return render_pitfalls(steps, parts[0], words, language, page_uri)

    return DIRECTIVE.sub(replace, markdown)


# On every Chinese step page, after its first paragraph: why the code it shows is in English (the home page says more).
CODE_LANGUAGE_NOTE = ('!!! note course-code-language "代码为什么是英文的"\n\n'
                      "    代码、代码里的注释和应用自己显示的文字都用英文写。开发者天天读、到处搜的就是这些："
                      "报错信息、官方文档和别人的代码里，用的都是原样的英文。而且课程的代码只有一份，"
                      "中文页面和英文页面讲的是同一份。\n")
FIRST_PARAGRAPH = re.compile(r"\A# [^\n]*\n\n(?:[^\n]+\n)+\n")


def with_code_language_note(markdown):
    """A Chinese step page's Markdown with CODE_LANGUAGE_NOTE after its title and first paragraph."""
    found = FIRST_PARAGRAPH.match(markdown)
    if found is None:
        raise DirectiveError("a step page starts with its title, then a paragraph, for the note on the code's language")
    return markdown[:found.end()] + CODE_LANGUAGE_NOTE + "\n" + markdown[found.end():]


def with_reading_time(markdown, language):
    """A step page's Markdown with its reading time under the title (and, on a Chinese page, the note on the
    code's language after the first paragraph)."""
    if language == "zh":
        markdown = with_code_language_note(markdown)
    title, rest = markdown.split("\n", 1)
    return f"{title}\n\n{reading.reading_time(markdown, language)}\n{rest}"


def on_page_markdown(markdown, page, config, files, **kwargs):
    """mkdocs calls this for every page: fill in the directives from steps/ (and, on the step pages, add the reading
    time and, in Chinese, the note on the code's language)."""
    try:
        if page.file.src_uri.startswith("steps/"):
            markdown = with_reading_time(markdown, language_of(page))
        return expand(markdown, steps_dir(config), language_of(page), page.file.src_uri)
    except DirectiveError as error:
        from mkdocs.exceptions import PluginError

        raise PluginError(f"{page.file.src_uri}: {error}") from None


SCREENSHOT = re.compile(r'<img (?=[^>]*src="[^"]*/screenshots/([^"/]+\.png)")')


def screenshot_size(html, docs):
    """Give each screenshot its size in CSS pixels, half its pixels (`tutorial.py screenshots` takes them at device
    scale 2): it is never shown larger than it was taken, and stays sharp."""
    def sized(match):
        path = docs / "assets" / "screenshots" / match.group(1)
        if not path.is_file():
            return match.group()
        width, height = (int.from_bytes(path.read_bytes()[offset:offset + 4], "big") for offset in (16, 20))
        return f'<img width="{width // 2}" height="{height // 2}" '

    return SCREENSHOT.sub(sized, html)


def on_page_content(html, page, config, files, **kwargs):
    """Give back the spaces of the lines that fence() protected from Markdown, and the HTML of raw_html()."""
    html = RAW_HTML_FOUND.sub(lambda match: sitecache.html_of(match.group(1)), html)
    html = screenshot_size(html, Path(config["docs_dir"]))
    # Python-Markdown's toc titles every heading's link "Permanent link", whatever the page's language.
    html = html.replace('title="Permanent link"', f'title="{WORDS[language_of(page)]["permalink"]}"')
    return BLANK_LINE_FOUND.sub(lambda match: " " * int(match.group(1)), html)


def source_date(root):
    """The time of the course's last commit (seconds since 1970), or of its newest file outside git."""
    import subprocess

    try:
        found = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True,
                               timeout=30)
        if found.returncode == 0 and found.stdout.strip().isdigit():
            return int(found.stdout.strip())
    except OSError:
        pass
    return int(max(path.stat().st_mtime for part in ("docs", "steps", "bench") for path in (root / part).rglob("*")))


def on_config(config, **kwargs):
    """The same sources build the same bytes: mkdocs dates the sitemap (and its .gz) with SOURCE_DATE_EPOCH
    when it is set, and with today otherwise. Set it to the last commit's time unless the builder chose one."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(source_date(steps_dir(config).parent)))
    sitecache.cache_search_entries()
    _digests.clear()  # mkdocs loads this hook once per process: `mkdocs serve` rebuilds with it too
    return config


def _cache_notebook(page, config, files, **kwargs):
    """A notebook's HTML is made once while it does not change (tools/sitecache.py), not at every (re)build."""
    if page.file.src_uri.endswith(".ipynb"):
        sitecache.cache_notebook(page)
    return page


# mkdocs-jupyter's notebook template asks other hosts for MathJax and Mermaid, which the demo notebooks do not
# use: the script that loads MathJax (with an empty src), its configuration, and the module that imports Mermaid.
NOTEBOOK_SCRIPTS = re.compile(r'<script src="">\s*</script>|<script type="text/x-mathjax-config">.*?</script>'
                              r'|<script type="module">(?:(?!</script>).)*?\.jp-Mermaid.*?</script>', re.S)


# A demo notebook says everything in both languages (tools/notebooks.py): a title or heading as
# "English · 中文", each paragraph once in English and once in Chinese. Each language's page of it
# keeps its own: the half of each such heading, and the paragraphs of its language.
NOTEBOOK_MARKDOWN = re.compile(r'(<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown[^"]*"[^>]*>)(.*?)(</div>)', re.S)
NOTEBOOK_PARAGRAPH = re.compile(r"<p>.*?</p>\n?", re.S)
BILINGUAL_TEXT = re.compile(r">([^<>·]*) · ([^<>·]*)<")


def notebook_in_language(html, language):
    """A demo notebook's page with only the given language's half of its bilingual text."""
    def paragraph(match):
        chinese = re.search(f"[{CJK}]", re.sub(r"<[^>]+>", "", match.group()))
        return match.group() if bool(chinese) == (language == "zh") else ""

    def heading(match):
        english, chinese = match.groups()
        if not (re.search("[A-Za-z]", english) and re.search(f"[{CJK}]", chinese)):
            return match.group()
        return ">" + (chinese if language == "zh" else english) + "<"

    html = NOTEBOOK_MARKDOWN.sub(lambda m: m.group(1) + NOTEBOOK_PARAGRAPH.sub(paragraph, m.group(2)) + m.group(3),
                                 html)
    return BILINGUAL_TEXT.sub(heading, html)


SWITCHER_LINK = re.compile(r'(<a href=")(/[^"]*)(" hreflang=")')

# Material writes each language of config.extra.alternate twice: a link of the language switcher, and a
# <link rel="alternate" hreflang> in the <head>. Its script takes every <link rel="alternate"> for the home page
# of a language and reads the sitemap.xml beside it (new URL("sitemap.xml", link.href)), to send the switcher to
# the same page there. mkdocs-static-i18n points each one at this page in that language instead, so every page
# asked for <page>/sitemap.xml and <page in English>/sitemap.xml, two 404s per page (mkdocs-material issue 6582,
# zensical/ui issue 213). Pointed at the home pages instead, they would let the script choose where the switcher
# leads by looking the page up in sitemap.xml, whose addresses keep site_url's port: served anywhere else (another
# port, `mkdocs serve` elsewhere), every switch would land on the other language's home page. So the <head> keeps
# none: the sitemap gives search engines every page's alternates (xhtml:link), and the switcher is plain links.
ALTERNATE_LINK = re.compile(r'\n?[ \t]*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')


def without_alternate_links(html):
    """The page without the <head>'s <link rel="alternate" hreflang> (see ALTERNATE_LINK)."""
    return ALTERNATE_LINK.sub("", html)


def relative_switcher(html, page, config):
    """The language switcher's links, relative: mkdocs-static-i18n writes the home pages' as absolute paths from
    site_url ("/", "/en/"), which break when the site moves under another path."""
    base = urlsplit(config.site_url or "/").path
    here = "/" + (page.url if page.url.endswith("/") or not page.url else posixpath.dirname(page.url) + "/")

    def relative(match):
        target = match.group(2)
        if not target.startswith(base):
            return match.group()
        link = posixpath.relpath("/" + target[len(base):], here)
        return match.group(1) + ("./" if link == "." else link + "/") + match.group(3)

    return SWITCHER_LINK.sub(relative, html)


STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.S)


def notebook_styles_outside(html, page, config):
    """mkdocs-jupyter puts a notebook's stylesheets (JupyterLab's, some 600 kB) in <style> elements inside the
    page's <article>, where HTML allows none: they go to one file of the site, linked from the <head>."""
    start = html.find("<article")
    css = "\n".join(match.group(1) for match in STYLE.finditer(html, max(start, 0)))
    if start < 0 or not css:
        return html
    name = f"assets/notebook-{sitecache.text_digest(css)[:12]}.css"
    path = Path(config.site_dir) / name
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(css, encoding="utf-8")
    link = f'<link rel="stylesheet" href="{"../" * page.url.count("/")}{name}">\n'
    return html[:start].replace("</head>", link + "</head>", 1) + STYLE.sub("", html[start:])


def on_post_page(html, page, config, **kwargs):
    """A notebook's page loads no script from another host, keeps its styles in the <head>, and reads in its
    page's language. A course block nested where md_in_html does not reach keeps no `markdown` attribute."""
    if page.file.src_uri.endswith(".ipynb"):
        html = notebook_in_language(NOTEBOOK_SCRIPTS.sub("", html), language_of(page))
        html = notebook_styles_outside(html, page, config)
    html = re.sub(r'(<div class="course-block"[^>]*?) markdown(?=[ >])', r"\1", html)
    html = relative_switcher(without_alternate_links(html), page, config)
    return search_in_own_language(html, page, config)


def on_template_context(context, template_name, config, **kwargs):
    """The 404 page's language switcher leads to each language's home page.

    mkdocs-static-i18n points the switcher of each page at that page in the other language, and the
    404 page, built after every page, would keep the last page's links (step 07's).
    """
    i18n = config.plugins.get("i18n")
    if template_name == "404.html" and getattr(i18n, "extra_alternate", None):
        # Jinja reads config.extra.alternate, an attribute that the i18n plugin sets apart from the item.
        config.extra.alternate = config.extra["alternate"] = [dict(alternate) for alternate in i18n.extra_alternate]
    return context


def on_post_template(output, template_name, config, **kwargs):
    """A 404 page per language: the default language's at the root (404.html), English's in en/404.html.

    mkdocs-static-i18n builds each language after the other into the same folder, so without this the
    last language's 404 page would be the only one, at the root.
    """
    i18n = config.plugins.get("i18n")
    language = config.theme.get("language")
    if template_name == "404.html":
        output = without_alternate_links(output)
    if template_name != "404.html" or i18n is None or language == i18n.default_language:
        return output
    path = Path(config.site_dir) / language / "404.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(output, encoding="utf-8")
    return ""  # mkdocs writes nothing to the root for an empty template


# Search. mkdocs-static-i18n writes every language's pages into one search/search_index.json, so each
# language's search found the other's pages too. And Material's search adds a trailing wildcard to each
# word as it is typed (search as you type), which lunr never stems, so in an index of stems ("templat",
# "rout") "templates" and "routes" found nothing. So each language gets its own index, without a stemmer
# (a word finds every word it begins: "route" finds routes, "escape" escaped), and its pages read it.
SEARCH_CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)


def language_folders(config):
    """{language: folder of its pages, "" for the default language}, from mkdocs-static-i18n's settings."""
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return {}
    return {str(language.locale): "" if language.default else f"{language.locale}/"
            for language in i18n.config.languages if language.build}


def search_in_own_language(html, page, config):
    """A page of a language under its own folder (en/) searches that folder's index, not the root's."""
    folder = language_folders(config).get(language_of(page), "")
    if not folder:
        return html

    def rebase(match):
        # Material resolves the index and each result against this base: a folder, so with its final "/".
        settings = json.loads(match.group(2))
        if not settings["base"].endswith("/" + folder):
            settings["base"] = posixpath.join(settings["base"], folder)
        return match.group(1) + json.dumps(settings) + match.group(3)

    return SEARCH_CONFIG.sub(rebase, html, count=1)


def split_search_index(site_dir, folders):
    """Write each language's pages, and only those, into its folder's search/search_index.json, unstemmed."""
    index_path = Path(site_dir) / "search" / "search_index.json"
    if not index_path.is_file():
        return
    index = json.loads(index_path.read_text(encoding="utf-8"))
    others = [folder for folder in folders.values() if folder]
    for language, folder in folders.items():
        if folder:
            docs = [{**doc, "location": doc["location"][len(folder):]} for doc in index["docs"]
                    if doc["location"].startswith(folder)]
        else:
            docs = [doc for doc in index["docs"] if not doc["location"].startswith(tuple(others))]
        lang = [language] if language == "en" else index["config"]["lang"]  # Chinese pages hold English words
        own = {"config": {**index["config"], "lang": lang, "pipeline": []}, "docs": docs}
        path = Path(site_dir) / folder / "search" / "search_index.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(own, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _search_per_language(config, **kwargs):
    """After mkdocs-static-i18n has written the search index of every language at once: split it."""
    folders = language_folders(config)
    if folders:
        split_search_index(config.site_dir, folders)


def _notebooks_are_pages(files, config, **kwargs):
    """Keep the demo notebooks as pages after mkdocs-static-i18n has rebuilt the file list.

    mkdocs-jupyter marks each .ipynb file as a page, but the i18n plugin runs last and makes
    plain File objects again, which mkdocs would copy as raw JSON (mkdocs-static-i18n issue #198).
    This runs after both and marks them again, so mkdocs-jupyter renders them with their outputs.

    The i18n plugin also leaves such a file where the default language has it (notebooks/...) in every
    language's build, so the English build wrote its notebook pages over the Chinese ones. Each language's
    build puts them in its own folder instead (en/notebooks/...): the same bilingual notebook, shown in
    each language's navigation, menus and switcher.
    """
    i18n = config.plugins.get("i18n")
    language = getattr(i18n, "current_language", None)
    folder = language_folders(config).get(str(language), "") if i18n else ""
    for file in files:
        if file.src_uri.endswith(".ipynb"):
            file.is_documentation_page = lambda: True
            if folder and not file.dest_uri.startswith(folder):
                default = copy.copy(file)  # the default language's page, for the language switcher
                file.dest_uri = folder + file.dest_uri
                file.url = file._get_url()
                file.abs_dest_path = os.path.normpath(os.path.join(config.site_dir, file.dest_uri))
                file.locale = file.locale_alternate_of = language
                file.alternates = {**getattr(file, "alternates", {}), i18n.default_language: default, language: file}
    if i18n is not None and isinstance(getattr(i18n, "i18n_files_per_language", None), dict):
        # The sitemap lists each language's pages as the i18n plugin's on_files found them: without the notebooks.
        i18n.i18n_files_per_language[language] = files.documentation_pages()
    return files


def _on_files(files, config, **kwargs):
    """The notebooks as pages; then a page is rendered again only when its Markdown, the settings or the list of
    files (which its relative links depend on) changed (tools/sitecache.py)."""
    files = _notebooks_are_pages(files, config)
    root = steps_dir(config).parent
    listing = "\n".join(sorted(f"{file.src_uri} {file.dest_uri}" for file in files))
    sitecache.cache_page_render(sitecache.digest(root / "mkdocs.yml", root / "overrides", __file__)
                                + sitecache.text_digest(listing))
    return files


def on_env(env, config, files, **kwargs):
    """Jinja compiles the theme's templates once per process, not at every build (tools/sitecache.py)."""
    env.bytecode_cache = sitecache.template_bytecode()
    return env


try:
    from mkdocs.plugins import event_priority

    on_files = event_priority(-200)(_on_files)
    on_pre_page = event_priority(-200)(_cache_notebook)  # after mkdocs-jupyter's, which sets page.render
    on_post_build = event_priority(-200)(_search_per_language)  # after mkdocs-static-i18n's (-100)
except ImportError:  # the hook is also imported by the tests, without mkdocs installed
    on_files = _on_files
    on_pre_page = _cache_notebook
    on_post_build = _search_per_language
