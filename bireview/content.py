"""Reading content files: YAML front matter plus a Markdown body, as Source records."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem, relative

FENCE = "---"
TOP_LEVEL_KEY = re.compile(r"^([A-Za-z_][\w\-]*)\s*:")


@dataclass(frozen=True, slots=True)
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


def read_sources(folder: Path, lang: str, root: Path) -> tuple[list[Source], list[Problem]]:
    """Every `*.md` of one language, sorted by front-matter order, with the problems found."""
    sources: list[Source] = []
    problems: list[Problem] = []
    for path in sorted(folder.glob("*.md")):
        source = read_source(path, lang, root, problems)
        if source is not None:
            sources.append(source)
    problems += duplicate_slugs(sources)
    sources.sort(key=lambda s: (s.order, s.slug))
    return sources, problems


def read_source(path: Path, lang: str, root: Path, problems: list[Problem]) -> Source | None:
    return parse_source(path.read_text(encoding="utf-8"), path, lang, root, problems)


def parse_source(text: str, path: Path, lang: str, root: Path, problems: list[Problem]) -> Source | None:
    """A content file's text as a Source; also used for texts that are not on disk (git history, imports)."""
    rel = relative(path, root)
    lines = text.split("\n")
    if not lines or lines[0].strip() != FENCE:
        problems.append(Problem(rel, 1, "front-matter/missing", "the file does not start with YAML front matter",
                                "begin the file with a line '---', the YAML keys, and a closing '---'"))
        return None
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == FENCE)
    except StopIteration:
        problems.append(Problem(rel, 1, "front-matter/unclosed", "the front matter is never closed",
                                "add a line '---' after the last YAML key"))
        return None
    meta = parse_front_matter("\n".join(lines[1:end]), rel, problems)
    if meta is None:
        return None
    problems += check_front_matter(meta, rel)
    slug = str(meta.get("slug", path.stem))
    key_lines = {m.group(1): number for number, line in enumerate(lines[1:end], start=2)
                 if (m := TOP_LEVEL_KEY.match(line))}
    return Source(path=path, rel=rel, lang=lang, slug=slug, meta=meta,
                  body="\n".join(lines[end + 1:]), body_line=end + 2, key_lines=key_lines)


def parse_front_matter(text: str, rel: str, problems: list[Problem]) -> dict[str, Any] | None:
    try:
        meta = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 2 if mark is not None else 2
        what = getattr(error, "problem", None) or str(error).splitlines()[0]
        problems.append(Problem(rel, line, "front-matter/yaml", f"malformed YAML front matter: {what}",
                                "fix the YAML syntax (quote values that contain ':' or start with '[' or '{')"))
        return None
    if not isinstance(meta, dict):
        problems.append(Problem(rel, 2, "front-matter/not-a-mapping", "the front matter is not a set of 'key: value' lines",
                                "write the front matter as YAML keys, one 'key: value' per line"))
        return None
    return meta


def check_front_matter(meta: dict[str, Any], rel: str) -> list[Problem]:
    problems = []
    if not isinstance(meta.get("title"), str) or not meta["title"].strip():
        problems.append(Problem(rel, 2, "front-matter/title", "the front matter has no 'title'",
                                "add a line 'title: …' to the front matter"))
    if "order" in meta and not isinstance(meta["order"], int):
        problems.append(Problem(rel, 2, "front-matter/order", f"'order' must be a whole number, not {meta['order']!r}",
                                "write 'order: 3' to place the page third"))
    return problems


def duplicate_slugs(sources: list[Source]) -> list[Problem]:
    problems = []
    seen: dict[str, Source] = {}
    for source in sources:
        first = seen.setdefault(source.slug, source)
        if first is not source:
            problems.append(Problem(source.rel, source.key_lines.get("slug", 1), "page/duplicate-slug",
                                    f"duplicate slug '{source.slug}', already used by {first.rel}",
                                    "give one of the pages another file name or 'slug:'"))
    return problems


def read_yaml_list(path: Path, root: Path, category: str) -> tuple[list[tuple[Any, int]], list[Problem]]:
    """A data file holding a YAML list: each entry with the line it starts on."""
    if not path.exists():
        return [], []
    rel = relative(path, root)
    text = path.read_text(encoding="utf-8")
    try:
        entries = yaml.safe_load(text) or []
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return [], [Problem(rel, mark.line + 1 if mark else 1, f"{category}/yaml", f"malformed YAML: {error}",
                            "fix the YAML syntax")]
    if not isinstance(entries, list):
        return [], [Problem(rel, 1, f"{category}/yaml", "the file must hold a YAML list", "start each entry with '- '")]
    starts = [number for number, line in enumerate(text.split("\n"), start=1) if line.startswith("- ")]
    return [(entry, starts[i] if i < len(starts) else 1) for i, entry in enumerate(entries)], []
