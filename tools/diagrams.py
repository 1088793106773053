"""Diagrams of a step's servers, drawn as SVG from text when the site is built (tools/diagrams.toml).

`{{ diagram NN_name }}` on a page becomes a <figure> with an inline SVG: no script, no other host, the page's
colours (it draws in currentColor, so dark mode needs nothing), and labels in the page's language. How many
workers or app servers it draws is read from the step's own files, so the picture cannot drift from the code.
"""
import re
import tomllib
from html import escape
from pathlib import Path

SOURCE = Path(__file__).with_name("diagrams.toml")
BOX_WIDTH, BOX_HEIGHT, BOX_GAP = 150, 50, 12  # a box, and the space between two boxes of a column
COLUMN_GAP = 120  # between two columns: room for an arrow's label
SIDE = 4  # left and right of the outer boxes: room for their lines
TOP = 34  # above the tallest column: a group's name
MARGIN = 10  # around a group's frame


def diagrams():
    return tomllib.loads(SOURCE.read_text(encoding="utf-8"))


def repeats(steps, step, what):
    """How many boxes a `repeat` stands for, read from the step's files."""
    if what == "workers":
        text = (steps / step / "gunicorn.conf.py").read_text(encoding="utf-8")
        found = re.search(r'^workers = .*?"(\d+)"', text, re.MULTILINE)
        return int(found.group(1))
    if what == "upstream":
        text = (steps / step / "deploy" / "nginx.conf").read_text(encoding="utf-8")
        block = re.search(r"^upstream \w+ \{(.*?)^\}", text, re.MULTILINE | re.DOTALL)
        return len(re.findall(r"^\s*server ", block.group(1), re.MULTILINE))
    raise ValueError(f"{SOURCE.name}: unknown repeat {what!r}")


def columns(steps, step, language):
    """[(boxes as [(label, note)], arrow label or None, group name or None)] of a step's diagram."""
    drawn = []
    for column in diagrams()[step]["column"]:
        boxes = []
        for box in column["box"]:
            count = repeats(steps, step, box["repeat"]) if "repeat" in box else 1
            boxes += [(box[language].format(n=n), box[f"note_{language}"]) for n in range(1, count + 1)]
        drawn.append((boxes, column.get("arrow", {}).get(language), column.get("group", {}).get(language)))
    return drawn


def text(x, y, words, size, weight="normal"):
    return (f'<text x="{x}" y="{y}" font-size="{size}" font-weight="{weight}" text-anchor="middle" '
            f'fill="currentColor">{escape(words)}</text>')


def description(drawn, language):
    """The diagram in one line of words, for a screen reader (and for a reader who turns images off)."""
    joined = "、" if language == "zh" else ", "
    parts = []
    for boxes, _, _ in drawn:
        names = joined.join(label for label, _ in boxes)
        notes = sorted({note for _, note in boxes})
        parts.append(f"{names}（{joined.join(notes)}）" if language == "zh" else f"{names} ({joined.join(notes)})")
    return " → ".join(parts)


def render(steps, step, language):
    """The <figure> of a step's diagram, in the page's language."""
    if step not in diagrams():
        raise ValueError(f"{SOURCE.name} has no diagram for {step}")
    drawn = columns(steps, step, language)
    title = diagrams()[step]["title"][language]
    tallest = max(len(boxes) for boxes, _, _ in drawn)
    height = TOP + tallest * (BOX_HEIGHT + BOX_GAP) - BOX_GAP + 2 * MARGIN
    width = len(drawn) * BOX_WIDTH + (len(drawn) - 1) * COLUMN_GAP + 2 * SIDE
    middle = TOP + MARGIN + (tallest * (BOX_HEIGHT + BOX_GAP) - BOX_GAP) / 2
    ident = f"diagram-{step}"
    shapes, places = [], []
    for index, (boxes, arrow, group) in enumerate(drawn):
        left = SIDE + index * (BOX_WIDTH + COLUMN_GAP)
        top = middle - (len(boxes) * (BOX_HEIGHT + BOX_GAP) - BOX_GAP) / 2
        place = []
        for number, (label, note) in enumerate(boxes):
            y = top + number * (BOX_HEIGHT + BOX_GAP)
            shapes.append(f'<rect x="{left}" y="{y}" width="{BOX_WIDTH}" height="{BOX_HEIGHT}" rx="6" fill="none" '
                          f'stroke="currentColor" stroke-width="1.5"/>')
            shapes.append(text(left + BOX_WIDTH / 2, y + 21, label, 15, "bold"))
            shapes.append(text(left + BOX_WIDTH / 2, y + 40, note, 12))
            place.append(y + BOX_HEIGHT / 2)
        if group:
            frame_top = top - MARGIN
            frame_height = len(boxes) * (BOX_HEIGHT + BOX_GAP) - BOX_GAP + 2 * MARGIN
            shapes.append(f'<rect x="{left - MARGIN + 2}" y="{frame_top}" width="{BOX_WIDTH + 2 * MARGIN - 4}" '
                          f'height="{frame_height}" rx="8" fill="none" stroke="currentColor" stroke-dasharray="5 4"/>')
            shapes.append(text(left + BOX_WIDTH / 2, frame_top - 8, group, 12))
        if index:
            start = left - COLUMN_GAP
            for source in places[-1]:
                for target in place:
                    shapes.append(f'<line x1="{start}" y1="{source}" x2="{left - 2}" y2="{target}" '
                                  f'stroke="currentColor" stroke-width="1.2" marker-end="url(#{ident}-arrow)"/>')
            if arrow:
                label_y = min(min(places[-1]), min(place)) - 8
                shapes.append(text(start + COLUMN_GAP / 2, label_y, arrow, 12))
        places.append(place)
    marker = (f'<marker id="{ident}-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
              f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="currentColor"/></marker>')
    return (f'<figure class="course-diagram">\n'
            f'<svg viewBox="0 0 {width} {height:g}" role="img" aria-labelledby="{ident}-title {ident}-desc" '
            f'xmlns="http://www.w3.org/2000/svg">'
            f'<title id="{ident}-title">{escape(title)}</title>'
            f'<desc id="{ident}-desc">{escape(description(drawn, language))}</desc>'
            f'<defs>{marker}</defs>{"".join(shapes)}</svg>\n'
            f'<figcaption>{escape(title)}</figcaption>\n</figure>')
