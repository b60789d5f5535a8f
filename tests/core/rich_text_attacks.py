"""What the rich-text tests share: the issue's attack, hostile markup for Hypothesis, and a
page's body read and written as its row holds it (past the field, which cleans)."""

import json

from hypothesis import strategies as st

from django.db import connection

# The attack, one of each.
ATTACKS = [
    "<script>fetch('/admin/users/add/', {method: 'POST'})</script>",
    '<iframe src="https://evil.example/"></iframe>',
    '<a href="javascript:alert(document.cookie)">read more</a>',
    "<img src=x onerror=alert(1)>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
]
ATTACK = "<p>Before</p>" + "".join(ATTACKS) + "<p>After</p>"

HOSTILE_PIECES = ATTACKS + [
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<a href=" jav&#x09;ascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a>',
    '<a linktype="page" id="1" onclick="alert(1)">x</a>',
    '<p onmouseover="alert(1)">hover</p>',
    "<svg onload=alert(1)><circle/></svg>",
    "<style>body{display:none}</style>",
    '<object data="evil.swf"></object>',
    '<embed src="evil.swf">',
    '<form action="https://evil.example/"><button formaction="javascript:alert(1)">x</button></form>',
    '<b style="background:url(javascript:alert(1))">x</b>',
    "<details open ontoggle=alert(1)>",
    "<base href=https://evil.example/>",
    "<!--<script>alert(1)</script>-->",
    "<noscript><p title='</noscript><img src=x onerror=alert(1)>'></noscript>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
]
hostile_html = st.lists(
    st.one_of(
        st.sampled_from(HOSTILE_PIECES),
        st.sampled_from(["<p>", "</p>", "<b>", "</b>", "<ul><li>", "</li></ul>", "<i>"]),
        st.text(alphabet="<>\"'=/ &;:abcjpsvx", max_size=20),
    ),
    min_size=1,
    max_size=8,
).map("".join)


def stored_body(model, pk):
    """A page's body as its row holds it."""
    return json.dumps(list(model.objects.filter(pk=pk).values_list("body", flat=True)[0].raw_data))


def write_past_the_field(model, pk, raw):
    """Store ``raw`` (JSON text) as ``model``'s body as a row stored before the sanitiser
    holds it: SQL, since the field itself now cleans whatever it is given."""
    cast = "::jsonb" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {model._meta.db_table} SET body = %s{cast} WHERE page_ptr_id = %s",  # noqa: S608 - our own table names
            [raw, pk],
        )
