"""What the course site's build keeps from one build to the next, in memory, found again by content.

`python tutorial.py serve` (mkdocs serve) rebuilds the whole site, both languages, when a file changes,
and loads the hook (tools/site.py) afresh each time. This module is imported the usual way, so it stays
in the serving process, and with it what the build made from sources that did not change:

- what each {{ directive }} generated (tools/site.py keys it with the files it reads),
- each notebook's HTML (mkdocs-jupyter converts every notebook in both languages' builds),
- each page's search entries (Material's search parses every page and splits its Chinese with jieba).

After a one-line edit of a step, only what reads that step is made again. Nothing is written to disk,
and a key holds everything its value comes from, so a cached build is the same bytes as a fresh one.
"""
import copy
import hashlib
import re
from collections import OrderedDict
from pathlib import Path

# Enough for every directive, notebook and page of a few dozen builds; the oldest go first.
LIMIT = 5000
_store = OrderedDict()
_html = {}  # pieces of finished HTML, by their hash (tools/site.py's raw_html)


def remember(key, compute):
    """compute(), or what it gave last time for the same key (a tuple of strings)."""
    if key in _store:
        _store.move_to_end(key)
        return _store[key]
    value = compute()
    _store[key] = value
    while len(_store) > LIMIT:
        _store.popitem(last=False)
    return value


def digest(*paths):
    """A hash of files and folders (every file under a folder, with its path), so any edit changes it."""
    found = hashlib.sha1()
    for path in map(Path, paths):
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file()
                                                     and not {"__pycache__", "instance"} & set(p.parts))
        for file in files:
            found.update(file.as_posix().encode("utf-8") + b"\0" + file.read_bytes() + b"\0")
    return found.hexdigest()


def text_digest(text):
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def keep_html(html):
    """Keep a piece of HTML; its hash finds it again."""
    key = text_digest(html)
    _html[key] = html
    return key


def html_of(key):
    return _html[key]


def toc_outline(toc):
    """A page's table of contents as plain data: (title, url, children) of each heading."""
    return [(item.title, item.url, toc_outline(item.children)) for item in toc]


def cache_notebook(page):
    """Make a notebook page's render (mkdocs-jupyter's conversion) reuse its HTML while the notebook is unchanged."""
    render = page.render

    def cached_render(config, files):
        key = ("notebook", page.file.abs_src_path, digest(page.file.abs_src_path))
        content, toc = remember(key, lambda: (render(config, files), (page.content, page.toc))[1])
        page.content, page.toc = content, toc

    page.render = cached_render


CODE_BLOCK = re.compile(r"<pre\b.*?</pre>", re.S)
CODE_SPAN = re.compile(r"</?span\b[^>]*>")


def cache_search_entries():
    """Make Material's search index reuse the entries of a page whose HTML, title and headings did not change."""
    from material.plugins.search.plugin import SearchIndex

    if getattr(SearchIndex.add_entry_from_context, "course_cached", False):
        return
    add = SearchIndex.add_entry_from_context

    def cached_add(self, page):
        key = ("search", page.url, str(page.title), repr(page.meta), repr(toc_outline(page.toc)), text_digest(page.content))

        def entries():
            # The same text with far fewer tags to parse: Pygments' <span>s inside code blocks go.
            plain = copy.copy(page)
            plain.content = CODE_BLOCK.sub(lambda block: CODE_SPAN.sub("", block.group()), page.content)
            before = len(self.entries)
            add(self, plain)
            return copy.deepcopy(self.entries[before:])

        found = _store.get(key)
        if found is None:
            remember(key, entries)
        else:
            self.entries.extend(copy.deepcopy(found))

    cached_add.course_cached = True
    SearchIndex.add_entry_from_context = cached_add


_render_context = None


def cache_page_render(context):
    """Make mkdocs turn a page's Markdown into HTML again only when the Markdown, or `context` (a digest of the
    settings and of the site's list of files, which relative links depend on), changed.

    What mkdocs keeps from a render is kept with the HTML: the table of contents, the title, the page's
    anchors and its links to other pages' anchors (which mkdocs checks once every page is made).
    """
    from mkdocs.structure.pages import Page

    global _render_context
    _render_context = context
    if getattr(Page.render, "course_cached", False):
        return
    render = Page.render

    def cached_render(self, config, files):
        key = ("page", _render_context, self.file.src_uri, text_digest(self.markdown))
        found = _store.get(key)
        if found is None:
            render(self, config, files)
            links = self.links_to_anchors
            remember(key, lambda: (self.content, self.toc, self._title_from_render, set(self.present_anchor_ids),
                                   None if links is None else {f.src_uri: dict(l) for f, l in links.items()}))
            return
        _store.move_to_end(key)
        self.content, self.toc, self._title_from_render, anchors, links = found
        self.present_anchor_ids = set(anchors)
        if links is not None:
            self.links_to_anchors = {files.get_file_from_path(uri): dict(l) for uri, l in links.items()}

    cached_render.course_cached = True
    Page.render = cached_render


_bytecode = None


def template_bytecode():
    """Jinja's compiled templates, kept between builds (mkdocs makes a new Jinja environment at each build).

    Jinja checks each template's source against what it compiled, so a changed template is compiled again.
    """
    global _bytecode
    if _bytecode is None:
        import jinja2

        class Bytecode(jinja2.BytecodeCache):
            def load_bytecode(self, bucket):
                if ("jinja", bucket.key) in _store:
                    bucket.bytecode_from_string(_store[("jinja", bucket.key)])

            def dump_bytecode(self, bucket):
                _store[("jinja", bucket.key)] = bucket.bytecode_to_string()

        _bytecode = Bytecode()
    return _bytecode
