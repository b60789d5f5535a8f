"""Importing from the admin: the same pipeline, a dry run first, and only for those allowed."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from glossary.models import GlossaryTermPage

from .test_import_command import FIXTURES, term_text

URL = "/admin/import-fixtures/"


def user(name, group=None, superuser=False):
    User = get_user_model()
    account = User.objects.create_user(name, f"{name}@example.com", "pw", is_superuser=superuser)
    if group:
        account.groups.add(Group.objects.get(name=group))
    return account


class AdminImportTests(TestCase):
    def setUp(self):
        cache.clear()

    def upload(self, *files, **options):
        return self.client.post(URL, {"files": list(files), **options})

    def test_only_users_with_the_permission_see_it(self):
        self.client.force_login(user("ed", "Editors"))
        self.assertNotContains(self.client.get("/admin/"), URL)
        self.assertEqual(
            self.client.get(URL).status_code, 302
        )  # Wagtail's "permission denied" redirect
        self.client.force_login(user("mo", "Moderators"))
        self.assertContains(self.client.get("/admin/"), URL)
        self.assertContains(self.client.get(URL), 'type="file"')

    def test_dry_run_report_then_confirm(self):
        self.client.force_login(user("mo", "Moderators"))
        seed = (FIXTURES / "glossary" / "000_54b8be97246d5048.txt").read_bytes()
        response = self.upload(
            SimpleUploadedFile("000_54b8be97246d5048.txt", seed),
            SimpleUploadedFile("broken.txt", b'---\nid: b1\nname: Broken\nkey_words: ["a"\n---\n'),
        )
        self.assertContains(response, "What the import would do")
        self.assertContains(response, "would be created")
        self.assertContains(response, "uploads/broken.txt")
        self.assertContains(response, "line 4")
        self.assertContains(response, "broken list")
        self.assertContains(response, "/pulse/elevating-workflows-with-ai-mavens-approach/")
        self.assertFalse(GlossaryTermPage.objects.exists(), "a dry run writes nothing")

        done = self.client.post(URL, {"confirm": "1"})
        self.assertContains(done, "What the import did")
        self.assertContains(done, "1 created")
        term = GlossaryTermPage.objects.get(term_id="e0c71804d0d3")
        self.assertTrue(term.live)
        self.assertEqual(term.imported_record.source_path, "uploads/000_54b8be97246d5048.txt")

    def test_upload_as_draft(self):
        self.client.force_login(user("boss", superuser=True))
        self.upload(SimpleUploadedFile("t1.txt", term_text().encode()), draft="on")
        self.client.post(URL, {"confirm": "1"})
        self.assertFalse(GlossaryTermPage.objects.get(term_id="t1").live)

    def test_rejects_other_file_types(self):
        self.client.force_login(user("boss", superuser=True))
        response = self.upload(SimpleUploadedFile("photo.jpg", b"\xff\xd8"))
        self.assertContains(response, "only .md and .txt files can be imported")
        self.assertNotContains(response, "What the import would do")

    def test_the_moderator_who_imported_is_on_revisions_and_log_entries(self):
        from wagtail.models import PageLogEntry

        moderator = user("mo", "Moderators")
        self.client.force_login(moderator)
        seed = (FIXTURES / "glossary" / "000_54b8be97246d5048.txt").read_bytes()
        self.upload(SimpleUploadedFile("000_54b8be97246d5048.txt", seed))
        with self.assertLogs("importer", "INFO") as logs:
            self.client.post(URL, {"confirm": "1"})
        term = GlossaryTermPage.objects.get(term_id="e0c71804d0d3")
        self.assertEqual(term.live_revision.user, moderator)
        entries = PageLogEntry.objects.filter(page=term)
        self.assertEqual(
            sorted(entries.values_list("action", "user__username")),
            [("wagtail.create", "mo"), ("wagtail.publish", "mo")],
        )
        self.assertIn("imported_by", logs.records[0].__dict__)
        self.assertEqual(logs.records[0].imported_by, "mo")
