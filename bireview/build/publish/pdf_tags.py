"""What WeasyPrint's PDF/UA tags leave out, added while it writes them: the language of each element whose
`lang` differs from the document's (a Chinese title in the English edition is tagged `zh-Hans`, so a
screen reader switches voice), and link texts a screen reader can speak. WeasyPrint gives each link
annotation its target as /Contents (`ref-yang2016bone`); here it is the link's own label and, for a
citation, the reference's first author ("Reference 1, Yang YJ").

WeasyPrint has no option for either, so its tag builder (`weasyprint.pdf.tags._build_box_tree`, called
recursively by name) is wrapped while one PDF is written, and restored after. If a WeasyPrint version has
no such function, the PDF is written as WeasyPrint writes it (the tests say what is missing).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

from lxml import html as lxml_html

FIRST_AUTHOR = re.compile(r"^\s*\[\d+\]\s*([^,.]+)")


def reference_authors(document: str) -> dict[str, str]:
    """Each reference entry's first author, by the entry's id: {'ref-yang2016bone': 'Yang YJ'}."""
    tree = lxml_html.fromstring(document)
    found = {}
    for item in cast(list[lxml_html.HtmlElement], tree.xpath('//li[starts-with(@id, "ref-")]')):
        match = FIRST_AUTHOR.match(item.text_content())
        if match:
            found[item.get("id", "")] = " ".join(match.group(1).split())
    return found


def spoken(element: Any, authors: dict[str, str]) -> str:
    """What a screen reader should say for a link: its aria-label or text, a citation's first author after it."""
    label = " ".join((element.get("aria-label") or "".join(element.itertext())).split())
    target = (element.get("href") or "").removeprefix("#")
    if target in authors:
        label = f"{label}, {authors[target]}" if label else authors[target]
    return label or element.get("href") or ""


@contextmanager
def language_and_link_tags(document: str) -> Iterator[None]:
    """While a PDF of `document` (the print HTML) is written, tag languages and speakable link texts."""
    try:
        import pydyf
        from weasyprint.pdf import tags

        original = tags._build_box_tree
    except (ImportError, AttributeError):
        yield
        return
    root = lxml_html.fromstring(document)
    root_lang = root.get("lang") or ""
    authors = reference_authors(document)

    def build(box: Any, parent: Any, pdf: Any, *rest: Any) -> Iterator[Any]:
        element: Any = getattr(box, "element", None)
        own = element is not None and getattr(box, "element_tag", None) not in ("html", "body")
        lang = element.get("lang") if own else None
        for made in original(box, parent, pdf, *rest):
            if lang and lang != root_lang and "Lang" not in made:
                made["Lang"] = pydyf.String(lang)
            yield made
        annotation = getattr(box, "link_annotation", None)
        if own and annotation is not None and getattr(box, "element_tag", "").split(":")[0] == "a":
            annotation["Contents"] = pydyf.String(spoken(element, authors))

    tags._build_box_tree = build
    try:
        yield
    finally:
        tags._build_box_tree = original
