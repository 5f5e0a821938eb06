"""Template contexts: what each page of each edition shows, as small view records, one module per
kind of page (content, parallel, references, glossary, studies, special), all drawing on the
shared pieces in shared.py (navigation, titles, reference entries, the page head)."""

from bireview.build.links import CONTENTS, GENERATED, GLOSSARY, REFERENCES, STUDIES, Link, page_path, parallel_path
from bireview.build.kinds.section import content_page
from bireview.build.kinds.glossary_page import glossary_page
from bireview.build.kinds.side_by_side import parallel_page
from bireview.build.kinds.references_page import references_page
from bireview.build.kinds.search_page import search_entries
from bireview.build.views import Views
from bireview.build.kinds.special import chooser, contents_page, not_found_page
from bireview.build.kinds.studies_page import studies_page

__all__ = ["CONTENTS", "GENERATED", "GLOSSARY", "REFERENCES", "STUDIES", "Link", "Views", "chooser", "content_page",
           "contents_page", "glossary_page", "not_found_page", "page_path", "parallel_page", "parallel_path",
           "references_page", "search_entries", "studies_page"]
