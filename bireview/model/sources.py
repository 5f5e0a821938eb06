"""Reading content files: YAML front matter plus a Markdown body, as Source records."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from bireview.build.workers import sent_as_arguments
from bireview.model.inputs import (
    DATE,
    TEXT,
    TEXT_OR_NUMBER,
    WHOLE_NUMBER,
    check_types,
    invisible_value_problems,
    read_text,
    yaml_error_line,
)
from bireview.problems import Problem, relative
from bireview.records import record

FENCE = "---"


@sent_as_arguments
@record
class Source:
    """One content file: its front matter and its body, and where the body starts."""

    path: Path
    rel: str
    lang: str
    slug: str
    meta: dict[str, Any]
    body: str
    body_line: int  # 1-based line of the body's first line in the file
    key_lines: dict[str, int]  # 1-based line of each top-level front-matter key

    @property
    def order(self) -> int:
        return int(self.meta.get("order", 0))


SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
AUTHOR = {"name": TEXT, "affiliations": [WHOLE_NUMBER], "corresponding": TEXT}
# The expected type of every front-matter key the generator reads.
FRONT_MATTER: dict[str, Any] = {
    "title": TEXT,
    "short_title": TEXT,
    "number": TEXT_OR_NUMBER,
    "order": WHOLE_NUMBER,
    "slug": TEXT,
    "title_source": TEXT,
    "authors": [AUTHOR],
    "affiliations": [{"id": WHOLE_NUMBER, "name": TEXT, "place": TEXT}],
    "correspondence": [{"mark": TEXT, "role": TEXT, "email": TEXT}],
    "keywords": [TEXT],
    "clc": TEXT,
    "document_code": TEXT,
    "article_number": TEXT,
    "doi": TEXT,
    "journal": {"title": TEXT, "title_en": TEXT, "abbreviation": TEXT, "issn": TEXT, "volume": TEXT_OR_NUMBER},
    "funding": [{"source": TEXT, "grants": [TEXT_OR_NUMBER]}],
    "biography": {"name": TEXT, "sex": TEXT, "born": TEXT_OR_NUMBER, "education": TEXT, "email": TEXT},
    "received": DATE,
}


def read_sources(
    folder: Path,
    lang: str,
    root: Path,
    read: Callable[..., Source | None] | None = None,
    paths: list[Path] | None = None,
) -> tuple[list[Source], list[Problem], set[str]]:
    """Every `*.md` of one language, sorted by front-matter order, with the problems found.

    Also returns the slugs of the files that could not be read, so that their absence causes
    no follow-on problems (an English page whose Chinese page is broken is not an orphan).
    `read` reads one file (default `read_source`; `serve` passes one that remembers unchanged files);
    `paths` are the folder's `*.md` files, sorted, when the caller listed them already.
    """
    read = read or read_source
    sources: list[Source] = []
    problems: list[Problem] = []
    broken: set[str] = set()
    for path in sorted(folder.glob("*.md"), key=str) if paths is None else paths:
        source = read(path, lang, root, problems)
        if source is None:
            broken.add(path.stem)
        else:
            sources.append(source)
    found = duplicate_slugs(sources)
    problems += found
    duplicates = {(p.path) for p in found}
    sources = [source for source in sources if source.rel not in duplicates]
    sources.sort(key=lambda s: (s.order, s.slug))
    return sources, problems, broken


def read_source(path: Path, lang: str, root: Path, problems: list[Problem]) -> Source | None:
    rel = relative(path, root)  # once: it asks the file system about every folder on the way
    text = read_text(path, root, rel)
    if isinstance(text, Problem):
        problems.append(text)
        return None
    return parse_source(text, path, lang, root, problems, rel)


def parse_source(
    text: str, path: Path, lang: str, root: Path, problems: list[Problem], rel: str | None = None
) -> Source | None:
    """A content file's text as a Source; also used for texts that are not on disk (git history, imports)."""
    rel = rel or relative(path, root)
    lines = text.split("\n")
    if not lines or lines[0].strip() != FENCE:
        problems.append(
            Problem(
                rel,
                1,
                "front-matter/missing",
                "the file does not start with YAML front matter",
                "begin the file with a line '---', the YAML keys, and a closing '---'",
            )
        )
        return None
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == FENCE)
    except StopIteration:
        problems.append(
            Problem(
                rel,
                1,
                "front-matter/unclosed",
                "the front matter is never closed",
                "add a line '---' after the last YAML key",
            )
        )
        return None
    parsed = parse_front_matter("\n".join(lines[1:end]), rel, problems)
    if parsed is None:
        return None
    meta, key_lines = parsed
    if invisible := invisible_value_problems(meta, "\n".join(lines[1:end]), rel, first_line=2):
        problems += invisible
        return None
    found = check_front_matter(meta, rel, key_lines)
    slug = meta.get("slug", path.stem)
    wrong_slug = check_slug(slug, path, rel, key_lines.get("slug", 1))
    problems += found + wrong_slug
    if found:
        return None
    if wrong_slug:  # read on under the file's name: what refers to the page finds it, no follow-on problems
        slug = path.stem
    return Source(
        path=path,
        rel=rel,
        lang=lang,
        slug=slug,
        meta=meta,
        body="\n".join(lines[end + 1 :]),
        body_line=end + 2,
        key_lines=key_lines,
    )


def parse_front_matter(text: str, rel: str, problems: list[Problem]) -> tuple[dict[str, Any], dict[str, int]] | None:
    """The front matter's values, and the line of each top-level key (from the parser's marks)."""
    try:
        meta, key_lines = load_yaml_with_lines(text, first_line=2)
        meta = meta or {}
    except yaml.YAMLError as error:
        line, what = yaml_error_line(error, first_line=2)
        problems.append(
            Problem(
                rel,
                line,
                "front-matter/yaml",
                f"malformed YAML front matter: {what}",
                "fix the YAML syntax (quote values that contain ':' or start with '[' or '{')",
            )
        )
        return None
    if not isinstance(meta, dict):
        problems.append(
            Problem(
                rel,
                2,
                "front-matter/not-a-mapping",
                "the front matter is not a set of 'key: value' lines",
                "write the front matter as YAML keys, one 'key: value' per line",
            )
        )
        return None
    return {key: value for key, value in meta.items() if value is not None}, key_lines  # 'order:' empty is no order


def load_yaml(text: str) -> Any:
    """`yaml.safe_load`, parsed by libyaml where PyYAML has it (see `load_yaml_with_lines`)."""
    return load_yaml_with_lines(text)[0]


def load_yaml_with_lines(text: str, first_line: int = 1) -> tuple[Any, dict[str, int]]:
    """`yaml.safe_load`'s value, and the line of each key of a top-level mapping, from one parse: by
    libyaml where PyYAML has it (ten times faster, the same values); what it refuses is parsed again by
    PyYAML's own parser, whose messages the problems quote."""
    try:
        return yaml_document(FAST_LOADER, text, first_line)
    except (yaml.YAMLError, ValueError):  # libyaml reads UTF-8: a lone surrogate cannot even be encoded for it
        return yaml_document(yaml.SafeLoader, text, first_line)


def yaml_key_lines(text: str) -> dict[str, int]:
    """The line of each key of a YAML file's top-level mapping, as the parser marks it."""
    return load_yaml_with_lines(text)[1]


def yaml_document(loader_class: Any, text: str, first_line: int) -> tuple[Any, dict[str, int]]:
    """What `yaml.load` does (one node, then its value), keeping the node's marks for the keys' lines."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        value = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode):
                lines[key.value] = key.start_mark.line + first_line
    return value, lines


FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def check_front_matter(meta: dict[str, Any], rel: str, key_lines: dict[str, int]) -> list[Problem]:
    problems = check_types(meta, FRONT_MATTER, rel, lambda key: key_lines.get(key, 2), "front-matter/type")
    if "title" not in meta or (isinstance(meta["title"], str) and not meta["title"].strip()):
        problems.append(
            Problem(
                rel,
                key_lines.get("title", 2),
                "front-matter/title",
                "the front matter has no 'title'",
                "add a line 'title: …' to the front matter",
            )
        )
    return problems


@functools.cache
def reserved_slugs() -> frozenset[str]:
    """The names the generator uses for pages and folders of its own, which a content page may not take:
    the page kinds' registry says which (imported here, late: it renders pages, this only reads them)."""
    from bireview.build.kinds import RESERVED_SLUGS

    return RESERVED_SLUGS


def check_slug(slug: object, path: Path, rel: str, line: int) -> list[Problem]:
    """A slug names a folder of the site: a plain lower-case name, and not one the generator uses."""
    where = "'slug:'" if line > 1 else "the file name"
    if not isinstance(slug, str):
        return []  # reported as a wrong type
    if not SLUG.match(slug):
        return [
            Problem(
                rel,
                line,
                "page/slug",
                f"{where} gives the slug {slug!r}, which is not a plain lower-case name",
                "use lower-case letters, digits and hyphens, e.g. 'pm-dm'",
            )
        ]
    reserved = reserved_slugs()
    if slug in reserved and not (slug == "index" and path.stem == "index"):
        return [
            Problem(
                rel,
                line,
                "page/reserved-slug",
                f"{where} gives the slug '{slug}', a name the generator uses itself",
                "choose another slug (reserved: " + ", ".join(sorted(reserved)) + ")",
            )
        ]
    return []


def duplicate_slugs(sources: list[Source]) -> list[Problem]:
    problems = []
    seen: dict[str, Source] = {}
    for source in sources:
        first = seen.setdefault(source.slug, source)
        if first is not source:
            problems.append(
                Problem(
                    source.rel,
                    source.key_lines.get("slug", 1),
                    "page/duplicate-slug",
                    f"duplicate slug '{source.slug}', already used by {first.rel}",
                    "give one of the pages another file name or 'slug:'",
                )
            )
    return problems


def read_yaml(path: Path, root: Path, category: str) -> tuple[Any, str, list[Problem]]:
    """A YAML data file's value and text; None (with the problem) where it cannot be read."""
    rel = relative(path, root)
    text = read_text(path, root)
    if isinstance(text, Problem):
        return None, "", [text]
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError as error:
        line, what = yaml_error_line(error)
        return None, text, [Problem(rel, line, f"{category}/yaml", f"malformed YAML: {what}", "fix the YAML syntax")]
    invisible = invisible_value_problems(value, text, rel)
    return (None, text, invisible) if invisible else (value, text, [])


def read_yaml_list(path: Path, root: Path, category: str) -> tuple[list[tuple[Any, int]], list[Problem]]:
    """A data file holding a YAML list: each entry with the line it starts on."""
    if not path.exists():
        return [], []
    entries, text, problems = read_yaml(path, root, category)
    if problems or entries is None:
        return [], problems
    if not isinstance(entries, list):
        return [], [
            Problem(
                relative(path, root),
                1,
                f"{category}/yaml",
                "the file must hold a YAML list",
                "start each entry with '- '",
            )
        ]
    node = yaml.compose(text)
    starts = [item.start_mark.line + 1 for item in node.value] if isinstance(node, yaml.SequenceNode) else []
    return [(entry, starts[i] if i < len(starts) else 1) for i, entry in enumerate(entries)], []
