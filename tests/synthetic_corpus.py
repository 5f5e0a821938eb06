"""The synthetic bilingual corpus of the benchmarks (`../shared/bench/make_corpus.py`), kept here so that the
tests need nothing outside the repository: the same words, the same seeded choices, the same files.

`python tests/synthetic_corpus.py OUT PAGES REFS` writes OUT/zh/*.md, OUT/en/*.md (YAML front matter, pandoc
citations) and OUT/refs.bib; a page is about one disease section of the review (~1,800 Chinese characters or
~900 English words, ~12 citation groups, a table and a list).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

ZH = [
    "间充质干细胞",
    "来源于",
    "早期中胚层",
    "具有",
    "高度自我更新能力",
    "和",
    "多向分化潜能",
    "免疫原性低",
    "能够",
    "逃避免疫监视",
    "参与免疫调控",
    "类风湿关节炎",
    "系统性红斑狼疮",
    "干燥综合征",
    "移植",
    "剂量",
    "随访",
    "不良事件",
    "疾病活动度",
    "显著降低",
    "患者",
    "静脉注射",
    "脐带",
    "骨髓",
    "脂肪",
    "临床研究",
    "安全性",
    "有效性",
    "调节性T细胞",
    "炎症因子",
    "组织修复",
]
EN = [
    "mesenchymal",
    "stem",
    "cells",
    "derived",
    "from",
    "early",
    "mesoderm",
    "show",
    "high",
    "self-renewal",
    "and",
    "multilineage",
    "differentiation",
    "potential",
    "low",
    "immunogenicity",
    "evade",
    "immune",
    "surveillance",
    "regulate",
    "immunity",
    "rheumatoid",
    "arthritis",
    "systemic",
    "lupus",
    "erythematosus",
    "transplantation",
    "dose",
    "follow-up",
    "adverse",
    "events",
    "disease",
    "activity",
    "significantly",
    "reduced",
    "patients",
    "intravenous",
    "infusion",
    "umbilical",
    "cord",
    "bone",
    "marrow",
    "adipose",
    "clinical",
    "study",
    "safety",
    "efficacy",
    "regulatory",
    "T",
    "cells",
    "inflammatory",
    "cytokines",
    "tissue",
    "repair",
]


def para(rng: random.Random, words: list[str], sentences: int, joiner: str, references: int) -> str:
    """`sentences` sentences of 8 to 16 words, about a third of them ending in a citation group."""
    stop = "。" if joiner == "" else ". "
    out = []
    for _ in range(sentences):
        out.append(joiner.join(rng.choice(words) for _ in range(rng.randint(8, 16))))
        if rng.random() < 0.35:
            keys = sorted({rng.randrange(references) for _ in range(rng.choice([1, 1, 2, 4]))})
            out[-1] += "[" + "; ".join(f"@ref{key:05d}" for key in keys) + "]"
    return stop.join(out) + stop.strip()


def page(rng: random.Random, lang: str, number: int, references: int) -> str:
    words, joiner = (ZH, "") if lang == "zh" else (EN, " ")
    sentences = 5 if lang == "zh" else 6
    title = f"第{number}节" if lang == "zh" else f"Section {number}"
    body = [f'---\ntitle: "{title}"\norder: {number}\n---\n', f"# {title}\n"]
    for section in range(3):
        body.append(f"## {title}.{section + 1}\n")
        body += [para(rng, words, sentences, joiner, references) + "\n" for _ in range(3)]
    body.append(
        "| study | n | dose | follow-up |\n|---|---|---|---|\n"
        + "".join(f"| S{k} | {rng.randint(4, 180)} | 1×10^6/kg | {rng.randint(1, 72)} mo |\n" for k in range(5))
    )
    body.append("".join(f"- {joiner.join(rng.choice(words) for _ in range(6))}\n" for _ in range(4)))
    return "\n".join(body)


def bibliography(rng: random.Random, references: int) -> str:
    return "\n".join(
        f"@article{{ref{k:05d},\n  author = {{Author{k} A and Second B and Third C and others}},\n"
        f"  title = {{{' '.join(rng.choice(EN) for _ in range(10)).capitalize()}}},\n"
        f"  journal = {{J Synth Med}},\n  year = {{{2000 + k % 25}}},\n  volume = {{{k % 90 + 1}}},\n"
        f"  number = {{{k % 12 + 1}}},\n  pages = {{{k}--{k + 9}}}\n}}\n"
        for k in range(references)
    )


def write_corpus(out: Path, pages: int, references: int) -> None:
    rng = random.Random(42)
    for lang in ("zh", "en"):
        (out / lang).mkdir(parents=True, exist_ok=True)
        for number in range(pages):
            (out / lang / f"page-{number:05d}.md").write_text(page(rng, lang, number, references), encoding="utf-8")
    (out / "refs.bib").write_text(bibliography(rng, references), encoding="utf-8")


if __name__ == "__main__":
    write_corpus(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
