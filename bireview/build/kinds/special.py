"""The pages that are not part of the text: the language chooser, the 404 page and the contents page."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from bireview.build.links import CONTENTS
from bireview.build.views import Views
from bireview.config import HTML_LANG


def chooser(views: Views) -> dict[str, Any]:
    zh_title = views.review.alignment("index").zh.title
    en_page = views.review.en.get("index")
    settings = views.review.settings

    def link(path: str) -> str:  # absolute with a base URL, as crawlers require
        return settings.absolute(path) or path

    return {
        "zh_title": zh_title,
        "en_title": en_page.title if en_page else zh_title,
        "stylesheet": "static/style.css",
        "html_lang": HTML_LANG,
        "canonical": settings.absolute("index.html"),  # the chooser is x-default: it picks the language
        "alternates": (
            (HTML_LANG["zh"], link("zh/index.html")),
            (HTML_LANG["en"], link("en/index.html")),
            ("x-default", link("index.html")),
        ),
    }


def not_found_page(views: Views) -> dict[str, Any]:
    """A static host shows 404.html at any depth, so it carries its stylesheet and icon inline."""
    stylesheet, icon = views.config.static / "style.css", views.config.static / "favicon.svg"
    return {
        **chooser(views),
        "base": views.review.settings.base_url or "",
        "stylesheet": Markup(stylesheet.read_text(encoding="utf-8") if stylesheet.exists() else ""),
        "icon": "data:image/svg+xml," + quote(icon.read_text(encoding="utf-8")) if icon.exists() else "",
    }


def contents_page(views: Views, lang: str) -> dict[str, Any]:
    """Every page of the edition, in reading order: a long review's navigation lists only a page's
    neighbours and links here, so a reader without scripts still reaches every page."""
    context = views.common(lang, CONTENTS)
    context["pages"] = list(views.folder_navigation(lang, context["here"].rpartition("/")[0]))
    return context
