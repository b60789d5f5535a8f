"""A fresh install has its editorial roles and review workflow."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings

from wagtail.images import get_image_model
from wagtail.models import Collection, Page, ReferenceIndex, WorkflowPage

from glossary.models import GlossaryIndexPage
from pulse.models import PulseIndexPage
from tests.factories import ImageFactory, PulseArticlePageFactory


class RolesTests(TestCase):
    def test_groups_and_their_permissions(self):
        editors, moderators = (
            Group.objects.get(name="Editors"),
            Group.objects.get(name="Moderators"),
        )
        editor_perms = set(editors.permissions.values_list("codename", flat=True))
        moderator_perms = set(moderators.permissions.values_list("codename", flat=True))
        self.assertTrue(
            {"access_admin", "add_relatedarticlecard", "change_relatedarticlecard", "choose_image"}
            <= editor_perms
        )
        self.assertNotIn("delete_relatedarticlecard", editor_perms)
        self.assertNotIn("import_fixtures", editor_perms)
        self.assertTrue({"delete_relatedarticlecard", "import_fixtures"} <= moderator_perms)

    def test_editorial_review_workflow_on_both_sections(self):
        for index in (GlossaryIndexPage.objects.get(), PulseIndexPage.objects.get()):
            workflow = WorkflowPage.objects.get(page=index).workflow
            self.assertEqual(workflow.name, "Editorial review")
            task = workflow.tasks.get().specific
            self.assertEqual([group.name for group in task.groups.all()], ["Moderators"])
            # Terms and articles under the sections inherit it.
            self.assertEqual(Page.objects.get(pk=index.pk).get_workflow().name, "Editorial review")


class ImageRoleTests(TestCase):
    """An editor cannot replace or delete a picture a live page shows; a moderator can."""

    def setUp(self):
        User = get_user_model()
        self.editor = User.objects.create_user("ed", "ed@example.com", "pw")
        self.editor.groups.add(Group.objects.get(name="Editors"))
        self.moderator = User.objects.create_user("mo", "mo@example.com", "pw")
        self.moderator.groups.add(Group.objects.get(name="Moderators"))
        # The editor's own upload, shown as the hero of a live article.
        self.shown = ImageFactory(
            title="Shown", uploaded_by_user=self.editor, collection=Collection.get_first_root_node()
        )
        with self.captureOnCommitCallbacks(execute=True):  # the reference index, on commit
            PulseArticlePageFactory(hero_image=self.shown)

    def edit(self, image, **extra):
        data = {"title": "Renamed", "collection": Collection.get_first_root_node().pk, **extra}
        return self.client.post(f"/admin/images/{image.pk}/", data)

    def delete(self, image):
        return self.client.post(f"/admin/images/{image.pk}/delete/")

    def assert_unchanged(self, image, title):
        image.refresh_from_db()
        self.assertEqual(image.title, title)

    @override_settings(
        TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    )
    def test_an_image_is_in_use_from_publishing_before_the_worker_updates_the_index(self):
        """With the real queue Wagtail's reference index follows a publish only when the
        worker has run; the editor is held back from the first moment all the same."""
        fresh = ImageFactory(
            title="Fresh", uploaded_by_user=self.editor, collection=Collection.get_first_root_node()
        )
        with self.captureOnCommitCallbacks(execute=True):
            PulseArticlePageFactory(hero_image=fresh)
        self.assertFalse(ReferenceIndex.get_references_to(fresh).exists())  # still queued
        self.client.force_login(self.editor)
        self.edit(fresh)
        self.assert_unchanged(fresh, "Fresh")

    def test_an_editor_cannot_change_replace_or_delete_an_image_a_live_page_shows(self):
        self.client.force_login(self.editor)
        file_before = self.shown.file.name
        self.assertNotEqual(self.client.get(f"/admin/images/{self.shown.pk}/").status_code, 200)
        self.edit(self.shown)
        self.assert_unchanged(self.shown, "Shown")
        replacement = SimpleUploadedFile("other.png", _png(), content_type="image/png")
        self.edit(self.shown, title="Shown", file=replacement)
        self.shown.refresh_from_db()
        self.assertEqual(self.shown.file.name, file_before)
        self.delete(self.shown)
        self.assertTrue(get_image_model().objects.filter(pk=self.shown.pk).exists())
        # Nor through the listing's bulk delete.
        self.client.post(
            f"/admin/bulk/wagtailimages/image/delete/?next=/admin/images/&id={self.shown.pk}"
        )
        self.assertTrue(get_image_model().objects.filter(pk=self.shown.pk).exists())

    def test_an_editor_uploads_and_changes_own_images_until_a_live_page_shows_them(self):
        self.client.force_login(self.editor)
        upload = SimpleUploadedFile("new.png", _png(), content_type="image/png")
        response = self.client.post(
            "/admin/images/add/",
            {"title": "Fresh", "file": upload, "collection": Collection.get_first_root_node().pk},
        )
        self.assertEqual(response.status_code, 302)
        fresh = get_image_model().objects.get(title="Fresh")
        self.assertEqual(self.edit(fresh).status_code, 302)
        self.assert_unchanged(fresh, "Renamed")
        # Someone else's image, used nowhere: not theirs to change.
        other = ImageFactory(
            title="Other's",
            uploaded_by_user=self.moderator,
            collection=Collection.get_first_root_node(),
        )
        self.edit(other)
        self.assert_unchanged(other, "Other's")
        self.assertEqual(self.delete(fresh).status_code, 302)
        self.assertFalse(get_image_model().objects.filter(pk=fresh.pk).exists())

    def test_a_moderator_changes_and_deletes_an_image_a_live_page_shows(self):
        self.client.force_login(self.moderator)
        self.assertEqual(self.edit(self.shown).status_code, 302)
        self.assert_unchanged(self.shown, "Renamed")
        self.delete(self.shown)
        self.assertFalse(get_image_model().objects.filter(pk=self.shown.pk).exists())


def _png():
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_the_apps_whose_images_visitors_see_register_with_the_base():
    """core.images names no app: the glossary and Pulse register themselves (issue 23)."""
    from core import images

    assert images._content_apps == {"glossary", "pulse"}
