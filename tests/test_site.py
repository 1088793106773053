"""The course site: it builds strictly, in both languages, and every line of code it shows comes from steps/."""
import difflib
import functools
import filecmp
import json
import re
import shutil
import subprocess
import sys
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from support import ROOT, STEPS, parse
from support.servers import running
from support.site_build import build
from tools import reading
from tools.site import CJK, CODE_COLUMNS, HAN

DOCS = ROOT / "docs"
SCREENSHOTS = DOCS / "assets" / "screenshots"


@pytest.fixture(scope="module")
def site(course_site):
    """The site, built once for the whole run into a temporary folder (tests/conftest.py)."""
    return course_site


@functools.cache
def parsed(path):
    """A built page's tree, parsed once per run (a big step page takes seconds): the tests only read it."""
    return parse(path.read_text(encoding="utf-8"))


def step_page(site, step, language):
    """The built HTML of a step's page in a language."""
    prefix = site / "en" if language == "en" else site
    return parsed(prefix / "steps" / step / "index.html")


def code_of(pre):
    """The text of a code block as the reader sees it (and copies it)."""
    return pre.get_text().rstrip("\n")


def test_every_page_exists_in_both_languages():
    chinese = {path.relative_to(DOCS).as_posix() for path in DOCS.rglob("*.md") if not path.name.endswith(".en.md")}
    english = {path.relative_to(DOCS).as_posix().replace(".en.md", ".md") for path in DOCS.rglob("*.en.md")}
    assert chinese == english, f"only in Chinese: {chinese - english}; only in English: {english - chinese}"


def test_every_step_has_a_page_in_the_navigation():
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for step in STEPS:
        assert f"steps/{step}.md" in config


def test_the_site_is_built_in_both_languages(site):
    # The demo notebooks too: each is one bilingual notebook, shown in each language's pages and menus.
    pages = {path.relative_to(site).as_posix() for path in site.rglob("index.html")}
    chinese = {page for page in pages if not page.startswith("en/")}
    english = {page[len("en/"):] for page in pages if page.startswith("en/")}
    assert chinese == english
    assert {f"steps/{step}/index.html" for step in STEPS} | {f"notebooks/{step}/index.html" for step in STEPS} <= chinese
    assert parse((site / "index.html").read_text(encoding="utf-8")).find("html")["lang"].startswith("zh")
    assert parse((site / "en" / "index.html").read_text(encoding="utf-8")).find("html")["lang"] == "en"


def test_every_code_block_is_generated_from_the_steps(site):
    """A <pre> outside a block the build hook generated would be code copied by hand."""
    for page in site.rglob("*.html"):
        if "notebooks" in page.relative_to(site).parts[:2]:
            continue  # a notebook shows the demo's own code, which tests/test_notebooks.py runs
        article = parse(page.read_text(encoding="utf-8")).find("article")
        if article is None:
            continue
        for pre in article.find_all("pre"):
            wrapper = pre.find_parent("div", class_="course-block")
            assert wrapper is not None, f"{page.relative_to(site)} shows code typed by hand:\n{code_of(pre)[:300]}"


def test_excerpts_and_files_are_taken_verbatim_from_the_steps(site):
    checked = 0
    for page in site.rglob("*.html"):
        for wrapper in parse(page.read_text(encoding="utf-8")).select("div.course-block[data-kind=excerpt], div.course-block[data-kind=file]"):
            source = (ROOT / wrapper["data-source"]).read_text(encoding="utf-8")
            code = code_of(wrapper.find("pre"))
            assert code in source, f"{page.relative_to(site)}: this excerpt is not in {wrapper['data-source']}:\n{code}"
            checked += 1
    assert checked > 0


def expected_diffs(step):
    """{path: unified diff} of every file that differs between the step and the one before."""
    before = STEPS[STEPS.index(step) - 1]
    old, new = ROOT / "steps" / before, ROOT / "steps" / step
    ignored = {"__pycache__", "instance"}

    def files(folder):
        return {p.relative_to(folder).as_posix() for p in folder.rglob("*")
                if p.is_file() and not ignored & set(p.relative_to(folder).parts)}

    diffs = {}
    for path in sorted(files(old) | files(new)):
        a, b = old / path, new / path
        if a.is_file() and b.is_file() and filecmp.cmp(a, b, shallow=False):
            continue
        a_lines = a.read_text(encoding="utf-8").splitlines(keepends=True) if a.is_file() else []
        b_lines = b.read_text(encoding="utf-8").splitlines(keepends=True) if b.is_file() else []
        old_label = f"{before}/{path}" if a.is_file() else "/dev/null"
        new_label = f"{step}/{path}" if b.is_file() else "/dev/null"
        diffs[path] = "".join(difflib.unified_diff(a_lines, b_lines, old_label, new_label)).rstrip("\n")
    return diffs


def diff_path(wrapper):
    """The path, in its step's folder, of the file that a diff block shows."""
    return wrapper["data-source"].split()[1].split("/", 2)[2]


@pytest.mark.parametrize("step", STEPS[1:])
@pytest.mark.parametrize("language", ["zh", "en"])
def test_each_diff_is_exactly_the_unified_diff_of_the_two_step_folders(site, step, language):
    """A changed or removed file shows its unified diff (from or to /dev/null for a removed one); an added file,
    all new, shows no diff but the whole file once: in the block, or by a link to the page's own block of it."""
    page = step_page(site, step, language)
    diffs, added = {}, set()
    for wrapper in page.select("div.course-block[data-kind=diff]"):
        path = diff_path(wrapper)
        if wrapper["data-status"] != "added":
            diffs[path] = code_of(wrapper.find("pre"))
            continue
        added.add(path)
        link = wrapper.select_one('a[href^="#file-"]')
        whole = page.find(id=link["href"][1:]) if link else wrapper
        assert whole is not None, f"{step}: the diff of {path} links to {link['href']}, which is not on the page"
        assert whole["data-source"].endswith(f"steps/{step}/{path}") and len(whole.find_all("pre")) == 1
        assert code_of(whole.find("pre")) == (ROOT / "steps" / step / path).read_text(encoding="utf-8").rstrip("\n")
    expected = expected_diffs(step)
    assert added == {path for path, diff in expected.items() if diff.startswith("--- /dev/null")}
    assert diffs == {path: diff for path, diff in expected.items() if path not in added}


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_diff_keeps_the_colours_of_its_language(site, language):
    """In step 05's diff of app.py, the added and removed lines hold Python's tokens (keywords, strings) as
    Pygments colours them, not only the green and red of a diff."""
    wrapper = next(w for w in step_page(site, "05_sqlite", language).select("div.course-block[data-kind=diff]")
                   if w["data-source"].endswith("/app.py"))
    diff = wrapper.find("pre")
    assert diff.select("span.gi span.k") and diff.select("span.gd span.s2, span.gd span.s1, span.gd span.k")
    assert diff.select("span.gu"), "the @@ lines are not marked"


@pytest.mark.parametrize("language", ["zh", "en"])
def test_only_a_change_is_highlighted(site, language):
    """An excerpt highlights the lines changed since the step before, unless every line is new (then a highlight
    would say nothing); the excerpts on the step pages do highlight some changes."""
    page = step_page(site, "05_sqlite", language)
    excerpts = page.select("div.course-block[data-kind=excerpt]")
    assert excerpts
    for wrapper in excerpts:
        lines = code_of(wrapper.find("pre")).count("\n") + 1
        assert len(wrapper.select(".hll")) < lines, f"every line of an excerpt of {wrapper['data-source']} is highlighted"
    assert any(wrapper.select(".hll") for page in (step_page(site, step, language) for step in STEPS[1:])
               for wrapper in page.select("div.course-block[data-kind=excerpt]")), "no excerpt highlights a change"


def concept_anchors(step):
    """The anchors that a step's suite names in its concept markers (and so in failure reports)."""
    anchors = set()
    for path in (ROOT / "tests" / step).glob("*.py"):
        anchors.update(re.findall(r'concept\(\s*"[^"]+",\s*"([a-z0-9-]+)"\s*[,)]', path.read_text(encoding="utf-8")))
    shared = (ROOT / "tests" / "support" / "shared_tests.py").read_text(encoding="utf-8")
    anchors.update(re.findall(r'concept\(\s*"[^"]+",\s*"([a-z0-9-]+)"\s*[,)]', shared))
    return anchors


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_concept_a_failing_test_points_to_has_its_section(site, step, language):
    page = step_page(site, step, language)
    missing = {anchor for anchor in concept_anchors(step) if page.find(id=anchor) is None}
    assert not missing, f"the {language} page of {step} has no section with the ids {sorted(missing)}"


def pinned(step, package):
    """The major.minor version a step's requirements.txt pins for a package, or None."""
    found = re.search(rf"^{re.escape(package)}==(\d+\.\d+)", (ROOT / "steps" / step / "requirements.txt")
                      .read_text(encoding="utf-8"), re.MULTILINE | re.IGNORECASE)
    return found and found.group(1)


# Documentation addresses that carry the version they document: (host, pattern of the version in the path, package).
VERSIONED_DOCS = [("flask.palletsprojects.com", r"/en/(\d+\.\d+)\.x/", "Flask"),
                  ("flask-wtf.readthedocs.io", r"/en/(\d+\.\d+)\.x/", "Flask-WTF"),
                  ("flask-sqlalchemy.readthedocs.io", r"/en/(\d+\.\d+)\.x/", "Flask-SQLAlchemy")]


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("language", ["zh", "en"])
def test_further_reading_links_the_documentation_of_the_pinned_versions(site, step, language):
    """Each step page ends with at least three links to official documentation (and to nothing else): those of a
    versioned documentation document the version the step pins, and a Chinese page links to the Chinese edition
    where the project has one, and marks the others as English."""
    page = step_page(site, step, language)
    heading = page.select_one("article h2#further-reading")
    links = [item.find("a") for item in heading.find_all_next("li")]
    assert len(links) >= 3, f"the {language} page of {step} has {len(links)} further reading links"
    for link in links:
        parts = urlsplit(link["href"])
        assert parts.scheme == "https" and parts.hostname in reading.hosts(), link["href"]
        for host, pattern, package in VERSIONED_DOCS:
            if parts.hostname == host:
                documented = re.search(pattern, parts.path)
                assert documented and documented.group(1) == pinned(step, package), (
                    f"{step} pins {package} {pinned(step, package)} but links to {link['href']}")
        if language == "zh":
            english = "/en-US/" in parts.path or parts.hostname == "docs.python.org" and "/zh-cn/" not in parts.path
            chinese = "/zh-CN/" in parts.path or "/zh-cn/" in parts.path
            assert not english, f"{step}: the Chinese page links to the English edition {link['href']}"
            assert chinese or link.parent.get_text().endswith(reading.ENGLISH_ONLY), (
                f"{step}: the Chinese page does not mark {link['href']} as English")


# The diagrams (tools/diagrams.py): the step, the section it opens, and the boxes it must draw as many times as
# the step's files say: gunicorn's default workers in 07, the servers of nginx's upstream block in 10.
DIAGRAMS = {"07_deploy": ("request-path", {"en": "worker", "zh": "worker"},
                          lambda step: int(re.search(r'^workers = .*"(\d+)"', (step / "gunicorn.conf.py")
                                                     .read_text(encoding="utf-8"), re.MULTILINE).group(1))),
            "10_postgres": ("several-servers", {"en": "app server", "zh": "应用服务器"},
                            lambda step: len(re.findall(r"^    server ", re.search(
                                r"^upstream taskman \{\n(.*?)^\}", (step / "deploy" / "nginx.conf").read_text(
                                    encoding="utf-8"), re.MULTILINE | re.DOTALL).group(1), re.MULTILINE)))}


@pytest.mark.parametrize("step", sorted(DIAGRAMS))
@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_diagrams_draw_the_steps_servers_in_the_pages_language(site, step, language):
    """Steps 07 and 10 show their servers as a picture drawn at build time: an inline SVG with a title and a
    description for screen readers, labels in the page's language, as many workers or app servers as the step's
    files start, and nothing loaded from anywhere."""
    section, repeated, count = DIAGRAMS[step]
    page = step_page(site, step, language)
    figure = page.select_one(f"article h2#{section} ~ figure.course-diagram")
    assert figure is not None, f"the {language} page of {step} has no diagram after #{section}"
    svg = figure.find("svg")
    assert svg["role"] == "img" and svg.find("title").get_text() and svg.find("desc").get_text()
    labels = [label.get_text() for label in svg.find_all("text", attrs={"font-weight": "bold"})]
    assert sum(label.startswith(repeated[language]) for label in labels) == count(ROOT / "steps" / step), labels
    words = svg.find("title").get_text() + figure.find("figcaption").get_text()
    assert bool(re.search(f"[{HAN}]", words)) == (language == "zh"), words
    assert not svg.find_all(attrs={"href": True}) and not svg.find_all(attrs={"xlink:href": True})


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("language", ["zh", "en"])
def test_each_step_page_says_its_reading_time_under_its_title(site, step, language):
    """The paragraph under a step page's title says, in the page's language, how long its main path takes to read:
    within a third of what the prose a reader meets with every fold closed (no code, no folded block) takes at
    reading.WORDS_PER_MINUTE English words or reading.CHARACTERS_PER_MINUTE Chinese characters a minute."""
    page = step_page(site, step, language)
    said = page.select_one("article h1").find_next_sibling("p").get_text()
    pattern = re.escape(reading.READING_TIME[language].strip("*")).replace(re.escape("{minutes}"), r"(\d+)")
    found = re.fullmatch(pattern, said.strip())
    assert found, f"the {language} page of {step} starts with {said!r}"
    hidden = {"details", "pre", "svg"}
    text = " ".join(string for string in page.select_one("article").find_all(string=True)
                    if not any(parent.name in hidden or "course-block" in parent.get("class", ())
                               for parent in string.parents))
    minutes = (len(re.findall(r"[A-Za-z0-9_]+", text)) / reading.WORDS_PER_MINUTE
               + len(re.findall("[\u3400-\u9fff]", text)) / reading.CHARACTERS_PER_MINUTE)
    assert abs(int(found.group(1)) - minutes) <= max(1.5, minutes / 3), (
        f"the {language} page of {step} says {found.group(1)} min; its open prose takes {minutes:.1f} min")


# The sections that end every step page, in this order, each with one name in each language (issue 22): the concept
# sections come before them. "changes" names the step before (the first step has none: its own files).
CLOSING_SECTIONS = {
    "en": {"changes": "What changed since step {before}", "run-it": "Run it", "screenshots": "Screenshots",
           "check-your-work": "Check your work", "pages-and-links": "Pages and links",
           "pitfalls": "Pitfalls this step guards against", "exercises": "Exercises",
           "further-reading": "Further reading"},
    "zh": {"changes": "与上一步相比的变化", "run-it": "运行", "screenshots": "截图", "check-your-work": "检查你的作业",
           "pages-and-links": "页面与链接", "pitfalls": "本步防范的陷阱", "exercises": "练习",
           "further-reading": "延伸阅读"},
}
FIRST_STEP_CHANGES = {"en": "The files of this step", "zh": "本步的文件"}
DEBUG_MODE = {"en": "Debug mode", "zh": "调试模式"}  # the subsection of "run-it"


def heading_name(heading):
    """A heading's visible name, without its permalink."""
    return "".join(text for text in heading.find_all(string=True) if not text.find_parent("a", class_="headerlink")).strip()


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_step_page_ends_with_the_same_closing_sections(site, step, language):
    """The last h2 sections of every step page are CLOSING_SECTIONS, in that order and with those names, none of them
    earlier; debug mode is the subsection (h3) of "run-it"."""
    page = step_page(site, step, language)
    sections = [(heading["id"], heading_name(heading)) for heading in page.select("article h2[id]")]
    before = STEPS.index(step)
    expected = [(anchor, FIRST_STEP_CHANGES[language] if anchor == "changes" and before == 0 else
                 name.format(before=f"{before:02d}")) for anchor, name in CLOSING_SECTIONS[language].items()]
    assert sections[-len(expected):] == expected, f"the {language} page of {step} ends with {sections[-len(expected):]}"
    earlier = [anchor for anchor, _ in sections[:-len(expected)] if anchor in CLOSING_SECTIONS[language]]
    assert not earlier, f"the {language} page of {step} has closing sections among its concepts: {earlier}"
    debug = page.select_one("article h3#debug-mode")
    assert debug is not None and heading_name(debug) == DEBUG_MODE[language]
    assert debug.find_previous("h2")["id"] == "run-it", f"debug mode is not a subsection of run-it on {step}"


@pytest.mark.parametrize("step", STEPS)
def test_only_the_chinese_step_pages_say_why_the_code_is_in_english(site, step):
    """The note that tools/site.py puts after a Chinese step page's first paragraph, the same on every page; no
    English page has it."""
    from tools.site import CODE_LANGUAGE_NOTE

    chinese = step_page(site, step, "zh").select("article div.admonition.course-code-language")
    assert len(chinese) == 1, f"the Chinese page of {step} has {len(chinese)} notes on the code's language"
    note = chinese[0]
    opening, body = CODE_LANGUAGE_NOTE.split("\n\n", 1)
    assert note.select_one(".admonition-title").get_text(strip=True) == opening.split('"')[1]
    assert note.find("p", class_=False).get_text(strip=True) == body.strip()
    first = note.find_previous_sibling()
    reading_time = first.find_previous_sibling()  # under the title, before the first paragraph
    assert first.name == "p" and reading_time.name == "p" and reading_time.find_previous_sibling().name == "h1", (
        "the note is not after the first paragraph")
    assert not step_page(site, step, "en").select("article .course-code-language")


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_diff_lists_the_files_in_reading_order_packaging_last(site, language):
    """A step's diff shows the files its page explains first, in the page's order, and packaging and configuration
    (Dockerfile, compose.yaml, requirements.txt, deploy/…) after every other file."""
    from tools.site import is_packaging

    for step in STEPS[1:]:
        shown = [diff_path(wrapper) for wrapper in step_page(site, step, language).select("div.course-block[data-kind=diff]")]
        packaging = [is_packaging(path) for path in shown]
        assert packaging == sorted(packaging), f"{step}: packaging files among the others: {shown}"
    shown = [diff_path(wrapper) for wrapper in step_page(site, "10_postgres", language).select("div.course-block[data-kind=diff]")]
    assert shown[0] == "taskman/models.py", f"step 10's diff does not start with the models, which its page explains first: {shown}"
    concept = [shown.index(path) for path in ("taskman/models.py", "taskman/tasks.py", "migrations/env.py", "tests/conftest.py")]
    packaging = [shown.index(path) for path in ("Dockerfile", "compose.yaml", "requirements.txt", "README.md", "deploy/nginx.conf")]
    assert max(concept) < min(packaging), f"step 10's diff shows packaging before the models, migrations and tests: {shown}"


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_step_page_shows_the_current_screenshots_of_its_step(site, step, language):
    """The page shows <step>.png (and <step>-phone.png where there is one), as made by `tutorial.py screenshots`.

    Each is an <img> with alt text whose file is in the built site, identical to docs/assets/screenshots/.
    """
    wanted = {f"{step}.png"} | {path.name for path in SCREENSHOTS.glob(f"{step}-*.png")}
    folder = (site / "en" if language == "en" else site) / "steps" / step
    shown = {}
    for img in step_page(site, step, language).select("article img[src]"):
        source = urlsplit(img["src"])
        if not (source.scheme or source.netloc):
            shown[(folder / unquote(source.path)).resolve()] = img.get("alt", "").strip()
    screenshots = {path.name: (path, alt) for path, alt in shown.items() if path.parent.name == "screenshots"}
    missing = sorted(wanted - set(screenshots))
    assert not missing, f"the {language} page of {step} shows no <img> of {missing}; it shows {sorted(map(str, shown))}"
    for name in sorted(wanted):
        path, alt = screenshots[name]
        assert path.is_relative_to(site.resolve()) and path.is_file(), f"{name} is not in the built site at {path}"
        assert filecmp.cmp(path, SCREENSHOTS / name, shallow=False), f"{path} is not docs/assets/screenshots/{name}"
        assert alt, f"the {language} page of {step} shows {name} with no alt text"


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_07_page_shows_the_committed_benchmark(site, language):
    """{{ bench }} shows bench/results.json as committed: every figure of the table, the verdicts, date and machine."""
    from tools.bench import figure, times

    results = json.loads((ROOT / "bench" / "results.json").read_text(encoding="utf-8"))
    table = step_page(site, "07_deploy", language).select_one("div.course-block[data-kind=bench]")
    assert table is not None, f"the {language} page of 07_deploy shows no benchmark"
    shown = [[cell.get_text(strip=True) for cell in row.find_all("td")] for row in table.select("tbody tr")]
    expected = [[row["step"], f"{row['tasks']:,}",
                 figure(row["dashboard"]["rps"]) + ("*" if row["dashboard"].get("generator") == "python" else ""),
                 figure(row["dashboard"]["p50_ms"]), figure(row["dashboard"]["p99_ms"]), figure(row["healthz"]["rps"]),
                 times(row["dashboard_over_healthz"]), times(row["over_06"]) if "over_06" in row else ""]
                for row in results["load"]["rows"]]
    assert shown == expected
    text = table.get_text(" ", strip=True)
    for verdict in results["targets"]:
        assert f"{times(verdict['measured'])} — {'✅' if verdict['holds'] else '❌'}" in text
    assert results["load"]["date"] in text and results["machine"]["cpu"] in text


# A line nothing can split: nginx sends a header's value as one string, and a break inside it would be part of it.
UNSPLITTABLE = re.compile(r'^[+ -]?\s*add_header Content-Security-Policy "[^"]*" always;$')


def test_no_line_in_the_sites_code_scrolls_sideways(site):
    """Every line of every code block of every page fits the text column at 1280 px (CODE_COLUMNS characters): the
    steps' files, their diffs, excerpts, the exercises' solutions, the HTTP exchanges and the notebooks' code. The
    steps wrap their lines once, the same way in every step, at one character less, which a diff's sign takes."""
    too_long = []
    for url, page in built_pages(site).items():
        # What a notebook's cell printed (server logs, SQL) is read, not copied: JupyterLab's stylesheet wraps it.
        for pre in page.select("pre:not(.jp-OutputArea-output pre)"):
            too_long += [f"{url or '/'}: {line.strip()[:70]}... ({len(line)} characters)"
                         for line in code_of(pre).split("\n") if len(line) > CODE_COLUMNS and not UNSPLITTABLE.match(line)]
    assert not too_long, f"{len(too_long)} code lines scroll sideways, e.g.\n" + "\n".join(too_long[:10])
    notebook_css = "".join(path.read_text(encoding="utf-8") for path in (site / "assets").glob("notebook-*.css"))
    assert re.search(r"\.jp-OutputArea-output pre\{[^}]*white-space:pre-wrap", notebook_css), "outputs would scroll"


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_10_page_shows_the_committed_postgres_benchmark(site, language):
    """{{ bench postgres }} shows the postgres part of bench/results.json as committed, each passed run's median
    figures (with their lowest and highest) and its ratios to step 07; without that part, the page says it is not
    measured (and shows no figure)."""
    from tools.bench import figure, times
    from tools.site import WORDS

    results = json.loads((ROOT / "bench" / "results.json").read_text(encoding="utf-8"))
    table = step_page(site, "10_postgres", language).select_one("div.course-block[data-kind=bench]")
    assert table is not None, f"the {language} page of 10_postgres shows no benchmark"
    shown = [[cell.get_text(strip=True) for cell in row.find_all("td")] for row in table.select("tbody tr")]
    section = results.get("postgres") or {}
    passed = [row for row in section.get("rows", []) if row.get("passed")]
    if not passed:
        assert shown == [] and "bench --only postgres" in table.get_text(" ", strip=True)
        assert WORDS[language]["bench_postgres_none"].split("`")[0] in table.get_text()
        return

    def rate(figures):
        low, high = figures["rps_range"]
        return figure(figures["rps"]) + ("" if low == high else f" ({figure(low)}–{figure(high)})")

    run = [[row["step"], row["database"], str(row["servers"])] for row in passed]
    writes = [cells + [rate(row["write"]), figure(row["write"]["p99_ms"]), times(row.get("write_over_07")),
                       f"{row['stored']:,} / {row['write']['requests']:,}"] for cells, row in zip(run, passed)]
    reads = [cells + [rate(row["read"]), figure(row["read"]["p99_ms"]), times(row.get("read_over_07"))]
             for cells, row in zip(run, passed)]
    assert shown == writes + reads, "the writes' table, then the reads' table, each row a passed run of the results"
    text = table.get_text(" ", strip=True)
    assert section["date"] in text and str(section["load_before"]) in text


def test_the_postgres_benchmark_shows_only_runs_that_passed():
    """A configuration with a failed request or a lost task in any round is named, without its figures; the others
    show their medians, and the ratios are to 07's median."""
    from tools import bench
    from tools.site import WORDS, render_bench_postgres

    def one_round(rps, stored=10, errors=0):
        return {"write": {"rps": rps, "requests": 10, "errors": errors, "p50_ms": 5.0, "p99_ms": 9.0, "each": 10},
                "read": {"rps": rps * 2, "requests": 20, "errors": 0, "p50_ms": 4.0, "p99_ms": 8.0}, "stored": stored}

    rows = []
    for (run_id, step, database, servers), rounds in zip(bench.DATABASE_RUNS, (
            [one_round(100.0), one_round(120.0), one_round(110.0)],
            [one_round(50.0), one_round(60.0), one_round(55.0, stored=9)],
            [one_round(77.0), one_round(77.0), one_round(77.0)])):
        rows.append(bench.summarize_runs({"id": run_id, "step": step, "database": database, "servers": servers},
                                         rounds))
    assert [row["passed"] for row in rows] == [True, False, True]
    assert rows[0]["write"]["rps"] == 110.0 and rows[0]["write"]["rps_range"] == [100.0, 120.0]
    assert rows[0]["read"]["rps"] == 220.0 and rows[0]["stored"] == 30 and rows[0]["write"]["requests"] == 30
    section = {"date": "2026-12-07", "seconds": 5.0, "writers": 8, "workers": 4, "repeats": 3, "load_before": 0.4,
               "load_average": 3.0, "rows": rows}
    rows[2]["write_over_07"] = bench.ratio(rows[2]["write"]["rps"], rows[0]["write"]["rps"])
    for language in ("zh", "en"):
        machine = {"os": "Linux", "arch": "x86_64", "cores": 2, "cpu": "a CPU", "python": "3.11"}
        text = render_bench_postgres({"postgres": section, "machine": machine}, WORDS[language])
        assert "110 (100–120)" in text and "| 77.0 |" in text and "0.70×" in text
        assert "50.0" not in text and "55.0" not in text, "a failed configuration's figures are not shown"
        assert WORDS[language]["bench_postgres_failed"].split("{")[0] in text and "10_postgres" in text
        assert WORDS[language]["bench_postgres_busy"].split("{")[0] not in text, "0.4 before: a quiet machine"


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_box_of_what_the_checks_expect_is_folded_and_lists_every_declaration(site, step, language):
    """A <details> closed by default (it opens without JavaScript), titled in the page's language, with one item per
    requirement the step's tests declare (tools/expects.py), its value first."""
    from tools import expects

    (block,) = step_page(site, step, language).select("div.course-block[data-kind=expects]")
    details = block.find("details")
    assert details is not None and not details.has_attr("open")
    assert details.summary.get_text(strip=True) == expects.WORDS[language]["title"]
    shown = [item.find("code").get_text() for item in details.select("li")]
    assert shown == [expects.shown(declaration.value) for kind in expects.ORDER for declaration in
                     sorted((found for found in expects.declarations(step) if found.kind == kind),
                            key=expects.route_sort_key if kind == "routes" else lambda found: 0)]


def test_chinese_search_finds_chinese_words(site):
    """jieba splits Chinese text into words, so a search for 数据库 finds the pages that use it."""
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    texts = [doc["text"] for doc in index["docs"]]
    assert any("\u200b数据库\u200b" in text or "数据库\u200b" in text for text in texts), "Chinese text is not split into words"


def test_changing_a_line_in_a_step_changes_the_built_page(tmp_path):
    """Edit a step in a copy of the repository: its page's diff and excerpt follow, with no edit under docs/."""
    copy = tmp_path / "course"
    copy.mkdir()
    for part in ("steps", "docs", "overrides", "tools", "tests", "bench", "tutorial.py", "mkdocs.yml"):
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, copy / part, ignore=shutil.ignore_patterns("__pycache__", "instance"))
        else:
            shutil.copy2(source, copy / part)
    app_py = copy / "steps" / "05_sqlite" / "app.py"
    marker = "        g.db.row_factory = sqlite3.Row  # a line changed by the test"
    source = app_py.read_text(encoding="utf-8")
    assert "        g.db.row_factory = sqlite3.Row\n" in source
    app_py.write_text(source.replace("        g.db.row_factory = sqlite3.Row\n", marker + "\n"), encoding="utf-8")

    site = build(copy, tmp_path / "site")
    for language in ("zh", "en"):
        page = step_page(site, "05_sqlite", language)
        diffs = [code_of(w.find("pre")) for w in page.select("div.course-block[data-kind=diff][data-status=changed]")]
        excerpts = [code_of(w.find("pre")) for w in page.select("div.course-block[data-kind=excerpt]")]
        assert any("+" + marker in diff for diff in diffs), "the diff did not follow the change"
        assert any(marker in excerpt for excerpt in excerpts), "the excerpt did not follow the change"


@pytest.mark.servers
def test_serve_serves_both_languages(port):
    """`python tutorial.py serve` is mkdocs serve: both languages answer, and steps/ is watched."""
    import os
    import urllib.request

    assert re.search(r"^watch:\n(  - .*\n)*  - steps\n", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    command = [sys.executable, str(ROOT / "tutorial.py"), "serve", "--port", str(port)]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    # mkdocs serve answers once its first build of both languages is done: about a minute on a quiet machine,
    # several when the rest of the suite runs beside it (CI). What is tested is that it answers, not how fast
    # (`python tutorial.py bench --only site` times it), so the wait is long: only a build that never ends fails.
    with running(command, f"http://127.0.0.1:{port}/", cwd=ROOT, env=env, timeout=900):
        for path in ("/", "/en/", "/steps/01_hello/", "/en/steps/01_hello/"):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
                assert response.status == 200, path


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("language", ["zh", "en"])
def test_each_notebook_is_on_the_site_with_its_outputs(site, step, language):
    """In each language's folder, with that language's menus, reached by its navigation, switching to the other."""
    folder, other = (site / "en", site) if language == "en" else (site, site / "en")
    page = (folder / "notebooks" / step / "index.html").read_text(encoding="utf-8")
    assert f'Demo("{step}")' in page, "the notebook's code is not shown"
    assert "200 OK" in page, "the notebook's outputs are not shown"
    assert parse(page).find("html")["lang"].startswith(language)
    home = (folder / "index.html").read_text(encoding="utf-8")
    assert f'href="notebooks/{step}/"' in home, f"the {language} navigation does not reach the notebook"
    switch = [a["href"] for a in parse(page).select("a.md-select__link") if not a.get("hreflang", "").startswith(language)]
    target = (folder / "notebooks" / step / switch[0]).resolve() / "index.html"
    assert target == (other / "notebooks" / step / "index.html").resolve(), f"the language switcher leads to {switch}"


MARKDOWN_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
# A line that starts a new block (heading, list item, table row, quote, admonition, tab, directive, HTML):
# the line break before it is not inside a paragraph.
MARKDOWN_BLOCK = re.compile(r"^\s*(#|[-*+] |\d+[.)] |\||>|!!!|\?\?\?|===|\{\{|<|$)")


def cjk_line_breaks(markdown):
    """(line number, the two lines) of each paragraph's line break that lies between two Chinese characters.

    Markdown turns such a break into a space, which Chinese never has between its characters. Emphasis
    marks and a link's brackets and address around the break are looked through: they render as nothing.
    """
    lines, found, fence = markdown.split("\n"), [], None
    for number, (line, following) in enumerate(zip(lines, lines[1:]), start=1):
        opening = MARKDOWN_FENCE.match(line)
        if opening:
            if fence is None:
                fence = opening.group(1)[0] * len(opening.group(1))
            elif line.strip().startswith(fence):
                fence = None
            continue
        if fence or not line.strip() or line.lstrip().startswith("|") or MARKDOWN_BLOCK.match(following):
            continue
        before = re.sub(r"(\]\([^()\s]*\)|\]|[*_~])+$", "", line.rstrip())[-1:]
        after = re.sub(r"^(\[|[*_~])+", "", following.lstrip())[:1]
        if re.fullmatch(f"[{CJK}]{{2}}", before + after):
            found.append((number, line.strip()[-20:], following.strip()[:20]))
    return found


def cjk_spaces(markdown):
    """(line number, text) of each space typed between two Chinese characters outside code, tables and fences.

    Chinese puts no space beside its punctuation ("。** 在" shows as "。 在"); a space beside Latin text is fine.
    """
    between = re.compile(f"[{CJK}](?:\\*\\*|\\*|\\]\\([^)\\s]*\\))? +(?:\\*\\*|\\*|\\[)?[{CJK}]")
    found, fence = [], None
    for number, line in enumerate(markdown.split("\n"), start=1):
        opening = MARKDOWN_FENCE.match(line)
        if opening:
            fence = opening.group(1)[0] * len(opening.group(1)) if fence is None else (
                None if line.strip().startswith(fence) else fence)
            continue
        if fence or line.lstrip().startswith("|"):
            continue
        prose = re.sub(r"`[^`]*`", "`x`", line)
        found += [(number, match.group()) for match in between.finditer(prose)]
    return found


def test_cjk_line_break_finder():
    assert cjk_line_breaks("第一行的结尾\n第二行") == [(1, "第一行的结尾", "第二行")]
    assert cjk_line_breaks("见**加粗**\n[链接](a.md)的") == [(1, "见**加粗**", "[链接](a.md)的")]
    assert cjk_line_breaks("用 `flask run`\n启动。\n\nFlask 的\n- 列表\n```\n代码\n代码\n```") == []
    assert cjk_spaces("**会出什么问题。** 在 `a 的 b` 中 Flask 里") == [(1, "。** 在")]


@pytest.mark.parametrize("page", sorted(path.relative_to(DOCS).as_posix() for path in DOCS.rglob("*.md")
                                        if not path.name.endswith(".en.md")))
def test_no_line_break_between_chinese_characters(page):
    """A Chinese paragraph breaks its lines only beside Latin text or spaces, or is one line; and has no space
    typed between two Chinese characters."""
    markdown = (DOCS / page).read_text(encoding="utf-8")
    found = cjk_line_breaks(markdown)
    assert not found, (f"docs/{page}: these line breaks show as a space between Chinese characters; join the lines "
                       f"(or break beside a space): " + "; ".join(f"line {n}: …{a} ⏎ {b}…" for n, a, b in found))
    spaces = cjk_spaces(markdown)
    assert not spaces, f"docs/{page}: spaces between Chinese characters: " + "; ".join(f"line {n}: {text!r}" for n, text in spaces)


# Four or more Latin words in a row, spaces and commas between them: an English sentence, or most of one.
ENGLISH_WORDS = re.compile(r"(?<![\w./-])[A-Za-z][A-Za-z'’-]*(?:[ ,;:]+[A-Za-z][A-Za-z'’-]*){3,}")
# What is not prose: code and what a program prints (a notebook's cells and outputs too), and whatever
# the page itself marks as another language (the language switcher's entries).
NOT_PROSE = "code, pre, kbd, samp, script, style, svg, [lang], [hreflang], .jp-InputArea, .jp-OutputArea"
# Names that are English words but no English sentence.
ENGLISH_NAMES = {"Material for MkDocs"}


def prose_of(html):
    """A page's title, description and visible text, without the parts that are not prose."""
    soup = parse(html)
    for element in soup.select(f"body :is({NOT_PROSE})"):
        element.decompose()
    description = soup.find("meta", attrs={"name": "description"})
    title = soup.find("title")
    return " ".join([title.get_text() if title else "", description.get("content", "") if description else "",
                     soup.body.get_text(" ") if soup.body else ""])


def test_prose_finders():
    page = ('<html><head><title>第 01 步</title></head><body><p>用 <code>flask run --debug now</code> 启动 Flask 的'
            '开发服务器。This is an English sentence.</p><a hreflang="en">Read it in English now</a></body></html>')
    assert ENGLISH_WORDS.findall(prose_of(page)) == ["This is an English sentence"]
    assert ENGLISH_WORDS.findall("见 steps/03_templates/app.py、Flask 和 Material for MkDocs") == []


def test_no_english_prose_on_the_chinese_pages(site):
    """Every Chinese page reads as written in Chinese: its chrome, its generated text and its prose."""
    found = {}
    for page in sorted(site.rglob("*.html")):
        if page.relative_to(site).parts[0] == "en":
            continue
        runs = [run for run in ENGLISH_WORDS.findall(prose_of(page.read_text(encoding="utf-8")))
                if run not in ENGLISH_NAMES]
        if runs:
            found[page.relative_to(site).as_posix()] = runs
    assert not found, f"English on the Chinese pages: {found}"


def test_no_chinese_prose_on_the_english_pages(site):
    """And the other way round: no Chinese word on an English page, but in code or the language switcher."""
    found = {}
    for page in sorted((site / "en").rglob("*.html")):
        words = re.findall(f"\\S*[{HAN}]\\S*", prose_of(page.read_text(encoding="utf-8")))
        if words:
            found[page.relative_to(site).as_posix()] = words
    assert not found, f"Chinese on the English pages: {found}"


# How a page came to be written is no part of what it teaches. These phrases told that story ("an outside test sent…",
# "the next stage the article names"); a page says why a reader needs something instead.
AUTHORING_STORY = ("outside test", "外部测试", "the article names", "那篇文章说的", "first version of step", "第一个版本")


def test_no_page_tells_how_it_was_written(site):
    """Every page of both languages, its generated text too, is free of AUTHORING_STORY's phrases."""
    found = {}
    for page in sorted(site.rglob("*.html")):
        text = " ".join(parse(page.read_text(encoding="utf-8")).get_text(" ").split()).lower()
        phrases = [phrase for phrase in AUTHORING_STORY if phrase in text]
        if phrases:
            found[page.relative_to(site).as_posix()] = phrases
    assert not found, f"pages that tell how they were written: {found}"


NUMBERS = {"Two": 2, "Three": 3, "Four": 4, "Five": 5, "Six": 6, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
ANNOUNCED = re.compile(r"(?:\b(Two|Three|Four|Five|Six) [a-z ]+:|(两|三|四|五|六)[个条点件种][^，。：]*：)$")


def test_a_list_announced_with_a_number_has_that_many_items(site):
    """"Three details:" is followed by three items, in each language."""
    checked, wrong = 0, []
    for page in sorted(site.rglob("*.html")):
        for paragraph in parse(page.read_text(encoding="utf-8")).select("article p"):
            announced = ANNOUNCED.search(paragraph.get_text().strip())
            listed = paragraph.find_next_sibling()
            if announced and listed is not None and listed.name in ("ul", "ol"):
                checked += 1
                count = len(listed.find_all("li", recursive=False))
                if count != NUMBERS[announced.group(1) or announced.group(2)]:
                    wrong.append(f"{page.relative_to(site)}: {announced.group()!r} then {count} items")
    assert checked and not wrong, wrong


def test_windows_readers_are_told_one_way_to_activate_the_environment():
    """`.venv\\Scripts\\activate` works in PowerShell and in the Command Prompt alike; every page says that one."""
    commands = {command for path in DOCS.rglob("*.md")
                for command in re.findall(r"\.venv\\Scripts\\[\w.]+", path.read_text(encoding="utf-8"))}
    assert commands == {".venv\\Scripts\\activate"}


def test_an_exchange_shown_after_a_redirect_follows_it():
    """The hook refuses to show a GET after a redirect to another address, as if the browser had gone there."""
    from tools.site import WORDS, DirectiveError, render_request

    steps = ROOT / "steps"
    shown = render_request(steps, "06_taskman", '-GET /tasks ; -POST /tasks summary="Milk" ; -GET /tasks ; '
                                                "POST /tasks/1/toggle ; GET /tasks", WORDS["en"])
    assert "Location: /tasks" in shown
    with pytest.raises(DirectiveError, match="follows a redirect to /tasks"):
        render_request(steps, "06_taskman", '-GET /tasks ; -POST /tasks summary="Milk" ; -GET /tasks ; '
                                            "POST /tasks/1/toggle ; GET /tasks/1", WORDS["en"])


def exchange_blocks(site):
    """(step, language, block) of every HTTP exchange ({{ request }}) on the step pages, in both languages."""
    for step in STEPS:
        for language in ("zh", "en"):
            for wrapper in step_page(site, step, language).select("div.course-block[data-kind=request]"):
                yield step, language, wrapper


def test_each_request_and_response_is_titled_in_the_page_language(site):
    """An exchange is a request then its response, and each code block says which, in the page's language
    (请求 / 响应, Request / Response): its title, the block's first element, before the code."""
    from tools.site import WORDS

    checked, wrong = 0, []
    for step, language, wrapper in exchange_blocks(site):
        blocks = wrapper.find_all("div", class_="highlight")
        firsts = [block.find(recursive=False) for block in blocks]
        shown = [first.get_text() if first is not None and first.name != "pre" else None for first in firsts]
        expected = [WORDS[language]["request"], WORDS[language]["response"]] * (len(blocks) // 2)
        checked += len(blocks)
        if not blocks or shown != expected:
            wrong.append(f"{language} page of {step}: {shown}")
    assert checked and not wrong, "exchanges not titled request, response:\n" + "\n".join(wrong)


def test_a_redirect_shows_its_status_and_location_not_werkzeugs_page(site):
    """A 3xx response is shown by its status line and Location (and a cookie it sets): not the "Redirecting..."
    page that Werkzeug puts in its body and that no browser shows."""
    redirects, wrong = 0, []
    for step, language, wrapper in exchange_blocks(site):
        for pre in wrapper.find_all("pre"):
            response = code_of(pre)
            if not re.match(r"HTTP/1\.1 3\d\d ", response):
                continue
            redirects += 1
            lines = response.split("\n")
            if "Redirecting" in response or "" in lines or not any(line.startswith("Location: ") for line in lines):
                wrong.append(f"{language} page of {step}:\n{response}")
    assert redirects, "no page shows a redirect"
    assert not wrong, "redirects shown with a body, or without their Location:\n" + "\n".join(wrong)


def test_a_placeholder_is_shown_as_typed_not_url_encoded(site):
    """A form's CSRF token is shown as `csrf_token=…`: no page holds the URL-encoded ellipsis, %E2%80%A6."""
    encoded = sorted(path.relative_to(site).as_posix() for path in site.rglob("*.html")
                     if "%E2%80%A6" in path.read_text(encoding="utf-8"))
    assert not encoded, f"pages that show %E2%80%A6: {encoded}"
    for language in ("zh", "en"):
        bodies = [code_of(pre) for wrapper in step_page(site, "06_taskman", language).select(
            "div.course-block[data-kind=request]") for pre in wrapper.find_all("pre")]
        assert any(re.search(r"^csrf_token=…(&|$)", body, re.M) for body in bodies)


def test_no_space_between_chinese_characters_on_the_chinese_pages(site):
    """What the pages show, generated text included: a space only beside Latin text, never inside Chinese."""
    found = {}
    for page in sorted(site.rglob("*.html")):
        if page.relative_to(site).parts[0] == "en":
            continue
        soup = parse(page.read_text(encoding="utf-8"))
        for element in soup.select(f"body :is({NOT_PROSE})"):
            element.replace_with("x")
        for block in soup.select("article :is(p, li, td, th, h1, h2, h3, h4, dt, dd, summary)"):
            for inner in block.select("ul, ol, p, div, table, details"):
                inner.replace_with("¶")  # a block inside another is not on the same line
            spaces = re.findall(f"[{HAN}]\\s+[{HAN}]", block.get_text())
            if spaces:
                found.setdefault(page.relative_to(site).as_posix(), []).extend(spaces)
    assert not found, f"spaces between Chinese characters: {found}"


# ---------------------------------------------------------------- links, languages, sitemap, reproducibility

def built_pages(site):
    """{URL path under the site ("", "steps/01_hello/", "404.html", ...): parsed HTML} of every page."""
    pages = {}
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        url = relative[:-len("index.html")] if relative.endswith("index.html") else relative
        pages[url] = parsed(path)
    return pages


def target_of(site, url):
    """The built file that a URL path under the site names (a folder's index.html), or None."""
    path = site / unquote(url)
    if url.endswith("/") or url == "":
        path = path / "index.html"
    return path if path.is_file() else None


# The default build's site_url (mkdocs.yml, without COURSE_SITE_URL).
SITE_URL = "http://127.0.0.1:8000/"
# Other hosts a page may link to (and never load anything from): the official documentation of the further reading
# (tools/further_reading.toml) and the theme's credit in the footer. A page may also link to this computer
# (127.0.0.1, localhost): the addresses of a step's server that a student opens.
LINKED_HOSTS = reading.hosts() | {"squidfunk.github.io"}
LOOPBACK = {"127.0.0.1", "localhost"}


def addresses_of(page):
    """(tag, address, in a frame) for everything a page's elements follow or load: every href and src, each of a
    srcset's candidates, and what the page inside a srcdoc frame (a notebook's picture of a step's page) loads:
    stylesheets and images, and scripts unless the frame is sandboxed without allow-scripts."""
    for tag in page.find_all(True):
        for attribute in ("href", "src"):
            if tag.get(attribute) is not None:
                yield tag, tag[attribute], False
        for candidate in tag.get("srcset", "").split(","):
            if candidate.strip():
                yield tag, candidate.split()[0], False
        if tag.name == "iframe" and tag.get("srcdoc"):
            scripts = "sandbox" not in tag.attrs or "allow-scripts" in " ".join(tag.get_attribute_list("sandbox")).split()
            frame = parse(tag["srcdoc"])
            for inner in frame.select("link[rel~=stylesheet][href], img[src]" + (", script[src]" if scripts else "")):
                yield inner, inner.get("href") or inner["src"], True


def test_every_link_and_anchor_of_every_page_resolves_without_an_absolute_path(site):
    """A crawl of the built site, both languages: every address of every element (links, stylesheets, scripts,
    images, and what a notebook's frames load) leads to a file of the site, and every #anchor to an id on its
    page; none starts with "/", which would break under a sub-path (the 404 pages, served at any address, link
    from site_url's path); nothing is loaded from another host, and a link leaves the site only for an https
    address of LINKED_HOSTS or for this computer. Material's script reads a sitemap.xml beside each
    <link rel="alternate">: that file is in the site too."""
    pages = built_pages(site)
    ids = {url: {tag["id"] for tag in page.find_all(id=True)} | {tag["name"] for tag in page.find_all("a", attrs={"name": True})}
           for url, page in pages.items()}
    broken, absolute, foreign = [], [], []
    for url, page in pages.items():
        for tag, link, in_frame in addresses_of(page):
            where = f"{url or '/'}: <{tag.name}>{' in a frame' if in_frame else ''} {link}"
            parts = urlsplit(link)
            if parts.scheme == "data":
                continue
            if parts.scheme or parts.netloc:
                linked = tag.name == "a" and not in_frame and (
                    parts.hostname in LOOPBACK or (parts.scheme == "https" and parts.hostname in LINKED_HOSTS))
                canonical = tag.name == "link" and "canonical" in tag.get("rel", []) and link == SITE_URL + url
                if not (linked or canonical):
                    foreign.append(where)
                continue
            if link.startswith("/") and (in_frame or not url.endswith("404.html")):
                absolute.append(where)
                continue
            resolved = urlsplit(urljoin("/" + url, link))
            path = resolved.path[1:]
            if target_of(site, path) is None:
                broken.append(where)
                continue
            if tag.name == "link" and "alternate" in tag.get("rel", []):
                sitemap = urlsplit(urljoin(urljoin("/" + url, link), "sitemap.xml")).path[1:]
                if target_of(site, sitemap) is None:
                    broken.append(f"{where} (Material's script reads {sitemap} beside it)")
            anchor = unquote(resolved.fragment)
            if anchor and path in ids and anchor not in ids[path]:
                broken.append(f"{where} (no id {anchor!r})")
    assert not foreign, "loaded from another host, or a link to one that the site does not allow:\n" + "\n".join(foreign)
    assert not absolute, "absolute links, which break under a sub-path:\n" + "\n".join(absolute[:30])
    assert not broken, f"{len(broken)} broken links:\n" + "\n".join(broken[:40])


def test_the_language_switcher_leads_to_the_same_page_in_the_other_language(site):
    pages = {url: page for url, page in built_pages(site).items() if not url.endswith("404.html")}
    wrong = []
    for url, page in pages.items():
        english = url.startswith("en/")
        expected = {"zh": url[len("en/"):] if english else url, "en": url if english else "en/" + url}
        for link in page.select("a.md-select__link[hreflang]"):
            shown = urlsplit(urljoin("/" + url, link["href"])).path.lstrip("/")
            if shown != expected[link["hreflang"]] or target_of(site, shown) is None:
                wrong.append(f"{url or '/'}: {link['hreflang']} -> {link['href']}")
        if len(page.select("a.md-select__link[hreflang]")) != 2:
            wrong.append(f"{url or '/'}: no switcher with both languages")
    assert not wrong, "\n".join(wrong)


def test_every_section_has_the_same_anchor_in_both_languages(site):
    """The language switcher keeps the address's #anchor (overrides/main.html), so a page's sections (h2 to h6)
    carry the same ids in Chinese and in English: the docs set each one ({#name} after a heading)."""
    pages = built_pages(site)
    different = []
    for url, page in pages.items():
        if url.startswith("en/") or url.endswith("404.html"):
            continue
        chinese, english = ({tag["id"] for tag in found.select("article :is(h2, h3, h4, h5, h6)[id]")}
                            for found in (page, pages["en/" + url]))
        if chinese != english:
            different.append(f"{url or '/'}: only in Chinese {sorted(chinese - english)}, "
                             f"only in English {sorted(english - chinese)}")
    assert not different, "sections whose anchors differ between the languages:\n" + "\n".join(different)


def test_the_sitemap_lists_every_page_at_the_site_url(site):
    """sitemap.xml holds site_url's addresses (no "None./"), one for each page, the demo notebooks too, and each
    one exists; each names the page in both languages (hreflang), which the pages' <head> does not (tools/site.py)."""
    import xml.etree.ElementTree as ElementTree

    site_url = SITE_URL
    root = ElementTree.parse(site / "sitemap.xml").getroot()
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    addresses = [loc.text for loc in root.findall("s:url/s:loc", namespace)]
    assert addresses and all(address.startswith(site_url) for address in addresses), addresses[:5]
    missing = [address for address in addresses if target_of(site, address[len(site_url):]) is None]
    assert not missing, missing
    pages = {url for url in built_pages(site) if not url.endswith("404.html")}
    assert sorted(address[len(site_url):] for address in addresses) == sorted(pages)
    wrong = []
    for entry in root.findall("s:url", namespace):
        url = entry.find("s:loc", namespace).text[len(site_url):]
        chinese = url[len("en/"):] if url.startswith("en/") else url
        alternates = {link.get("hreflang"): link.get("href") for link in entry.findall("x:link", namespace)}
        if alternates != {"zh": site_url + chinese, "en": site_url + "en/" + chinese}:
            wrong.append(f"{url or '/'}: {alternates}")
    assert not wrong, "pages without both languages' addresses in the sitemap:\n" + "\n".join(wrong)


def test_the_404_pages_speak_their_language_and_lead_home(site):
    for folder, language, heading, home in ((site, "zh", "找不到", "/"), (site / "en", "en", "not found", "/en/")):
        page = parse((folder / "404.html").read_text(encoding="utf-8"))
        assert page.find("html")["lang"] == language
        assert heading in page.find("h1").get_text().lower()
        assert {link["href"] for link in page.select("a.md-select__link[hreflang]")} == {"/", "/en/"}
        assert page.select_one(f'article a[href="{home}"]'), f"the {language} 404 page does not lead to {home}"


def test_the_same_sources_build_the_same_bytes(site, tmp_path):
    """A second build is byte for byte the first: no build time, no random order (the sitemap's date is the
    last commit's, the tasks shown have fixed times, the Allow header's methods are sorted)."""
    again = build(ROOT, tmp_path / "again")
    first = {path.relative_to(site): path.read_bytes() for path in site.rglob("*") if path.is_file()}
    second = {path.relative_to(again): path.read_bytes() for path in again.rglob("*") if path.is_file()}
    assert first.keys() == second.keys()
    different = sorted(str(path) for path in first if first[path] != second[path])
    assert not different, f"these files differ between two builds: {different}"
