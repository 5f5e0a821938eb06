"""build(config): load -> number citations -> render -> write, as a short recipe."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from markupsafe import Markup

from .citations import CitationIndex, number_citations, uncited_in_chinese, unknown_keys
from .config import LANGUAGES, SOURCE_LANG, Config
from .contexts import GLOSSARY, REFERENCES, STUDIES, Contexts, page_path, parallel_path
from .exports import export_files
from .output import output_problems, write_output
from .pdf import PRINT_TEMPLATE, PrintEdition, cjk_fonts, font_problem, pdf_files, print_context
from .problems import Problem, raise_if_any
from .render import (UnitRenderer, catalogue_problems, environments, raise_template_problems, render_template, template_problem,
                     template_syntax_problems)
from .review import Review, load_review
from .search import search_files
from .sitemap import crawl_files


def no_progress(stage: str) -> None:
    """The default progress report: none."""


def build(config: Config, progress: Callable[[str], None] = no_progress) -> Review:
    """Build the whole site into a fresh folder, then swap it in; on any problem, write nothing."""
    progress("loading")
    problems = output_problems(config.out, config.root)
    review, found = load_review(config)
    index = number_citations(review.zh)
    problems += found + template_syntax_problems(config) + catalogue_problems(config)
    if not any(p.category.startswith("input/") and p.path.endswith(".bib") for p in found):  # else every key is unknown
        problems += unknown_keys([*review.zh, *review.en.values()], review.references)
        problems += uncited_in_chinese(review, index)
    fonts = cjk_fonts() if config.pdf else ()
    if config.pdf and not fonts:
        problems.append(font_problem(config))
    raise_if_any(problems)
    progress("rendering pages")
    files = render_site(config, review, index, fonts, progress)
    progress("writing")
    write_output(config.out, files, config.static)
    return review


def render_site(config: Config, review: Review, index: CitationIndex, fonts: tuple[str, ...] = (),
                progress: Callable[[str], None] = no_progress) -> dict[str, str | bytes]:
    envs = environments(config)
    problems: list[Problem] = []
    renderers = {}
    for lang in LANGUAGES:
        try:
            renderers[lang] = UnitRenderer(envs[lang], index, review.terms, lang)
        except Exception as error:  # noqa: BLE001 - any error in the macros is the template's problem
            problems.append(template_problem(error, "macros/inline.html", config.root))
    raise_template_problems(problems)
    contexts = Contexts(config, review, index, renderers)
    files: dict[str, str | bytes] = {
        "index.html": render_template(envs[SOURCE_LANG], "chooser.html", contexts.chooser, config.root, problems)}
    for lang in LANGUAGES:
        for alignment in review.alignments:
            files[page_path(lang, alignment.zh.slug)] = render_template(
                envs[lang], "page.html", lambda: contexts.content_page(lang, alignment), config.root, problems)
        for alignment in review.alignments:
            files[parallel_path(lang, alignment.zh.slug)] = render_template(
                envs[lang], "parallel.html", lambda: contexts.parallel_page(lang, alignment), config.root, problems)
        files[page_path(lang, REFERENCES)] = render_template(
            envs[lang], "references.html", lambda: contexts.references_page(lang), config.root, problems)
        files[page_path(lang, GLOSSARY)] = render_template(
            envs[lang], "glossary.html", lambda: contexts.glossary_page(lang), config.root, problems)
        files[page_path(lang, STUDIES)] = render_template(
            envs[lang], "studies.html", lambda: contexts.studies_page(lang), config.root, problems)
        files.update(search_files(lang, contexts.search_entries(lang)))
    files["404.html"] = render_template(envs[SOURCE_LANG], "404.html", lambda: not_found_page(config, contexts),
                                        config.root, problems)
    files.update(publication_files(config, review, contexts))
    editions = [PrintEdition(lang, render_template(envs[lang], PRINT_TEMPLATE, lambda: print_context(contexts, lang),
                                                   config.root, problems)) for lang in LANGUAGES if config.pdf]
    raise_template_problems(problems)
    if editions:
        progress("making the PDF editions")
        files.update(pdf_files(config, editions, fonts))
    return files


def publication_files(config: Config, review: Review, contexts: Contexts) -> dict[str, str]:
    """The downloads (the article's citation, the reference list), sitemap.xml and robots.txt."""
    urls = {lang: review.settings.absolute(f"{lang}/index.html") for lang in LANGUAGES}
    references = [review.references[key] for key in sorted(contexts.index.numbers, key=contexts.index.numbers.get)]
    pages = [page_path(lang, slug) for lang in LANGUAGES for slug in contexts.slugs]
    pages += [parallel_path(lang, alignment.zh.slug) for lang in LANGUAGES for alignment in review.alignments]
    files = export_files(review.articles, urls, references) if review.articles else {}
    return {**files, **crawl_files(review.settings, pages)}


def not_found_page(config: Config, contexts: Contexts) -> dict[str, object]:
    """A static host shows 404.html at any depth, so it carries its stylesheet and icon inline."""
    stylesheet, icon = config.static / "style.css", config.static / "favicon.svg"
    return {**contexts.chooser(), "base": contexts.review.settings.base_url or "",
            "stylesheet": Markup(stylesheet.read_text(encoding="utf-8") if stylesheet.exists() else ""),
            "icon": "data:image/svg+xml," + quote(icon.read_text(encoding="utf-8")) if icon.exists() else ""}
