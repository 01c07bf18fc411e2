"""How every form field renders: one template, the one Django's `as_field_group` uses.

`templates/includes/field.html` gives the help text the id `<id>_helptext` and
the error list the id `<id>_error` (Django's own error list), which are the ids
Django writes into the input's `aria-describedby`.
"""

from django.forms import CheckboxSelectMultiple, Select
from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    field_template_name = "includes/field.html"


class InlineSelect(Select):
    """A select list whose options are written in its own template, not included one by one.

    Django's select includes a template for each option; a list of a hundred
    regions paid for a hundred includes. The HTML is Django's own.
    """

    template_name = "includes/select.html"


class SearchableCheckboxSelectMultiple(CheckboxSelectMultiple):
    """Checkboxes in a list that scrolls, with a box to filter it when JavaScript runs.

    Without JavaScript the form still works: every choice is a checkbox in a
    scrolling list. `static/js/searchable-choices.js` adds the filter box
    (`templates/includes/field.html` marks the list with `field-searchable`).
    """

    searchable = True
