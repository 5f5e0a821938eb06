"""sitemap.xml and robots.txt: every page of both editions, each with its twin, for crawlers.

A sitemap needs absolute URLs (sitemaps.org), so it exists only when the site knows its
base URL. Each URL lists its alternates in both languages and the language chooser as
`x-default`, the form Google reads for multilingual sites. Each edition's landing page, the article
itself, has the highest priority; every other page the default.
"""

from __future__ import annotations

from lxml import etree

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


SITEMAPS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"


def sitemap(settings: Settings, pages: list[str]) -> str:
    """`pages`: the site paths of the HTML pages, e.g. 'zh/ra/index.html'. Written with lxml: every
    URL escaped as XML wants it."""
    urlset = etree.Element(f"{{{SITEMAPS}}}urlset", nsmap={None: SITEMAPS, "xhtml": XHTML})
    url_entry(urlset, settings, CHOOSER, {HTML_LANG[lang]: f"{lang}/index.html" for lang in LANGUAGES})
    for page in sorted(pages):
        lang, _, rest = page.partition("/")
        if lang in LANGUAGES and rest:
            url_entry(urlset, settings, page, {HTML_LANG[code]: f"{code}/{rest}" for code in LANGUAGES})
    etree.indent(urlset, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(urlset, encoding="unicode") + "\n"


def url_entry(urlset: etree._Element, settings: Settings, page: str, twins: dict[str, str]) -> None:
    url = etree.SubElement(urlset, f"{{{SITEMAPS}}}url")
    etree.SubElement(url, f"{{{SITEMAPS}}}loc").text = str(settings.absolute(page))
    if page in LANDING_PAGES:  # the article: each edition's landing page
        etree.SubElement(url, f"{{{SITEMAPS}}}priority").text = "1.0"
    for lang, path in {**twins, "x-default": CHOOSER}.items():
        etree.SubElement(url, f"{{{XHTML}}}link", rel="alternate", hreflang=lang, href=str(settings.absolute(path)))
