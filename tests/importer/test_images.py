"""An image file is one library image however many runs of the import name it, under any
name: the importer stores Wagtail's file hash and finds images by it."""

import hashlib
import shutil

from django.test import TestCase

from wagtail.images import get_image_model

from pulse.models import PulseArticlePage
from tests.importer.helpers import ImportTestMixin, article_text

JPEG = "data_operations_boardroom.jpg"


class ImageAcrossRunsTests(ImportTestMixin, TestCase):
    def digest(self):
        data = (self.dir / "images" / JPEG).read_bytes()
        return hashlib.sha1(data).hexdigest()  # noqa: S324 - Wagtail's file_hash is SHA-1

    def import_article(self, slug, image=JPEG):
        text = article_text(title=slug.replace("-", " ").capitalize(), slug=slug)
        self.write(f"pulse/{slug}.md", text.replace(f"image: /{JPEG}", f"image: /{image}"))
        return self.import_report()

    def test_the_importer_stores_the_file_hash_and_size(self):
        self.import_article("uptime-explained")
        image = get_image_model().objects.get()
        self.assertEqual(image.file_hash, self.digest())
        self.assertEqual(image.file_size, (self.dir / "images" / JPEG).stat().st_size)

    def test_the_same_bytes_in_a_second_run_and_under_another_name_are_one_image(self):
        self.import_article("uptime-explained")
        self.import_article("downtime-explained")  # a new record naming the same file
        shutil.copy(self.dir / "images" / JPEG, self.dir / "images" / "boardroom_copy.jpg")
        self.import_article("latency-explained", image="boardroom_copy.jpg")
        self.assertEqual(get_image_model().objects.count(), 1)
        image = get_image_model().objects.get()
        self.assertEqual(PulseArticlePage.objects.filter(hero_image=image).count(), 3)

    def test_an_image_stored_without_a_hash_is_found_by_its_bytes(self):
        self.import_article("uptime-explained")
        get_image_model().objects.update(file_hash="")  # as earlier runs left them
        self.import_article("downtime-explained")
        self.assertEqual(get_image_model().objects.count(), 1)
        self.assertEqual(get_image_model().objects.get().file_hash, self.digest())
