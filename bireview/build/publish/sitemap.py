"""sitemap.xml and robots.txt: every page of both editions, each with its twin, for crawlers.

A sitemap needs absolute URLs (sitemaps.org), so it exists only when the site knows its
base URL. Each URL lists its alternates in both languages and the language chooser as
`x-default`, the form Google reads for multilingual sites. Each edition's landing page, the article
itself, has the highest priority; every other page the default.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from bireview.config import HTML_LANG, LANGUAGES
from bireview.model.settings import Settings

SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
CHOOSER = "index.html"
LANDING_PAGES = frozenset(f"{lang}/index.html" for lang in LANGUAGES)


def crawl_files(settings: Settings, pages: list[str]) -> dict[str, str]:
    """robots.txt always; sitemap.xml (named by robots.txt) only with a base URL."""
    if settings.base_url is None:
        return {
            ROBOTS: "# No sitemap: this site was built without a base URL (site.yaml or --base-url).\n"
            "User-agent: *\nAllow: /\n"
        }
    return {
        ROBOTS: f"User-agent: *\nAllow: /\n\nSitemap: {settings.absolute(SITEMAP)}\n",
        SITEMAP: sitemap(settings, pages),
    }


def sitemap(settings: Settings, pages: list[str]) -> str:
    """`pages`: the site paths of the HTML pages, e.g. 'zh/ra/index.html'."""
    urls = [url_entry(settings, CHOOSER, {HTML_LANG[lang]: f"{lang}/index.html" for lang in LANGUAGES})]
    for page in sorted(pages):
        lang, _, rest = page.partition("/")
        if lang in LANGUAGES and rest:
            urls.append(url_entry(settings, page, {HTML_LANG[code]: f"{code}/{rest}" for code in LANGUAGES}))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
        + "".join(urls)
        + "</urlset>\n"
    )


def url_entry(settings: Settings, page: str, twins: dict[str, str]) -> str:
    alternates = {**twins, "x-default": CHOOSER}
    links = "".join(
        f'    <xhtml:link rel="alternate" hreflang="{lang}" href={quoteattr(str(settings.absolute(path)))}/>\n'
        for lang, path in alternates.items()
    )
    article = (
        "    <priority>1.0</priority>\n" if page in LANDING_PAGES else ""
    )  # the article: each edition's landing page
    return f"  <url>\n    <loc>{xml_text(str(settings.absolute(page)))}</loc>\n{article}{links}  </url>\n"


def xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
