"""Further reading: each step's official documentation, for the versions the step pins (tools/further_reading.toml).

The site's hook fills `{{ further_reading NN_name }}` with `render(...)`; the site's tests take the hosts a page may
link to from `hosts()`.
"""
import re
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

SOURCE = Path(__file__).with_name("further_reading.toml")
PIN = re.compile(r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==(\d+)\.(\d+)", re.MULTILINE)
IMAGE = re.compile(r"^\s*image: *([a-z0-9_-]+):(\d+(?:\.\d+)?)\s*$", re.MULTILINE)
ENGLISH_ONLY = "（英文）"  # after a link on a Chinese page whose page exists only in English


class Version(str):
    """A pinned version as major.minor ("2.1"); `.nodot` is "21"."""

    @property
    def nodot(self):
        return self.replace(".", "")


def entries():
    """{step: [{"en", "zh", "url", maybe "zh_url"}, ...]} as the TOML file lists them."""
    return tomllib.loads(SOURCE.read_text(encoding="utf-8"))["step"]


def pins(steps, step):
    """{package: Version} for one step: its requirements.txt and compose.yaml's images; a package it does not pin
    takes the pin of the first later step that does (Werkzeug and Jinja2 come with Flask)."""
    names = sorted(path.name for path in steps.iterdir() if path.is_dir())
    found = {}
    for name in reversed(names[names.index(step):]):
        for filename, pattern in (("requirements.txt", PIN), ("compose.yaml", IMAGE)):
            path = steps / name / filename
            if path.exists():
                for match in pattern.finditer(path.read_text(encoding="utf-8")):
                    found[match.group(1)] = Version(".".join(match.group(2, 3) if pattern is PIN else
                                                             match.group(2).split(".")[:2]))
    return found


def links(steps, step):
    """[(English title, Chinese title, address, Chinese address or None)] of a step, with its versions filled in."""
    versions = pins(steps, step)
    filled = []
    for entry in entries().get(step, []):
        try:
            filled.append(tuple(entry[key].format_map(versions) if key in entry else None
                                for key in ("en", "zh", "url", "zh_url")))
        except KeyError as missing:
            raise ValueError(f"{SOURCE.name}: {step} does not pin {missing} for {entry['url']}") from None
    return filled


def render(steps, step, language, intro):
    """The Markdown list of a step's further reading, in the page's language, after the sentence `intro`."""
    items = []
    for english, chinese, url, chinese_url in links(steps, step):
        if language == "zh":
            items.append(f"- [{chinese}]({chinese_url or url}){'' if chinese_url else ENGLISH_ONLY}")
        else:
            items.append(f"- [{english}]({url})")
    if not items:
        raise ValueError(f"{SOURCE.name} lists no further reading for {step}")
    return intro + "\n\n" + "\n".join(items) + "\n"


def hosts():
    """Every host the further reading links to: the only hosts outside the site a page may link to."""
    return {urlsplit(entry[key]).hostname for step in entries().values() for entry in step
            for key in ("url", "zh_url") if key in entry}


# Reading speeds for the reading time at the top of each step page: words of English, characters of Chinese.
WORDS_PER_MINUTE = 200
CHARACTERS_PER_MINUTE = 400
READING_TIME = {"en": "*Reading time: about {minutes} min, without the folded parts.*",
                "zh": "*阅读时间：约 {minutes} 分钟（不含折叠部分）。*"}


def main_path(markdown):
    """The prose of a page that a reader meets with every fold closed: without folded blocks (`???`), code fences,
    directives, HTML tags and link addresses."""
    kept, fold, fence = [], None, None
    for line in markdown.splitlines():
        stripped = line.lstrip(" ")
        margin = len(line) - len(stripped)
        if fold is not None:
            if not stripped or margin > fold:
                continue
            fold = None
        if fence is not None:
            if stripped.startswith(fence):
                fence = None
            continue
        if stripped.startswith("???") and not stripped.startswith("???+"):
            fold = margin
        elif stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
        elif not stripped.startswith("{{"):
            kept.append(line)
    text = "\n".join(kept)
    text = re.sub(r"\]\([^)]*\)|<[^>]+>|\{[^}\n]*\}", " ", text)
    return text


def reading_time(markdown, language):
    """The line that says how long the page's main path takes to read, in the page's language."""
    text = main_path(markdown)
    han = len(re.findall(r"[\u3400-\u9fff]", text))
    words = len(re.findall(r"[A-Za-z0-9_]+(?:['’.-][A-Za-z0-9_]+)*", text))
    minutes = words / WORDS_PER_MINUTE + han / CHARACTERS_PER_MINUTE
    return READING_TIME[language].format(minutes=max(1, round(minutes)))
