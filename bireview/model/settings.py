"""site.yaml -> Settings: where the site is published, validated like every other input.

The sources say nothing about where the site will live; CI knows (`--base-url`), so the
command line overrides the file. Without a base URL the site stays fully relative.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bireview.config import SETTINGS_FILE
from bireview.model.sources import read_yaml, yaml_key_lines
from bireview.problems import Problem, relative
from bireview.records import record

KNOWN_KEYS = ("base_url", "translation")
TRANSLATION_KEYS = ("translator", "translator_type")
TRANSLATOR_TYPES = ("Person", "Organization")


@record
class Settings:
    base_url: str | None = None  # absolute, ending in '/'; None: a relative site without sitemap or canonical links
    translator: str = ""  # who made the English translation, as credited; "" names no one
    translator_type: str = "Organization"  # schema.org's type for the translator: Person or Organization

    def absolute(self, site_path: str) -> str | None:
        """The public URL of a site-relative path; directory indexes end in '/', as static hosts serve them."""
        if self.base_url is None:
            return None
        return self.base_url + site_path.removesuffix("index.html")


def load_settings(root: Path, override: str | None = None) -> tuple[Settings, list[Problem]]:
    """Read site.yaml (optional) and apply the command line's `--base-url`."""
    path = root / SETTINGS_FILE
    rel = relative(path, root)
    data, lines, problems = read_mapping(path, rel)
    base_url = data.get("base_url")
    if base_url is not None:
        problem = base_url_problem(base_url)
        if problem:
            problems.append(
                Problem(
                    rel,
                    lines.get("base_url", 1),
                    "settings/base-url",
                    problem,
                    "write an absolute address, e.g. 'base_url: https://example.org/msc-review/'",
                )
            )
            base_url = None
    problems += [
        Problem(
            rel,
            lines.get(key, 1),
            "settings/unknown-key",
            f"unknown setting '{key}'",
            f"use one of: {', '.join(KNOWN_KEYS)}, or remove the line",
        )
        for key in data
        if key not in KNOWN_KEYS
    ]
    translator, translator_type = read_translation(data.get("translation"), rel, lines, problems)
    if override is not None:
        base_url = override
    return Settings(
        base_url=normalise(base_url) if base_url else None, translator=translator, translator_type=translator_type
    ), problems


def read_translation(block: object, rel: str, lines: dict[str, int], problems: list[Problem]) -> tuple[str, str]:
    """The `translation:` block: who is credited with the English translation (nobody unless named)."""
    if block is None:
        return "", "Organization"
    line = lines.get("translation", 1)
    fix = "write e.g. 'translation:' then '  translator: Name' and '  translator_type: Person' (or Organization)"
    if not isinstance(block, dict):
        problems.append(
            Problem(rel, line, "settings/translation", "'translation' must be a set of 'key: value' lines", fix)
        )
        return "", "Organization"
    problems += [
        Problem(
            rel,
            line,
            "settings/unknown-key",
            f"unknown translation setting '{key}'",
            f"use one of: {', '.join(TRANSLATION_KEYS)}",
        )
        for key in block
        if key not in TRANSLATION_KEYS
    ]
    translator, kind = block.get("translator") or "", block.get("translator_type") or "Organization"
    if not isinstance(translator, str) or kind not in TRANSLATOR_TYPES:
        problems.append(
            Problem(
                rel,
                line,
                "settings/translation",
                f"translator must be text and translator_type one of {', '.join(TRANSLATOR_TYPES)}",
                fix,
            )
        )
        return "", "Organization"
    return translator.strip(), kind


def read_mapping(path: Path, rel: str) -> tuple[dict[str, Any], dict[str, int], list[Problem]]:
    """The file's top-level mapping, the line of each key, and any problem reading it."""
    if not path.exists():
        return {}, {}, []
    data, text, problems = read_yaml(path, path.parent, "settings")
    if problems or data is None:
        return {}, {}, [Problem(rel, p.line, p.category, p.message, p.fix) for p in problems]
    if not isinstance(data, dict):
        return (
            {},
            {},
            [
                Problem(
                    rel,
                    1,
                    "settings/not-a-mapping",
                    "the settings are not a set of 'key: value' lines",
                    "write one 'key: value' per line, e.g. 'base_url: https://example.org/msc-review/'",
                )
            ],
        )
    lines = yaml_key_lines(text)
    return data, lines, []


def base_url_problem(value: object) -> str | None:
    """Why `value` cannot be a base URL, or None if it can."""
    if not isinstance(value, str):
        return f"'base_url' must be text, not {type(value).__name__} {value!r}"
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"'base_url' must be an absolute http(s) address, not {value!r}"
    if parts.query or parts.fragment:
        return f"'base_url' must not carry a query or fragment: {value!r}"
    return None


def normalise(url: str) -> str:
    """Every site path is appended to the base URL, so it ends in exactly one '/'."""
    return url.rstrip("/") + "/"
