"""The image renditions the templates use, named once, and who may change an image.

The importer makes these ahead of time so visitors never wait for an image to be resized,
and querysets prefetch them so a page's images cost a fixed number of queries.
"""

from django.db.models import Prefetch

from wagtail.images import get_image_model
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy

from core.fields import optional_key

CARD_RENDITION = "fill-640x360|format-webp"
HERO_RENDITION = "fill-1200x630|format-webp"
ALL_RENDITIONS = (CARD_RENDITION, HERO_RENDITION)
# The apps whose models show images to visitors (pages, cards, sections): each registers
# itself in its ``AppConfig.ready`` (``show_images_of``); the base names none.
_content_apps = set()


def show_images_of(app_label):
    """Count the images the models of app ``app_label`` hold in a foreign key as shown to
    visitors (a live page's, or any other model's: a card, a section)."""
    _content_apps.add(app_label)


def prefetch_renditions(lookup, *specs):
    """Prefetch the renditions for ``specs`` of the image at ``lookup``, when the image itself
    comes with ``select_related``: one query for the renditions of every image in the list."""
    renditions = get_image_model().get_rendition_model().objects.filter(filter_spec__in=specs)
    return Prefetch(f"{lookup}__renditions", queryset=renditions)


def optional_image(help_text):
    """A model's image from the library, optional; deleting the image empties the field."""
    return optional_key("wagtailimages.Image", help_text)


def rendition(image, spec):
    return image.get_rendition(spec) if image is not None else None


def images_in_use(image_ids):
    """Of ``image_ids``, those a live page shows or a card or section uses, from Wagtail's
    reference index (two queries). A draft page's use does not count: nobody sees it yet."""
    from wagtail.models import Page, ReferenceIndex

    ids = {str(pk) for pk in image_ids}
    if not ids:
        return set()
    page_type = ReferenceIndex._get_base_content_type(Page)
    uses = ReferenceIndex.objects.filter(
        to_content_type=ReferenceIndex._get_base_content_type(get_image_model()),
        to_object_id__in=ids,
    ).values_list("to_object_id", "base_content_type_id", "object_id")
    found, on_pages = set(), {}
    for image_id, source_type, source_id in uses:
        if source_type == page_type.pk:
            on_pages.setdefault(int(source_id), set()).add(int(image_id))
        else:
            found.add(int(image_id))  # a card or section: shown wherever a term places it
    for page_id in Page.objects.filter(pk__in=on_pages, live=True).values_list("pk", flat=True):
        found |= on_pages[page_id]
    return found | _images_held_by_keys(ids - {str(pk) for pk in found})


def _images_held_by_keys(ids):
    """Of ``ids``, the images a live page or a content snippet of a registered app
    (``show_images_of``) holds in a foreign key (a hero image, a card's image). Wagtail brings
    its reference index up to date in a task, on the worker: until it has run, the keys still
    say at once what a just-published page shows."""
    from wagtail.models import Page

    found = set()
    for relation in get_image_model()._meta.get_fields(include_hidden=True):  # related_name="+"
        model = relation.related_model
        if not relation.one_to_many or model._meta.app_label not in _content_apps:
            continue
        rows = model.objects.filter(**{f"{relation.field.name}__in": ids})
        if issubclass(model, Page):
            rows = rows.filter(live=True)
        found |= set(rows.values_list(relation.field.attname, flat=True))
    return found


class ReviewedImagePermissionPolicy(CollectionOwnershipPermissionPolicy):
    """Wagtail's image policy, except that uploading an image lets its owner change or delete
    it only until a live page shows it (or a card or section uses it); after that it takes the
    collection's "change" permission (Moderators', core.0001_squashed_0008). So an editor cannot swap the
    picture on a published page without a moderator. Wagtail has no setting for this."""

    CHANGING = {"change", "delete"}

    def _only_through_ownership(self, user, collection=None):
        return not self._check_perm(user, ["change"], collection=collection)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        changing = self.CHANGING & set(actions)
        if (
            changing
            and instance.pk is not None
            and self._only_through_ownership(user, instance.collection)
            and images_in_use([instance.pk])
        ):
            actions = [action for action in actions if action not in changing]
            if not actions:
                return False
        return super().user_has_any_permission_for_instance(user, actions, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        found = super().instances_user_has_any_permission_for(user, actions)
        if not set(actions) <= self.CHANGING or user.is_superuser:
            return found
        changeable = self._collections_with_perm(user, ["change"])
        owned = found.exclude(collection__in=changeable).values_list("pk", flat=True)
        return found.exclude(pk__in=images_in_use(owned))
