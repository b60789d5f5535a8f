"""A fresh install has its editorial roles and review workflow."""

from django.contrib.auth.models import Group
from django.test import TestCase

from wagtail.models import Page, WorkflowPage

from glossary.models import GlossaryIndexPage
from pulse.models import PulseIndexPage


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
