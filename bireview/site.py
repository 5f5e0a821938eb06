"""build(config): load -> number citations -> render -> write, as a short recipe."""

from __future__ import annotations

import json

from .citations import CitationIndex, number_citations, uncited_in_chinese, unknown_keys
from .config import LANGUAGES, SOURCE_LANG, Config
from .contexts import GLOSSARY, REFERENCES, STUDIES, Contexts, page_path, parallel_path
from .output import output_problems, write_output
from .problems import Problem, raise_if_any
from .render import (UnitRenderer, catalogue_problems, environments, raise_template_problems, render_template, template_problem,
                     template_syntax_problems)
from .review import Review, load_review


def build(config: Config) -> Review:
    """Build the whole site into a fresh folder, then swap it in; on any problem, write nothing."""
    problems = output_problems(config.out, config.root)
    review, found = load_review(config)
    index = number_citations(review.zh)
    problems += found + template_syntax_problems(config) + catalogue_problems(config)
    if not any(p.category.startswith("input/") and p.path.endswith(".bib") for p in found):  # else every key is unknown
        problems += unknown_keys([*review.zh, *review.en.values()], review.references)
        problems += uncited_in_chinese(review, index)
    raise_if_any(problems)
    files = render_site(config, review, index)
    write_output(config.out, files, config.static)
    return review


def render_site(config: Config, review: Review, index: CitationIndex) -> dict[str, str]:
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
    files = {"index.html": render_template(envs[SOURCE_LANG], "chooser.html", contexts.chooser,
                                           config.root, problems)}
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
        files[f"{lang}/search-index.js"] = search_index_script(contexts.search_entries(lang))
    raise_template_problems(problems)
    return files


def search_index_script(entries: list[dict[str, str]]) -> str:
    """The search index as a script, so that search works from file:// as well as over HTTP."""
    return "window.REVIEW_SEARCH = " + json.dumps(entries, ensure_ascii=False, separators=(",", ":")) + ";\n"


