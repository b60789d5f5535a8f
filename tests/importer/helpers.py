"""What the importer's tests share: fixture texts, a fixtures folder per test, the export's
folders and the pages' content as plain data."""

import io
import json
import shutil
import tempfile
import zipfile
from io import StringIO
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import TestCase

from wagtail.images import get_image_model

from glossary.models import (
    GlossaryTermPage,
    RelatedArticleCard,
    RelatedArticlesSection,
)
from importer.models import ImportedRecord
from importer.streams import plain_blocks
from pulse.models import PulseArticlePage

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SEED_TERM = (FIXTURES / "glossary" / "000_54b8be97246d5048.txt").read_text(encoding="utf-8")


def term_text(key="t1", name="Service level", slug_line="", cards=("uptime-explained",), extra=""):
    items = "".join(
        "\t{\n"
        f"\t\trelated_article_title: Card for {slug},\n"
        "\t\trelated_article_subheading: Article,\n"
        "\t\trelated_article_image: /data_operations_boardroom.jpg,\n"
        "\t\trelated_article_buttontext: Read Pulse,\n"
        f"\t\trelated_article_slug: {slug}\n"
        "\t},\n"
        for slug in cards
    )
    return (
        f"---\nid: {key}\nname: {name}\n{slug_line}category: glossary\n"
        f"description: {name} is a promise about how well a service performs.\n"
        'key_words: ["What is it?", "Who owns it?"]\n'
        f"content_raw: Defining {name} Service levels are agreed targets. They are measured.\n"
        "related_articles_heading: Recently published Pulse insights.\n"
        "related_articles_subheading: Practical Application\n"
        "related_articles_description: Read how Plexsive implement this with our clients.\n"
        "related_articles_category: Glossary in Action\n"
        f"related_articles_items: [\n{items}]\n{extra}---\n"
    )


def article_text(
    title="Uptime explained", slug="uptime-explained", body="Uptime matters. It is measured."
):
    return (
        f"---\ntitle: {title}\nslug: {slug}\nsubheading: Article\ncategory: Glossary in Action\n"
        f"image: /data_operations_boardroom.jpg\npublished: 2026-05-01\n---\n{title}\n\n{body}\n"
    )


class ImportTestMixin:
    def setUp(self):
        super().setUp()
        # Rendition lookups are cached by image id, and ids come back after each rollback.
        cache.clear()
        self.dir = Path(self.enterContext(_tempdir()))
        shutil.copytree(FIXTURES / "images", self.dir / "images")

    def write(self, name, text):
        path = self.dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
        return path

    def run_import(self, *paths, **options):
        out = StringIO()
        targets = [str(p) for p in paths] or [str(self.dir)]
        with self.settings(FIXTURES_DIR=self.dir):
            call_command("import_fixtures", *targets, stdout=out, **options)
        return out.getvalue()

    def import_report(self, *paths, **options):
        """The import's report as data (``--format json``), not its text table."""
        return json.loads(self.run_import(*paths, format="json", **options))

    def run_failing(self, *paths, **options):
        out = StringIO()
        with self.settings(FIXTURES_DIR=self.dir), self.assertRaises(CommandError) as caught:
            call_command(
                "import_fixtures", *[str(p) for p in paths or [self.dir]], stdout=out, **options
            )
        return out.getvalue(), str(caught.exception)


class _tempdir:
    def __enter__(self):
        import tempfile

        self.path = tempfile.mkdtemp(prefix="fixtures-")
        return self.path

    def __exit__(self, *exc):
        shutil.rmtree(self.path, ignore_errors=True)


def files_of(directory):
    """{relative path: bytes} of every file below ``directory``."""
    return {
        str(path.relative_to(directory)): path.read_bytes()
        for path in sorted(Path(directory).rglob("*"))
        if path.is_file()
    }


def content_of_pages():
    """What visitors and editors see of every term and article, as plain data."""
    terms = {
        page.term_id: {
            "title": page.title,
            "slug": page.slug,
            "description": page.description,
            "synonyms": page.synonyms,
            "key_questions": plain_blocks(page.key_questions),
            "body": plain_blocks(page.body),
            "section": page.related_section
            and (page.related_section.heading, page.related_section.description),
            "cards": [
                (p.card.target_slug, p.card.title, p.card.image_id is not None)
                for p in page.related_cards.all()
            ],
            "pinned": [p.term.term_id for p in page.pinned_related_terms.all()],
            "broader": [b.term.term_id for b in page.broader_terms.all()],
        }
        for page in GlossaryTermPage.objects.live()
    }
    articles = {
        page.slug: {
            "title": page.title,
            "summary": page.summary,
            "published": page.published_date,
            "hero": page.hero_image_id is not None,
            "body": plain_blocks(page.body),
        }
        for page in PulseArticlePage.objects.live()
    }
    return terms, articles


class ExportTestCase(TestCase):
    def setUp(self):
        cache.clear()
        self.directories = []

    def tearDown(self):
        for directory in self.directories:
            shutil.rmtree(directory, ignore_errors=True)

    def new_directory(self):
        directory = Path(tempfile.mkdtemp(prefix="export-"))
        self.directories.append(directory)
        return directory

    def run_import(self, *paths, **options):
        out = StringIO()
        call_command("import_fixtures", *map(str, paths), format="json", stdout=out, **options)
        return json.loads(out.getvalue())

    def export(self, **options):
        directory = self.new_directory()
        call_command("export_fixtures", str(directory), stdout=StringIO(), **options)
        return directory

    def assert_survives_an_empty_site(self):
        """Export, empty the site, import the export: the same pages, then the same files.
        Returns the pages' content."""
        first = self.export()
        before = content_of_pages()
        self.empty_the_site()
        report = self.run_import(first)
        self.assertEqual(report["counts"]["failed"], 0, report)
        self.assertEqual(content_of_pages(), before)
        self.assertEqual(files_of(self.export()), files_of(first))
        return before

    def empty_the_site(self):
        """As a new database: no terms, articles, cards, sections or import records."""
        for model in (GlossaryTermPage, PulseArticlePage):
            for page in model.objects.all():
                page.delete()
        ImportedRecord.objects.all().delete()
        RelatedArticleCard.objects.all().delete()
        RelatedArticlesSection.objects.all().delete()
        get_image_model().objects.all().delete()
        cache.clear()


# --- the admin's upload ---------------------------------------------------------------


def user(name, group=None, superuser=False):
    User = get_user_model()
    account = User.objects.create_user(name, f"{name}@example.com", "pw", is_superuser=superuser)
    if group:
        account.groups.add(Group.objects.get(name=group))
    return account


def terms(count, name="Service level", key="t"):
    return [
        SimpleUploadedFile(f"{key}{n:04d}.txt", term_text(f"{key}{n}", f"{name} {n}").encode())
        for n in range(count)
    ]


def zipped(members, name="fixtures.zip"):
    """A zip of (name, bytes) or ZipInfo-and-bytes members."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members:
            archive.writestr(member, data)
    return SimpleUploadedFile(name, buffer.getvalue())
