"""The package's shape (issue 26): packages by stage, no two modules of one name, no import circle."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "bireview"
STAGES = {"model", "build", "preview", "translate", "commands"}


def modules() -> dict[str, Path]:
    return {
        ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__"): path
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def imported_at_load(path: Path) -> set[str]:
    """The bireview modules a module imports at its top level, those under `if TYPE_CHECKING:` too
    (a type checker follows them), not those inside functions (imported late on purpose)."""
    found = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    guarded = [inner for block in tree.body if isinstance(block, ast.If) for inner in block.body]
    for node in [*tree.body, *guarded]:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("bireview"):
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("bireview")}
    return found


def test_packages_by_stage_and_no_two_modules_of_one_name() -> None:
    names = modules()
    assert {
        name.split(".")[1] for name in names if name.count(".") >= 1 and (PACKAGE / name.split(".")[1]).is_dir()
    } == STAGES
    basenames = Counter(
        name.rsplit(".", 1)[-1] for name in names if not (PACKAGE.parent / name.replace(".", "/")).is_dir()
    )
    assert [name for name, count in basenames.items() if count > 1] == []


def test_no_import_circle() -> None:
    names = modules()
    graph = {
        name: {target for target in imported_at_load(path) if target in names and target != name}
        for name, path in names.items()
    }
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for target in sorted(graph[name]):
            assert state.get(target) != 1, " -> ".join([*path, name, target])
            if target not in state:
                visit(target, [*path, name])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [])


def test_every_page_kind_describes_itself_once() -> None:
    """Each kind in the registry has a template, a context, a path, serve's key inputs, and (an
    edition-wide page) a reserved slug; every page template belongs to a kind; every job's kind is one."""
    from conftest import PROJECT

    from bireview.build.kinds import KINDS, RESERVED_SLUGS
    from bireview.model.sources import reserved_slugs
    from bireview.preview.incremental import Keys

    templates = PROJECT / "templates"
    page_templates = {
        path.name
        for path in templates.glob("*.html")
        if "{% extends" in path.read_text(encoding="utf-8") or path.name in ("404.html", "chooser.html")
    }
    assert {kind.template for kind in KINDS} == page_templates
    assert len({kind.name for kind in KINDS}) == len(KINDS)
    for kind in KINDS:
        assert kind.scope in ("site", "edition", "section"), kind.name
        assert (templates / kind.template).is_file() and callable(kind.context), kind.name
        assert callable(getattr(Keys, f"inputs_{kind.inputs}", None)), f"{kind.name}: no Keys.inputs_{kind.inputs}"
        path = kind.path("en", "ra" if kind.scope == "section" else kind.name)
        assert path.endswith(".html") and not path.startswith(("/", "..")), kind.name
        if kind.scope == "edition":
            assert kind.name in RESERVED_SLUGS and kind.name in reserved_slugs(), kind.name


def test_every_job_of_the_real_review_is_of_a_registered_kind(real_site: Path) -> None:
    from conftest import PROJECT

    from bireview.build.jobs import site_jobs
    from bireview.build.kinds import KIND
    from bireview.build.site import load_site, make_renderer
    from bireview.config import make_config

    config = make_config(PROJECT, real_site, pdf=False)
    jobs = site_jobs(make_renderer(config, load_site(config)).views)
    assert {job.kind for job in jobs} <= set(KIND)
    written = {path.relative_to(real_site).as_posix() for path in real_site.rglob("*.html")}
    assert {job.path for job in jobs} == written - {"downloads/print.html"} and len(jobs) == len({j.path for j in jobs})


def test_a_page_context_is_the_same_whatever_was_made_before(real_site: Path) -> None:
    """A context is a function of the review and the page: the caches it reads are keyed by their
    inputs, and what one page's rendering meets (abbreviations spelled out, note numbers) is handed
    along by that page, not left in the renderer. Each page's blocks, made first in a fresh build's
    views and made again after every other page in the reverse order, are the same."""
    from conftest import PROJECT

    from bireview.build.kinds.section import page_units
    from bireview.build.kinds.side_by_side import parallel_rows
    from bireview.build.site import load_site, make_renderer
    from bireview.config import make_config

    config = make_config(PROJECT, real_site, pdf=False)
    loaded = load_site(config)

    def made(order: list, views) -> dict:
        found = {}
        for alignment in order:
            for lang in ("zh", "en"):
                title, body = page_units(views, lang, alignment)
                found[(alignment.zh.slug, lang)] = (str(title.html), [str(unit.html) for unit in body])
            found[(alignment.zh.slug, "rows")] = [(str(r.zh), str(r.en)) for r in parallel_rows(views, alignment).rows]
        return found

    alignments = list(loaded.review.alignments)
    first = made(alignments, make_renderer(config, loaded).views)
    again = made(alignments[::-1] + alignments, make_renderer(config, loaded).views)
    assert first == again
    assert any("<abbr" in html for _, body in first.values() if isinstance(body, list) for html in body)
