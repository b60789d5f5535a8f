"""Site-wide Wagtail hooks."""

from wagtail import hooks

from core.page_cache import declare, params_for_page, scopes_for_page


@hooks.register("on_serve_page")
def declare_page_cache_scopes(serve):
    """Every page Wagtail serves may go in the page cache, under its own scopes."""

    def inner(page, request, args, kwargs):
        declare(request, scopes_for_page(page), params_for_page(page, request))
        return serve(page, request, args, kwargs)

    return inner
