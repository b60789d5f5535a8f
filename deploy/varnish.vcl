vcl 4.1;
# Varnish in front of gunicorn for the Plexsive Glossary (Varnish 7; Debian's `varnish`).
# Start it on loopback only, with the purge secret in its environment (std.getenv below):
#   VARNISH_PURGE_SECRET=... varnishd -a 127.0.0.1:6081 -f deploy/varnish.vcl -s malloc,1g
# and give the site's processes FRONTEND_CACHE_PURGE_URL=http://127.0.0.1:6081 and the same
# value as FRONTEND_CACHE_PURGE_SECRET.
#
# Anonymous GETs are cached for as long as the site's Cache-Control s-maxage allows; the site
# purges what a change touches (Wagtail's frontend_cache, FRONTEND_CACHE_PURGE_URL). The admin,
# logged-in users (a session cookie) and anything but GET/HEAD go straight to the backend.
#
# A PURGE bans every cached copy of that path, whatever its query string (letter pages,
# ?page=2, ?category=…); a PURGE of /.well-known/purge-all bans everything. Only the site may
# purge: the client must be in the `purgers` ACL AND send X-Purge-Secret equal to
# VARNISH_PURGE_SECRET from varnishd's environment (unset or empty: every purge is refused).
# BAN is refused from anyone (the site sends PURGE only).
#
# Query strings: only the parameters some view reads are kept (KEPT_PARAMETERS below, the
# union of the views' `params` and pages' `cache_params`; tests/core/test_cache_boundaries.py
# checks they agree), sorted; tracking (utm_*, gclid, …) and unknown ones are dropped before
# hashing and before the request reaches the site. So ?utm_source=N is one object for any N.
#
# The HTTPS redirect depends on X-Forwarded-Proto (set by nginx): it is part of the hash.

import std;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
}

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "BAN") {
        return (synth(405, "Not allowed"));
    }
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        if (std.getenv("VARNISH_PURGE_SECRET") == ""
            || req.http.X-Purge-Secret != std.getenv("VARNISH_PURGE_SECRET")) {
            return (synth(403, "Forbidden"));
        }
        if (req.url == "/.well-known/purge-all") {
            ban("obj.status != 0");
        } else {
            ban("obj.http.x-url ~ ^" + regsub(req.url, "\?.*$", "") + "(\?|$)");
        }
        return (synth(200, "Purged"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The API: its listings have no page's path to ban by; the site's page cache keeps them.
    if (req.url ~ "^/admin(/|$)" || req.url ~ "^/documents/" || req.url ~ "^/api/") {
        return (pass);
    }
    if (req.http.Authorization || req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # Anonymous: no cookie changes what the site shows, so none takes part in the cache key.
    unset req.http.Cookie;
    unset req.http.X-Purge-Secret;
    if (req.http.X-Forwarded-Proto != "https") {
        set req.http.X-Forwarded-Proto = "http";
    }
    # Static files keep their query string (Wagtail's admin busts caches with ?v=).
    if (req.url ~ "\?" && req.url !~ "^/static/") {
        # KEPT_PARAMETERS: page, category (indexes, search), q, kind (search), p (sitemaps).
        set req.url = regsuball(req.url, "(?<=[?&])(?!(?:page|category|q|kind|p)=)[^&]*(&|$)", "");
        set req.url = regsub(req.url, "[?&]+$", "");
        set req.url = std.querysort(req.url);
    }
    return (hash);
}

sub vcl_hash {
    hash_data(req.http.X-Forwarded-Proto);
    # No return: Varnish's built-in vcl_hash adds the URL and the Host.
}

sub vcl_backend_response {
    # Kept for bans (the lurker can then work in the background, without the request).
    set beresp.http.x-url = bereq.url;
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control ~ "(private|no-cache|no-store)") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # Keep the site's Vary: Cookie from splitting the cache (cookies were removed above).
    if (beresp.http.Vary) {
        set beresp.http.Vary = regsuball(beresp.http.Vary, "(?i)(^|,\s*)cookie", "");
        set beresp.http.Vary = regsub(beresp.http.Vary, "^,\s*", "");
        if (beresp.http.Vary == "") {
            unset beresp.http.Vary;
        }
    }
}

sub vcl_deliver {
    unset resp.http.x-url;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "hit";
    } else {
        set resp.http.X-Cache = "miss";
    }
}
