"""Write a synthetic fixture corpus in the seed's dialect: terms, articles and shared cards.

    python -m devkit.corpus OUT_DIR [--terms 10000] [--articles 1000] [--seed 1]

Deterministic for a given seed. Cards point at articles (some of which are not in the corpus,
like the seed's), and many terms share each card, as real glossaries do. The tests that need a
corpus of some size and the benchmarks write theirs here.
"""

import argparse
import random
import shutil
from pathlib import Path

from importer.dialect import scalar

WORDS = [
    "process",
    "capacity",
    "service",
    "quality",
    "value",
    "risk",
    "governance",
    "workflow",
    "approval",
    "budget",
    "forecast",
    "portfolio",
    "demand",
    "supply",
    "lean",
    "agile",
    "metric",
    "escalation",
    "evidence",
    "closure",
    "ownership",
    "reporting",
    "inventory",
    "procurement",
    "delivery",
    "planning",
    "control",
    "audit",
    "cycle",
    "backlog",
    "throughput",
    "margin",
]
SECTION = (
    "related_articles_heading: Recently published Pulse insights.\n"
    "related_articles_subheading: Practical Application\n"
    "related_articles_description: Read how Plexsive implement this with our clients.\n"
    "related_articles_category: Glossary in Action\n"
)
IMAGES = Path(__file__).resolve().parent.parent / "fixtures" / "images"


def sentence(rng, words=12):
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def title(rng, words=3):
    return " ".join(rng.choice(WORDS).capitalize() for _ in range(words))


def term(rng, number, article_slugs, named=None):
    """A term file; ``named``: (name, synonyms, description) instead of generated ones."""
    name, synonyms, description = named or (f"{title(rng, 2)} {number}", "", None)
    heading = f"Defining {name}"
    raw = " ".join(
        [heading, name.split()[0] + " is " + sentence(rng)[0].lower() + sentence(rng)[1:]]
        + [sentence(rng) for _ in range(6)]
    )
    questions = ", ".join(f'"What is the role of {rng.choice(WORDS)} in {name}?"' for _ in range(5))
    cards = "".join(
        "\t{\n"
        f"\t\trelated_article_title: {slug.replace('-', ' ').title()},\n"
        "\t\trelated_article_subheading: Article,\n"
        "\t\trelated_article_image: /data_operations_boardroom.jpg,\n"
        "\t\trelated_article_buttontext: Read Pulse,\n"
        f"\t\trelated_article_slug: {slug}\n"
        "\t},\n"
        for slug in rng.sample(article_slugs, 3)
    )
    synonyms_line = f"synonyms: {scalar(synonyms)}\n" if synonyms else ""
    # Every third term cites two sources (not drawn: the corpus of a seed stays the same).
    sources = (
        "sources: [\n"
        f"\t{{\n\t\ttitle: {scalar(f'Handbook of {name}', in_item=True)},\n"
        f"\t\turl: https://example.org/handbook/{number},\n\t\tpublisher: Example Press,\n"
        "\t\taccessed: 2026-11-02\n\t},\n"
        f"\t{{\n\t\ttitle: Notes on {number},\n\t\turl: https://example.com/notes/{number}\n\t}}\n"
        "]\n"
        if number % 3 == 0
        else ""
    )
    if description is None:  # drawn here, after the rest: the corpus of a seed stays the same
        description = sentence(rng, 20)
    return (
        f"---\nid: t{number:08x}\nname: {scalar(name)}\ncategory: glossary\n"
        f"description: {scalar(description)}\n{synonyms_line}key_words: [{questions}]\n"
        f"content_raw: {raw}\n{SECTION}related_articles_items: [\n{cards}]\n{sources}---\n"
    )


def article(rng, slug):
    heading = title(rng, 4)
    paragraphs = "\n\n".join(sentence(rng, 30) for _ in range(4))
    return (
        f"---\ntitle: {slug.replace('-', ' ').title()}\nslug: {slug}\nsubheading: Article\n"
        f"category: Glossary in Action\nimage: /data_operations_boardroom.jpg\n---\n"
        f"{slug.replace('-', ' ').title()}\n\n{paragraphs}\n\n{heading}\n\n{sentence(rng, 25)}\n"
    )


def write_corpus(out, terms=10_000, articles=1_000, seed=1, named=()):
    """``terms`` generated terms, after the ``named`` ones: (name, synonyms, description)."""
    rng = random.Random(seed)  # noqa: S311 - test data, not security
    out = Path(out)
    (out / "glossary").mkdir(parents=True, exist_ok=True)
    (out / "pulse").mkdir(parents=True, exist_ok=True)
    shutil.copytree(IMAGES, out / "images", dirs_exist_ok=True)
    # One card in ten points at an article that is not in the corpus.
    slugs = [f"pulse-insight-{n}" for n in range(articles + max(1, articles // 10))]
    named = list(named)
    for number in range(len(named) + terms):
        given = named[number] if number < len(named) else None
        (out / "glossary" / f"{number:06d}.txt").write_text(
            term(rng, number, slugs, given), encoding="utf-8"
        )
    for slug in slugs[:articles]:
        (out / "pulse" / f"{slug}.md").write_text(article(rng, slug), encoding="utf-8")
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--terms", type=int, default=10_000)
    parser.add_argument("--articles", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    write_corpus(args.out, args.terms, args.articles, args.seed)


if __name__ == "__main__":
    main()
