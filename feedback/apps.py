from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    """Readers suggest a missing term or report a problem with a definition; the submissions
    wait in the admin's "Reader feedback" inbox (``feedback.admin_views``), where an Editor or
    a Moderator accepts (a suggestion becomes a draft term in "Editorial review") or declines
    them. Nothing here is cached publicly: every response is the visitor's own."""

    name = "feedback"
    verbose_name = "Reader feedback"

    def ready(self):
        from core import reader_links

        from .links import report_link, suggest_link

        reader_links.register("term_page", report_link)  # report_link(page=...)
        reader_links.register("search_results", suggest_link)  # suggest_link(query=, found=)
