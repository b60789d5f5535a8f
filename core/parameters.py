"""Query strings no view can use, refused before any view reads them.

Each view checks its own parameters (a page number through Django's paginator, the API's
filters through ``core.api``); what is refused here is a NUL character anywhere in the query
string or the path. No page, name or filter holds one, PostgreSQL cannot store or compare
one in text, and Django itself lets it through, so one small check here beats a check in
every view. Written by hand: Django and Wagtail have no setting for it.
"""

from django.http import HttpResponseBadRequest

NUL = "\x00"


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path or any(
            NUL in name or any(NUL in value for value in values)
            for name, values in request.GET.lists()
        ):
            response = HttpResponseBadRequest(
                "Bad request: the address holds a NUL character.\n", content_type="text/plain"
            )
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)
