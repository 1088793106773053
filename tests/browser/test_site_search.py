"""The course site's search, run by Material's own search worker in Chromium, as a reader's search box runs it.

Each language has its own index (the build hook splits mkdocs-static-i18n's shared one) and no stemmer:
Material adds a trailing wildcard to every word typed, which lunr does not stem, so a stemmed index missed
"templates" and "routes". Here every word of the list finds its page, a plural or a stem finds what its
singular finds, each page is found by its own title, and no search returns a page of the other language.
"""
import functools
import http.server
import json
import threading

import pytest


# (language, word, a page it must find): English words in several forms, Chinese words.
WORDS = [
    ("en", "template", "/en/steps/03_templates/"), ("en", "templates", "/en/steps/03_templates/"),
    ("en", "route", "/en/steps/02_routes/"), ("en", "routes", "/en/steps/02_routes/"),
    ("en", "requests", "/en/steps/01_hello/"), ("en", "escape", "/en/steps/02_routes/"),
    ("en", "escaping", "/en/steps/02_routes/"), ("en", "converter", "/en/steps/02_routes/"),
    ("en", "converters", "/en/steps/02_routes/"), ("en", "database", "/en/steps/05_sqlite/"),
    ("zh", "数据库", "/steps/05_sqlite/"), ("zh", "模板", "/steps/03_templates/"), ("zh", "路由", "/steps/02_routes/"),
    ("zh", "转义", "/steps/02_routes/"), ("zh", "转换器", "/steps/02_routes/"), ("zh", "部署", "/steps/07_deploy/"),
    ("zh", "templates", "/steps/03_templates/"),
]
HOME = {"en": "/en/", "zh": "/"}

# Material's search worker, fed the index and the settings the page itself loads, asked each query in turn:
# the messages its search box sends (0: set up, 2: query) and the pages of the results (3).
SEARCH = """async (queries) => {
  const config = JSON.parse(document.getElementById("__config").textContent);
  const base = new URL(config.base, location.href);  // as Material's own search resolves it
  const index = await (await fetch(new URL("search/search_index.json", base))).json();
  const worker = new Worker(new URL(config.search, location.href));
  const ask = (message) => new Promise((resolve) => { worker.onmessage = (event) => resolve(event.data);
                                                      worker.postMessage(message); });
  await ask({type: 0, data: {config: index.config, docs: index.docs, options: {suggest: false}}});
  const found = {};
  for (const query of queries) {
    const reply = await ask({type: 2, data: query});
    found[query] = reply.data.items.map((group) => new URL(group[0].location, base).pathname);
  }
  worker.terminate();
  return found;
}"""


@pytest.fixture(scope="module")
def site_url(course_site):
    """The built site, served on 127.0.0.1 by the standard library's file server."""
    site = course_site
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", site
    server.shutdown()
    server.server_close()


def search(browser, url, language, queries):
    """{query: [path of each page found]} from the search of a language's home page."""
    page = browser.new_page()
    try:
        page.goto(url + HOME[language])
        return page.evaluate(SEARCH, queries)
    finally:
        page.close()


def pages_of(site, language):
    """{path: title} of the whole pages (not sections) in a language's own search index."""
    folder = site / "en" if language == "en" else site
    index = json.loads((folder / "search" / "search_index.json").read_text(encoding="utf-8"))
    return {HOME[language] + doc["location"]: doc["title"] for doc in index["docs"] if "#" not in doc["location"]}


@pytest.mark.parametrize("language", ["zh", "en"])
def test_each_word_finds_its_page_and_only_pages_of_its_language(browser, site_url, language):
    url, _ = site_url
    words = [(word, wanted) for lang, word, wanted in WORDS if lang == language]
    found = search(browser, url, language, [word for word, _ in words])
    for word, wanted in words:
        assert wanted in found[word], f"searching {word!r} on the {language} site does not find {wanted}: {found[word]}"
        foreign = [path for path in found[word] if path.startswith("/en/") != (language == "en")]
        assert not foreign, f"searching {word!r} on the {language} site finds pages of the other language: {foreign}"


def test_each_language_searches_all_its_pages(site_url):
    """Chinese at the root, English under en/: the same pages in each index (demo notebooks included)."""
    _, site = site_url
    chinese = {path[len(HOME["zh"]):] for path in pages_of(site, "zh")}
    english = {path[len(HOME["en"]):] for path in pages_of(site, "en")}
    assert chinese == english, f"only in Chinese: {sorted(chinese - english)}; only in English: {sorted(english - chinese)}"
    assert {f"notebooks/{step}/" for step in __import__("support").STEPS} <= english


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_page_is_found_by_its_title(browser, site_url, language):
    url, site = site_url
    pages = pages_of(site, language)
    found = search(browser, url, language, list(pages.values()))
    missing = {path: title for path, title in pages.items() if path not in found[title]}
    assert not missing, f"these {language} pages are not found by their own title: {missing}"


def test_the_search_box_shows_results_in_the_pages_language(browser, site_url):
    """Typing into the search box itself: English results on an English page, Chinese on a Chinese one."""
    url, _ = site_url
    for language, word in (("en", "templates"), ("zh", "模板")):
        page = browser.new_page()
        try:
            page.goto(url + HOME[language] + "steps/01_hello/")
            box = page.locator("input[data-md-component=search-query]")
            box.click()
            box.fill(word)
            box.press("End")  # the search box reads what is typed on keyup
            page.wait_for_selector(".md-search-result__item a", timeout=30000)
            links = page.eval_on_selector_all(".md-search-result__item > a", "links => links.map(a => a.href)")
            paths = [link.split(url, 1)[1].split("?")[0] for link in links]
            assert paths and all(path.startswith("/en/") == (language == "en") for path in paths), (language, paths)
            assert any(path.startswith(HOME[language] + "steps/03_templates/") for path in paths), (language, paths)
        finally:
            page.close()
