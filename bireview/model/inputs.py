"""Reading input files and checking the types of their YAML values, each problem with a file and line.

Every input (content, BibTeX, YAML, catalogues, templates) is UTF-8, with or without a
byte-order mark. Wrong bytes and wrong types are the author's problems to fix, so they
are reported like any other, never as a traceback.
"""

from __future__ import annotations

import datetime
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from bireview.problems import Problem, relative

# A value's expected shape: a type or tuple of types, [shape] for a list of it, {key: shape} for a mapping
# (keys not named are not checked).
Shape = Any
TEXT = str
WHOLE_NUMBER = int
TEXT_OR_NUMBER = (str, int, float)
DATE = (datetime.date, str)
NAMES = {
    str: "text",
    int: "a whole number",
    float: "a number",
    bool: "true or false",
    list: "a list",
    dict: "a mapping of 'key: value' lines",
    datetime.date: "a date",
    type(None): "empty",
}


def read_text(path: Path, root: Path, rel: str | None = None) -> str | Problem:
    """A file's text, without a UTF-8 byte-order mark; or, if it is not UTF-8 or not a file, the problem.
    `rel`: the path as problems name it, if known (see `relative`)."""
    rel = rel or relative(path, root)
    try:
        mode = path.stat().st_mode  # before opening: a FIFO would block the read for ever
    except OSError:
        mode = stat.S_IFREG  # reading says why
    if stat.S_ISDIR(mode):
        return Problem(
            rel,
            0,
            "input/folder",
            "this is a folder, named like an input file",
            "rename the folder or move it out of the inputs",
        )
    if not stat.S_ISREG(mode):
        return special_problem(rel, mode)
    try:
        data = path.read_bytes()
    except OSError as error:
        return Problem(
            rel,
            0,
            "input/unreadable",
            f"cannot read the file: {error.strerror or error}",
            "check that the file exists and that you may read it",
        )
    try:
        text = data.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as error:
        return decode_problem(error, rel, data)
    invisible = INVISIBLE.search(text)
    if invisible is not None:
        return invisible_problem(rel, text[: invisible.start()].count("\n") + 1, invisible.group())
    return text


# Characters no input needs and a reader never sees: C0 and C1 controls (a NUL, an escape) but tab and
# line ends, and the bidirectional embeddings, overrides and isolates, which reorder what is shown
# around them (in a <title>, a search result, a citation) without a trace in the text.
INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def invisible_problem(rel: str, line: int, character: str) -> Problem:
    return Problem(
        rel,
        line,
        "input/invisible-character",
        f"the text holds the invisible control character U+{ord(character):04X}",
        "delete it (an editor that shows invisible characters finds it)",
    )


def invisible_value_problems(value: Any, text: str, rel: str, first_line: int = 1) -> list[Problem]:
    """A YAML value whose strings hold an invisible character (written as an escape, "\\0", in the
    file, which the file's own check cannot see), at the line of each such string."""
    if not any(INVISIBLE.search(string) for string in strings_of(value)):
        return []
    problems = []
    nodes = [yaml.compose(text)]
    while nodes:
        node = nodes.pop()
        if isinstance(node, yaml.ScalarNode) and (found := INVISIBLE.search(node.value)):
            problems.append(invisible_problem(rel, node.start_mark.line + first_line, found.group()))
        elif isinstance(node, yaml.SequenceNode):
            nodes += node.value
        elif isinstance(node, yaml.MappingNode):
            nodes += [part for pair in node.value for part in pair]
    return sorted(problems, key=lambda problem: problem.line)


def strings_of(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [string for key, item in value.items() for string in strings_of(key) + strings_of(item)]
    if isinstance(value, list):
        return [string for item in value for string in strings_of(item)]
    return []


# A DOI as a DOI resolver takes it: the directory "10.", a registrant code, "/", a suffix without white space.
DOI = re.compile(r"10\.[0-9]{4,9}(?:\.[0-9]+)*/\S+")
DOI_FIX = "write the DOI itself, e.g. 10.1186/s13287-018-0903-2: no spaces, no https://doi.org/ before it"


def special_problem(rel: str, mode: int) -> Problem:
    kind = (
        "a named pipe (FIFO)"
        if stat.S_ISFIFO(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "not a regular file"
    )
    return Problem(
        rel,
        0,
        "input/special-file",
        f"this is {kind}, not a file the build can read",
        "remove it, or put a regular file in its place",
    )


def shown_name(path: Path | str) -> str:
    """A path as it can be printed, whatever bytes its name has (a byte that is not UTF-8 shows as �)."""
    return os.fsencode(str(path)).decode("utf-8", "replace")


def source_problems(root: Path, folders: tuple[str, ...], files: tuple[str, ...] = ()) -> list[Problem]:
    """What in the input folders is no file a build should read: a FIFO, socket or device (reading it
    would block or never end), a symbolic link that leads out of the project (its file would be
    published) or to nothing, a name that is not UTF-8. Looked at before anything is read."""
    problems: list[Problem] = []
    project = root.resolve()
    for folder in folders:
        top = root / folder
        if top.is_dir() and not top.is_symlink():
            problems += folder_problems(top, root, project)
    for name in files:
        if os.path.lexists(root / name):
            problems += entry_problems(root / name, root, project)
    return problems


def folder_problems(folder: Path, root: Path, project: Path) -> list[Problem]:
    """`source_problems` of one folder and the folders in it (not those a link leads to). A regular
    file or folder with a UTF-8 name, nearly every entry, is known from its directory entry alone
    (no system call: serve looks at every input on every edit); anything else is looked at closely."""
    problems: list[Problem] = []
    with os.scandir(folder) as listed:
        entries = sorted(listed, key=lambda entry: entry.name)
    for entry in entries:
        plain_name = entry.name.isascii() or shown_name(entry.name) == entry.name
        if plain_name and entry.is_file(follow_symlinks=False):
            continue
        if plain_name and entry.is_dir(follow_symlinks=False):
            problems += folder_problems(Path(entry.path), root, project)
        else:
            problems += entry_problems(Path(entry.path), root, project)
    return problems


def entry_problems(path: Path, root: Path, project: Path) -> list[Problem]:
    rel = shown_name(path.relative_to(root).as_posix())
    if shown_name(path.name) != str(path.name):
        return [
            Problem(
                shown_name(path.parent.relative_to(root).as_posix()),
                0,
                "input/file-name",
                f"the name '{shown_name(path.name)}' in this folder is not UTF-8",
                "rename the file with a UTF-8 name",
            )
        ]
    mode = path.lstat().st_mode
    if stat.S_ISLNK(mode):
        target = path.resolve()
        if not target.is_relative_to(project):
            return [
                Problem(
                    rel,
                    0,
                    "input/outside-link",
                    f"this is a link to {shown_name(target)}, outside the project, whose file would be published",
                    "copy the file into the project instead of linking to it",
                )
            ]
        if not target.exists():
            return [
                Problem(
                    rel,
                    0,
                    "input/broken-link",
                    f"this is a link to {shown_name(target)}, which does not exist",
                    "remove the link or make it point to a file of the project",
                )
            ]
        mode = target.stat().st_mode
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return []
    return [special_problem(rel, mode)]


def decode_problem(error: UnicodeDecodeError, rel: str, data: bytes | None = None) -> Problem:
    raw = data if data is not None else error.object
    line = raw[: error.start].count(b"\n") + 1 if isinstance(raw, bytes) else 1
    return Problem(
        rel,
        line,
        "input/encoding",
        f"byte 0x{raw[error.start]:02x} is not UTF-8" if isinstance(raw, bytes) else "the file is not UTF-8",
        "save the file as UTF-8 (your editor's 'Save with encoding' menu)",
    )


def yaml_error_line(error: yaml.YAMLError, first_line: int = 1) -> tuple[int, str]:
    """The line a YAML error is about, and what it says.

    An unclosed quote or bracket is found only where the text ends; the place it was opened is
    the line to fix, so the context mark (where the construct began) wins when there is one.
    """
    mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
    line = mark.line + first_line if mark is not None else first_line
    return line, str(getattr(error, "problem", None) or str(error).splitlines()[0])


def describe(value: Any) -> str:
    return NAMES.get(type(value), type(value).__name__)


def shape_name(shape: Shape) -> str:
    if isinstance(shape, list):
        return f"a list of {shape_name(shape[0])}" if shape else "a list"
    if isinstance(shape, dict):
        return "a mapping of 'key: value' lines"
    if isinstance(shape, tuple):
        return " or ".join(dict.fromkeys(NAMES.get(kind, kind.__name__) for kind in shape))
    name: str = NAMES.get(shape, shape.__name__)
    return name


def type_errors(value: Any, shape: Shape, where: str) -> list[str]:
    """Where `value` does not have `shape`, as 'where: is X, must be Y' phrases (bool is never a number)."""
    if value is None:
        return []  # an empty value is an absent one; required keys are checked by their readers
    if isinstance(shape, list):
        if not isinstance(value, list):
            return [f"'{where}' is {describe(value)}{shown(value)}, must be {shape_name(shape)}"]
        return [
            error for i, item in enumerate(value, start=1) for error in type_errors(item, shape[0], f"{where}[{i}]")
        ]
    if isinstance(shape, dict):
        if not isinstance(value, dict):
            return [f"'{where}' is {describe(value)}{shown(value)}, must be {shape_name(shape)}"]
        return [error for key, inner in shape.items() for error in type_errors(value.get(key), inner, f"{where}.{key}")]
    kinds = shape if isinstance(shape, tuple) else (shape,)
    if (isinstance(value, bool) and bool not in kinds) or not isinstance(value, kinds):
        return [f"'{where}' is {describe(value)}{shown(value)}, must be {shape_name(shape)}"]
    return []


def shown(value: Any) -> str:
    """A scalar as the author wrote it, in brackets; lists and mappings are named only."""
    return "" if isinstance(value, (list, dict)) else f" ({short(value)})"


def short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def check_types(
    mapping: dict[str, Any], shapes: dict[str, Shape], rel: str, line_of: int | Callable[[str], int], category: str
) -> list[Problem]:
    """One problem per key of `mapping` whose value does not have its shape, at that key's line (`line_of`: the
    line of every key, or a function from a key to its line)."""
    problems = []
    for key, shape in shapes.items():
        if key in mapping:
            line = line_of if isinstance(line_of, int) else line_of(key)
            for error in type_errors(mapping[key], shape, key):
                problems.append(Problem(rel, line, category, f"wrong type: {error}", fix_for(shape)))
    return problems


def fix_for(shape: Shape) -> str:
    if shape is TEXT:
        return 'write text, in quotes if it looks like a number or a date: title: "2024"'
    return f"write {shape_name(shape)} there"


PO_STRING = re.compile(r'^"(?:[^"\\]|\\.)*"$')
PO_KEYWORD = re.compile(r"^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+(.*)$")


def po_syntax_problems(text: str, rel: str) -> list[Problem]:
    """Lines of a gettext catalogue that Babel would read wrongly without a word (an unclosed quote)."""
    problems = []
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        keyword = PO_KEYWORD.match(stripped)
        string = keyword.group(2).strip() if keyword else stripped
        if not PO_STRING.match(string):
            problems.append(
                Problem(
                    rel,
                    number,
                    "locale/syntax",
                    f"malformed catalogue line: {short(stripped)}",
                    'write msgid "…" / msgstr "…" with both quotes, escaping inner quotes as \\"',
                )
            )
    return problems
