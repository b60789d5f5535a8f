"""The POST an editor's browser sends from a Wagtail edit form, built from the form itself.

Wagtail's page editor builds its StreamField inputs in the browser (telepath) from each
block's ``get_form_state``; ``form_data`` turns that state, and every other field and inline
formset of the form, into the names and values the browser would post, so a benchmark can
publish through the admin's real edit view without a browser. Wagtail's own test helpers
(``wagtail.test.utils.form_data``) build data from values written by hand, not from a form
as it stands; no library does this, so it is written here.
"""

from django import forms
from django.forms.formsets import BaseFormSet

from wagtail import blocks
from wagtail.blocks.base import BlockField


def form_data(form):
    """{name: value or [values]} as a browser posts ``form`` (unbound, its initial values)."""
    data = {}
    _form(form, data)
    return data


def _form(form, data):
    for bound in form:
        _field(bound, data)
    for formset in getattr(form, "formsets", {}).values():
        _formset(formset, data)


def _formset(formset: BaseFormSet, data):
    for bound in formset.management_form:
        data[bound.html_name] = "" if bound.value() is None else str(bound.value())
    for child in formset.forms:
        _form(child, data)


def _field(bound, data):
    field, name, value = bound.field, bound.html_name, bound.value()
    if isinstance(field, BlockField):
        _block(field.block, field.block.get_form_state(value), name, data)
    elif isinstance(field.widget, forms.CheckboxInput):
        if value:
            data[name] = "on"
    elif isinstance(field.widget, forms.SelectMultiple | forms.CheckboxSelectMultiple):
        data[name] = [str(item) for item in field.widget.format_value(value)]
    elif isinstance(field.widget, forms.Select):
        chosen = field.widget.format_value(value)
        data[name] = chosen[0] if chosen else ""
    elif isinstance(field.widget, forms.FileInput):
        return  # nothing chosen: the stored file stays
    else:
        shown = field.widget.format_value(value)
        data[name] = "" if shown is None else str(shown)


def _block(block, state, prefix, data):
    """One block's inputs, from its form state, as the admin's block widgets name them."""
    if isinstance(block, blocks.StreamBlock):
        children = state or []
        data[f"{prefix}-count"] = str(len(children))
        for index, child in enumerate(children):
            data[f"{prefix}-{index}-type"] = child["type"]
            data[f"{prefix}-{index}-deleted"] = ""
            data[f"{prefix}-{index}-order"] = str(index)
            data[f"{prefix}-{index}-id"] = child.get("id") or ""
            _block(
                block.child_blocks[child["type"]], child["value"], f"{prefix}-{index}-value", data
            )
    elif isinstance(block, blocks.ListBlock):
        children = state or []
        data[f"{prefix}-count"] = str(len(children))
        for index, child in enumerate(children):
            data[f"{prefix}-{index}-deleted"] = ""
            data[f"{prefix}-{index}-order"] = str(index)
            data[f"{prefix}-{index}-id"] = child.get("id") or ""
            _block(block.child_block, child["value"], f"{prefix}-{index}-value", data)
    elif isinstance(block, blocks.StructBlock):
        for name, child in block.child_blocks.items():
            _block(child, (state or {}).get(name), f"{prefix}-{name}", data)
    elif isinstance(block, blocks.BooleanBlock):
        if state:
            data[prefix] = "on"
    elif isinstance(state, dict):  # a chooser: {"id": ..., ...}
        data[prefix] = str(state.get("id", ""))
    elif isinstance(state, list | tuple):
        data[prefix] = [str(item) for item in state]
    else:
        data[prefix] = "" if state is None else str(state)
