vcl 4.1;
# Varnish in front of gunicorn for the Plexsive Glossary (Varnish 7; Debian's `varnish`).
#
# Anonymous GETs are cached for as long as the site's Cache-Control s-maxage allows; the site
# purges what a change touches (Wagtail's frontend_cache, FRONTEND_CACHE_PURGE_URL). The admin,
# logged-in users (a session cookie) and anything but GET/HEAD go straight to the backend.
#
# A PURGE from localhost bans every cached copy of that path, whatever its query string
# (letter pages, ?page=2, ?category=…); a PURGE of /.well-known/purge-all bans everything.

backend default {
    .host = "127.0.0.1";
    .port = "8000";
}

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
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
    return (hash);
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
