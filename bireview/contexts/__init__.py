"""Template contexts: what each page of each edition shows, as small view records, one module per
kind of page (content, parallel, references, glossary, studies, special), all drawing on the
shared pieces in shared.py (navigation, titles, reference entries, the page head)."""

from ..links import CONTENTS, GENERATED, GLOSSARY, REFERENCES, STUDIES, Link, page_path, parallel_path
from .content import content_page
from .glossary import glossary_page
from .parallel import parallel_page
from .references import references_page
from .search import search_entries
from .shared import Views
from .special import chooser, contents_page, not_found_page
from .studies import studies_page

__all__ = [
    "CONTENTS",
    "GENERATED",
    "GLOSSARY",
    "REFERENCES",
    "STUDIES",
    "Link",
    "Views",
    "chooser",
    "content_page",
    "contents_page",
    "glossary_page",
    "not_found_page",
    "page_path",
    "parallel_page",
    "parallel_path",
    "references_page",
    "search_entries",
    "studies_page",
]
