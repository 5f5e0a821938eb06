"""Jinja environments (one per language, with its Babel catalogue) and the rendering of pages.

Python prepares small view records; templates own every piece of presentation,
including the citation label and the reference styles (macros in templates/).
"""

from __future__ import annotations

import functools
import gettext
import hashlib
import io
import re
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from types import CodeType
from typing import Any, TypeVar, cast

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from jinja2 import (
    BytecodeCache,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateError,
    TemplateSyntaxError,
    nodes,
)
from jinja2.bccache import Bucket
from jinja2.visitor import NodeTransformer
from markdown_it.common.utils import escapeHtml
from markupsafe import Markup, escape

from bireview.config import BABEL_LOCALE, HTML_LANG, LANGUAGES, SOURCE_LANG, Config, other_lang
from bireview.model.bibliography import nlm_pages
from bireview.model.citations import CitationIndex, label_runs
from bireview.model.glossary import Term, abbreviation_pattern
from bireview.model.inputs import decode_problem, po_syntax_problems, read_text
from bireview.model.markdown import FILLED, PLACED, make_markdown
from bireview.model.pages import Block, draft_of
from bireview.problems import BuildFailed, Problem, relative

# Runs of the other edition's script inside a text: English phrases (two words or more) in Chinese
# prose, Chinese in English prose (a translator's note quoting the original). Screen readers need
# their language to pronounce them.
FOREIGN = {
    "zh": re.compile(r"[A-Za-z][A-Za-z0-9\-/+'\u0370-\u03ff]*(?:,? [A-Za-z][A-Za-z0-9\-/+'\u0370-\u03ff]*)+"),
    "en": re.compile(
        r"[\u3400-\u9fff](?:[\u3400-\u9fff\u3000-\u303f\uff00-\uffef0-9 ]*[\u3400-\u9fff\u3000-\u303f\uff00-\uffef])?"
    ),
}


def plural_like(term: str, abbr: str) -> str:
    """'mesenchymal stem cell' for 'MSCs' reads 'mesenchymal stem cells'."""
    if abbr.endswith("s") and abbr[:-1].isupper() and not term.endswith("s"):
        return term + "s"
    return term


def catalogue_path(config: Config, lang: str) -> Path:
    return config.locale / lang / "LC_MESSAGES" / "messages.po"


def catalogue_problems(config: Config) -> list[Problem]:
    """A catalogue that Babel would misread silently (an unclosed quote) or not at all."""
    problems = []
    for lang in LANGUAGES:
        path = catalogue_path(config, lang)
        if not path.exists():
            continue
        text = read_text(path, config.root)
        if isinstance(text, Problem):
            problems.append(text)
            continue
        rel = relative(path, config.root)
        found = po_syntax_problems(text, rel)
        if not found:
            try:
                catalogue = read_po(io.StringIO(text), locale=BABEL_LOCALE[lang], abort_invalid=True)
            except PoFileError as error:
                found = [
                    Problem(
                        rel,
                        getattr(error, "lineno", 0) or 1,
                        "locale/syntax",
                        f"malformed catalogue: {error}",
                        "fix the entry on that line",
                    )
                ]
            else:
                found = format_problems(catalogue, rel)
        problems += found
    return problems


# A %-conversion as Python's `%` reads it (the i18n extension formats every translation with `%`).
CONVERSION = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(.)", re.DOTALL)


def format_problems(catalogue: Any, rel: str) -> list[Problem]:
    """A msgstr whose %-conversions are not its msgid's: `%` alone, or `{% raw %}`, would stop every
    page that shows the string, with the template, not the catalogue, named."""
    problems = []
    for message in catalogue:
        if (
            not message.id
            or not isinstance(message.id, str)
            or not isinstance(message.string, str)
            or not message.string
        ):
            continue
        every = conversions(message.string)
        wanted, found = [c for c in conversions(message.id) if c != "%%"], [c for c in every if c != "%%"]
        stray = message.string.count("%") != sum(conversion.count("%") for conversion in every)  # a lone % at the end
        if found != wanted or stray:
            problems.append(
                Problem(
                    rel,
                    message.lineno,
                    "locale/format",
                    f"the translation of {message.id!r} has the formats {found or 'none'}, "
                    f"its msgid {wanted or 'none'}",
                    "keep the msgid's %(name)s placeholders as they are and write %% for a percent sign",
                )
            )
    return problems


def conversions(text: str) -> list[str]:
    """The %-conversions of a string, sorted (%% among them)."""
    return sorted(match.group(0) for match in CONVERSION.finditer(text))


def load_catalogue(config: Config, lang: str) -> gettext.NullTranslations:
    """Compile `locale/<lang>/LC_MESSAGES/messages.po` in memory: no stale .mo files."""
    path = catalogue_path(config, lang)
    if not path.exists():
        return gettext.NullTranslations()
    text = read_text(path, config.root)
    catalogue = read_po(io.StringIO(text if isinstance(text, str) else ""), locale=BABEL_LOCALE[lang])
    buffer = io.BytesIO()
    write_mo(buffer, catalogue)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def memoised(function: Callable[..., str]) -> Callable[..., str]:
    """A catalogue look-up made once per string and edition: templates ask for the same few dozen
    interface strings on every page."""
    return functools.lru_cache(maxsize=None)(function)


class CompiledTemplates(BytecodeCache):
    """Compiled templates kept in memory by file, text and catalogue (the interface strings are
    compiled in, see `Edition`), so that serve's rebuilds (each with new environments) compile
    only the templates that changed."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def get_bucket(self, environment: Environment, name: str, filename: str | None, source: str) -> Bucket:
        catalogue = getattr(environment, "catalogue_key", "")
        return super().get_bucket(environment, f"{catalogue}/{name}", filename, source)

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


COMPILED = CompiledTemplates()


SPECIAL = re.compile("[&<>'\"]")


def output_escape(value: Any) -> Any:
    """What `{{ value }}` writes, as markupsafe's `escape` writes it, without making a Markup of
    every value written: only written, never used again, it need not be one. Most values are plain
    text with nothing to escape (ids, links, labels, numbers), and come back as they are."""
    kind = type(value)
    if kind is str:
        return value if SPECIAL.search(value) is None else escape(value)
    if kind is Markup:
        return value
    if kind is int:
        return str(value)
    return escape(value)


class OutputTemplate(Template):
    """A template whose `{{ … }}` write through `output_escape`: the compiled code's `escape` is used
    only there (jinja2's code generator writes `escape(` around each value written, and nowhere else)."""

    @classmethod
    def from_code(
        cls,
        environment: Environment,
        code: CodeType,
        globals: MutableMapping[str, Any],
        uptodate: Callable[[], bool] | None = None,
    ) -> Template:
        template = super().from_code(environment, code, globals, uptodate)
        template.root_render_func.__globals__["escape"] = output_escape  # the compiled module's namespace
        return template


class Edition(Environment):
    """An edition's environment: its templates are compiled with the interface strings already
    translated. `_("Next")` becomes the constant 下一页 in the Chinese edition's compiled template,
    instead of a catalogue look-up through three calls on every page (half a million at 2,000 pages)."""

    translate: Callable[[str], str] = staticmethod(lambda text: text)
    catalogue_key = ""
    template_class = OutputTemplate

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        template: nodes.Template = TranslatedStrings(self.translate).visit(super()._parse(source, name, filename))
        return template

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        """A template's globals as one plain mapping (jinja2 chains them to the environment's): each
        `{% from … import … %}` compares the two templates' global names, on every page, and a chain
        answers in Python what a dictionary answers in C. An environment's globals are all set before
        its first template is loaded (see `make_environment`)."""
        return {**self.globals, **(d or {})}


FORMAT = re.compile(r"%\(([A-Za-z_][A-Za-z0-9_]*)\)s")


class TranslatedStrings(NodeTransformer):
    """Replaces `_("literal", name=value, …)` with what the i18n extension's gettext would return:
    the translation as markup, formatted with the (escaped) values."""

    def __init__(self, translate: Callable[[str], str]) -> None:
        self.translate = translate
        self.joined: dict[int, nodes.Concat] = {}  # the Concat nodes made here, by id (see visit_Output)

    def visit_Output(self, node: nodes.Output) -> nodes.Node:
        """`{{ _("… %(place)s", place=label) }}` writes its pieces one by one: the translation's text as
        constants (joined with the template's own at compile time), each value escaped as any `{{ }}`
        escapes it; not joined into a Markup first (a page's back-links, a few µs each)."""
        node = cast(nodes.Output, self.generic_visit(node))
        pieces: list[nodes.Expr] = []
        for child in node.nodes:
            joined = self.joined.get(id(child))
            pieces += joined.nodes if joined is not None and joined is child else (child,)
        node.nodes = pieces
        return node

    def visit_Call(self, node: nodes.Call) -> nodes.Node:
        node = cast(nodes.Call, self.generic_visit(node))
        if not (
            isinstance(node.node, nodes.Name)
            and node.node.name in ("_", "gettext")
            and len(node.args) == 1
            and isinstance(node.args[0], nodes.Const)
            and isinstance(node.args[0].value, str)
            and node.dyn_args is None
            and node.dyn_kwargs is None
        ):
            return node
        text = Markup(self.translate(node.args[0].value))
        if not node.kwargs:
            try:
                return nodes.MarkSafe(nodes.Const(str(text % {})), lineno=node.lineno)
            except (KeyError, ValueError, TypeError):
                return node  # a malformed format: left for gettext to report when it runs
        values = {kw.key: kw.value for kw in node.kwargs}
        pieces = FORMAT.split(str(text))  # text, name, text, …: the format cut at its %(name)s
        if any("%" in piece for piece in pieces[::2]) or not set(pieces[1::2]) <= set(values):
            mapping = nodes.Dict(
                [nodes.Pair(nodes.Const(key), value, lineno=node.lineno) for key, value in values.items()],
                lineno=node.lineno,
            )  # %% or another conversion: formatted as gettext would
            return nodes.Mod(nodes.MarkSafe(nodes.Const(str(text)), lineno=node.lineno), mapping, lineno=node.lineno)
        # the translation's text around each value, joined with the escaped values: what `%` makes, without
        # its helper objects for every value of every call (a page's back-links and citation labels)
        joined = nodes.Concat(
            [
                nodes.MarkSafe(nodes.Const(piece), lineno=node.lineno) if number % 2 == 0 else values[piece]
                for number, piece in enumerate(pieces)
                if piece or not number
            ],
            lineno=node.lineno,
        )
        self.joined[id(joined)] = joined
        return joined


def catalogue_text(text: str) -> str:
    """A catalogue's string as HTML text: &, <, > and " escaped (the templates quote attributes with "),
    an apostrophe left as it is written, as in the pages' own text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;")


def make_environment(config: Config, lang: str, catalogue: bool = True) -> Environment:
    env = Edition(
        loader=FileSystemLoader(config.templates, encoding="utf-8-sig"),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=COMPILED,
        auto_reload=False,
    )  # an environment lives for one build (serve makes new ones)
    translations = load_catalogue(config, lang) if catalogue else gettext.NullTranslations()
    # A catalogue is a translator's file like any other: its strings are text, escaped like content
    # (the i18n extension would take them as markup); a string that needs markup gets it from the template.
    env.translate = memoised(lambda text: catalogue_text(translations.gettext(text)))
    env.install_gettext_callables(  # type: ignore[attr-defined]  # the i18n extension adds it at run time
        env.translate,
        memoised(lambda one, many, n: catalogue_text(translations.ngettext(one, many, n))),
        newstyle=True,
    )
    env.catalogue_key = catalogue_key(config, lang) if catalogue else ""
    env.filters["longdate"] = lambda value: format_date(value, format="long", locale=BABEL_LOCALE[lang])
    env.filters["nlm_pages"] = nlm_pages
    env.globals["html_lang"] = HTML_LANG
    return env


def catalogue_key(config: Config, lang: str) -> str:
    """What the compiled templates of an edition depend on besides their text: its catalogue."""
    path = catalogue_path(config, lang)
    content = path.read_bytes() if path.is_file() else b""
    return f"{lang}-{hashlib.sha1(content).hexdigest()}"


DRAWN_KEPT = 4096  # inline macro results a renderer keeps
FINISHED_KEPT = 256  # finished drafts a renderer keeps: a page's blocks, for its other views

K = TypeVar("K")
V = TypeVar("V")


def kept(cache: dict[K, V], key: K, make: Callable[[], V], limit: int) -> V:
    """`cache[key]`, made the first time it is asked for; a cache that holds `limit` is emptied first."""
    if key not in cache:
        if len(cache) >= limit:
            cache.clear()
        cache[key] = make()
    return cache[key]


@dataclass
class PageMarks:
    """What one page's rendering has met so far, handed along by the page's context (see
    kinds/section.py): the abbreviations already spelled out, and the last translator's note's number."""

    seen: set[str] = field(default_factory=set)
    notes: int = 0


class UnitRenderer:
    """Renders units to HTML with citation labels drawn by the `citation` template macro."""

    def __init__(self, env: Environment, index: CitationIndex, terms: tuple[Term, ...], lang: str) -> None:
        self.md = make_markdown()
        macros: Any = env.get_template("macros/inline.html").module  # its attributes: the template's macros
        reference: Any = env.get_template("macros/reference.html").module
        self.macro = macros.citation
        self.abbreviation = macros.abbreviation
        self.foreign = macros.foreign
        self.reference_entry = reference.entry
        self.lang = lang
        # a range of references: the Chinese edition's [5-8] as published; English sets it [5–8]
        self.range_dash = "-" if lang == SOURCE_LANG else "–"
        self.index = index
        self.citations: dict[tuple[str, ...], str] = {}
        self.pattern = abbreviation_pattern(list(terms))
        self.expansions: dict[str, str] = {}
        self.spellings: dict[str, tuple[str, ...]] = {}  # how a text may already spell it out
        for term in terms:
            if term.abbr and term.abbr not in self.expansions:
                self.expansions[term.abbr] = term.zh if lang == SOURCE_LANG else plural_like(term.en, term.abbr)
                self.spellings[term.abbr] = (term.zh.casefold(), term.en.casefold())
        # Abbreviations already used on the page being rendered; None while not rendering a page body.
        self.anchor = macros.heading_anchor
        self.macros_drawn: dict[tuple[Any, ...], str] = {}  # see drawn()
        self.finished: dict[str, list[str]] = {}  # see finish()
        self.marked = 0  # abbreviations marked so far

    def text(self, content: str, page: PageMarks | None = None) -> str:
        """Escaped text; phrases in the other language get their `lang`, abbreviations their expansion
        (on a `page`, the first use of each is spelled out, unless its text already does)."""
        html = FOREIGN[self.lang].sub(self.mark_foreign, escapeHtml(content))
        if self.pattern is None:
            return html
        spelled = content.casefold()
        return self.pattern.sub(lambda m: self.mark_abbreviation(m.group(), spelled, page), html)

    def mark_abbreviation(self, abbr: str, text: str, page: PageMarks | None) -> str:
        self.marked += 1
        first = page is not None and abbr not in page.seen
        if page is not None:
            page.seen.add(abbr)
        expand = first and not any(spelling in text for spelling in self.spellings[abbr])
        return self.drawn(self.abbreviation, abbr, self.expansions[abbr], expand)

    def mark_foreign(self, match: re.Match[str]) -> str:
        phrase = match.group()
        if self.lang == SOURCE_LANG and not re.search(r"[a-z]{3}", phrase):
            return phrase  # "I b", "II a": numerals and initials, not English words
        return self.drawn(self.foreign, Markup(phrase), HTML_LANG[other_lang(self.lang)])

    def drawn(self, macro: Any, *arguments: Any) -> str:
        """What an inline macro draws for these arguments, drawn once: the same phrases and
        abbreviations come back on page after page (the last few thousand are kept)."""
        return kept(self.macros_drawn, (macro, *arguments), lambda: str(macro(*arguments)), DRAWN_KEPT)

    def citation(self, keys: tuple[str, ...]) -> str:
        """A citation group's label, drawn once per group of keys: the page and its side-by-side
        view, and often several paragraphs, cite the same group."""
        return kept(
            self.citations,
            keys,
            lambda: str(
                self.macro(
                    list(keys),
                    label_runs([self.index.numbers[key] for key in keys]),
                    self.index.by_number,
                    self.range_dash,
                )
            ),
            DRAWN_KEPT,
        )

    def html(self, block: Block, anchor: bool = True, page: PageMarks | None = None) -> Markup:
        """A block as HTML, finished from its draft; without its ids where the page shows it twice
        (the parallel view). Its translator's notes become numbered notes below it (`number_notes`),
        numbered on through the `page` (outside a page, within the block)."""
        html = self.finish(draft_of(block), anchor, page)
        if NOTE_OPEN in html:  # rare: most blocks have no note, and pay for this test only
            html, count = number_notes(html, block.id, page.notes if page is not None else 0)
            if page is not None:
                page.notes = count
        return Markup(html)

    def inline(self, text: str) -> Markup:
        return Markup(self.finish(self.md.renderInline(text), True))

    def finish(self, draft: str, anchor: bool, page: PageMarks | None = None) -> str:
        """A draft (see markdown.py) with its placeholders filled in, in reading order: the first use
        of an abbreviation on a page is the first one met.

        A draft without abbreviations is filled the same wherever it is shown: kept, for the page's
        other views (an untranslated English page shows the Chinese blocks again, the side-by-side
        view shows them without their ids), which only put in or leave out the ids."""
        pieces = self.finished.get(draft)
        if pieces is None:
            marked = self.marked
            pieces = self.filled(draft, page)
            if self.marked == marked:
                kept(self.finished, draft, lambda: pieces, FINISHED_KEPT)
        if not anchor or len(pieces) == 1:
            return "".join(pieces[::3])
        html = [pieces[0]]
        for at in range(1, len(pieces), 3):  # an id, or a heading's self-link, then the text after it
            block_id, heading = pieces[at], pieces[at + 1]
            html += [f' id="{block_id}"' if block_id is not None else str(self.anchor(heading)), pieces[at + 2]]
        return "".join(html)

    def filled(self, draft: str, page: PageMarks | None = None) -> list[str]:
        """The draft's text runs and citations filled in, in reading order; cut where an id or a
        heading's self-link goes: [filled, id or None, heading id or None, filled, …]."""

        def fill(match: re.Match[str]) -> str:
            kind, value = match.groups()
            return self.text(value, page) if kind == "T" else self.citation(tuple(value.split(" ")))

        pieces = PLACED.split(draft)
        pieces[::3] = [FILLED.sub(fill, piece) for piece in pieces[::3]]
        return pieces


def render_template(
    env: Environment, name: str, context: Callable[[], dict[str, Any]], root: Path, problems: list[Problem]
) -> str:
    """Render, turning any template error into a problem with the template's file and line.

    The context is made inside the guard: making it calls template macros too (reference styles).
    """
    try:
        return env.get_template(name).render(context())
    except BuildFailed:
        raise
    except Exception as error:  # noqa: BLE001 - any error in a template ({{ 1 // 0 }}) is the template's problem
        problems.append(template_problem(error, name, root))
    return ""


def stream_template(
    env: Environment, name: str, context: Callable[[], dict[str, Any]], root: Path, problems: list[Problem]
) -> Iterator[str]:
    """`render_template`, its text as the template makes it (see `output.Stage.stream`)."""
    try:
        yield from env.get_template(name).generate(context())
    except BuildFailed:
        raise
    except Exception as error:  # noqa: BLE001 - as in render_template
        problems.append(template_problem(error, name, root))


def template_syntax_problems(config: Config) -> list[Problem]:
    """Every template compiled before anything renders, so its problems come with the content's."""
    env = make_environment(config, SOURCE_LANG, catalogue=False)
    problems = []
    for path in sorted(p for p in config.templates.rglob("*") if p.is_file()):
        name = path.relative_to(config.templates).as_posix()
        source = read_text(path, config.root)
        if isinstance(source, Problem):
            problems.append(source)
            continue
        if path.suffix != ".html":
            continue  # a stylesheet (print.css) only has to be UTF-8
        problems += parse_problems(env, source, name, str(path), config.root)
    return problems


SYNTAX: dict[tuple[str, str, str], list[Problem]] = {}  # a template's problems by its text, for serve


def parse_problems(env: Environment, source: str, name: str, path: str, root: Path) -> list[Problem]:
    """A template's syntax problems; a text parsed before is not parsed again."""
    if (source, path, str(root)) not in SYNTAX:
        try:
            env.parse(source, name, path)
            SYNTAX[(source, path, str(root))] = []
        except TemplateSyntaxError as error:
            SYNTAX[(source, path, str(root))] = [template_problem(error, name, root)]
    return SYNTAX[(source, path, str(root))]


def template_problem(error: Exception, name: str, root: Path) -> Problem:
    if isinstance(error, UnicodeDecodeError):
        return decode_problem(error, f"templates/{name}")
    if isinstance(error, TemplateSyntaxError):
        path = relative(Path(error.filename), root) if error.filename else f"templates/{name}"
        return Problem(
            path,
            error.lineno or 1,
            "template/syntax",
            f"template syntax error: {error.message}",
            "fix the Jinja syntax on that line",
        )
    path, line = template_frame(error, root) or (f"templates/{name}", 1)
    if isinstance(error, TemplateError):
        return Problem(
            path,
            line,
            "template/render",
            f"template error: {error}",
            "pass the variable from Python or fix its name in the template",
        )
    return Problem(
        path,
        line,
        "template/render",
        f"template error: {type(error).__name__}: {error}",
        "fix the expression on that line",
    )


def template_frame(error: BaseException, root: Path) -> tuple[str, int] | None:
    """The innermost template file and line in a traceback.

    Jinja rewrites frames to template lines when a template renders; a macro that Python calls
    directly (reference styles, citation labels) keeps the compiled code's lines, which the
    module's `debug_info` maps back to the template's.
    """
    found = None
    tb = error.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".html"):
            line = template_line(tb.tb_frame.f_globals.get("debug_info"), tb.tb_lineno)
            found = (relative(Path(filename), root), line)
        tb = tb.tb_next
    return found


def template_line(debug_info: str | None, code_line: int) -> int:
    """Map a line of Jinja's compiled Python back to its template line ('tpl=code&…')."""
    if not debug_info:
        return code_line
    pairs = [tuple(int(n) for n in pair.split("=")) for pair in debug_info.split("&") if pair]
    return max(
        ((template, code) for template, code in pairs if code <= code_line),
        key=lambda pair: pair[1],
        default=(code_line, 0),
    )[0]


def raise_template_problems(problems: list[Problem]) -> None:
    if problems:
        unique = list(dict.fromkeys(problems))  # the same template error on every page, reported once
        raise BuildFailed(unique)


def environments(config: Config) -> dict[str, Environment]:
    return {lang: make_environment(config, lang) for lang in LANGUAGES}


# Translator's notes are written in the text, `[Translator's note: …]{.translator-note}`, where the English
# departs from the Chinese. A reader gets them as numbered notes: a superscript number in the sentence, the
# note below the block, each linking to the other (in the HTML and, through the same HTML, in the PDF).
NOTE_OPEN = '<span class="translator-note">'


def number_notes(html: str, block_id: str, start: int) -> tuple[str, int]:
    """`html` with each translator's note replaced by its number, the notes listed after it; and the
    last number used. Notes are numbered on from `start`; their ids are the block's, so they are unique."""
    out: list[str] = []
    notes: list[tuple[int, str]] = []
    position, number = 0, start
    while (begin := html.find(NOTE_OPEN, position)) >= 0:
        end = closing_span(html, begin + len(NOTE_OPEN))
        if end < 0:
            return html, start  # not markup this code made: leave it as it is
        between = html[position:begin]
        if notes and not between.strip():  # two notes in a row: 1,2 rather than 12
            out.append('<sup class="note-sep">,</sup>')
        else:
            out.append(between.rstrip(" ") if between.endswith(" ") else between)
        number += 1
        body = html[begin + len(NOTE_OPEN) : end]  # as written, "Translator's note: …"
        out.append(
            f'<sup class="note-ref"><a id="tnref-{block_id}-{number}" href="#tn-{block_id}-{number}" '
            f'aria-label="Translator’s note {number}">{number}</a></sup>'
        )
        notes.append((number, body))
        position = end + len("</span>")
    out.append(html[position:])
    items = "".join(
        f'<li id="tn-{block_id}-{n}" value="{n}">{body} <a class="note-back" href="#tnref-{block_id}-{n}" '
        f'aria-label="Back to the text of translator’s note {n}">↩</a></li>'
        for n, body in notes
    )
    return "".join(
        out
    ) + f'\n<aside class="translator-notes" aria-label="Translator’s notes"><ol>{items}</ol></aside>', number


def closing_span(html: str, at: int) -> int:
    """Where the span opened just before `at` closes (its `</span>`), nested spans counted; -1 if never."""
    depth = 1
    while depth:
        opening, closing = html.find("<span", at), html.find("</span>", at)
        if closing < 0:
            return -1
        if 0 <= opening < closing:
            depth, at = depth + 1, opening + 5
        else:
            depth, at = depth - 1, closing + 7
    return at - 7
