"""What the reference measured by hand in the Lima network (section 5.3), to read ours beside."""

from django.utils.translation import gettext_lazy as _

STUDY_FIGURES = {
    "entities": 51,
    "density": 0.053,
    "mean_degree": 4,
    "isolated_share": 0.19,
    "isolated_newcomers_share": 0.60,
    "entities_in_contact_share": 0.75,
    "entities_that_helped_share": 0.35,
    "source": _("Section 5.3 of the model: 51 member entities of the Peru Volunteer Network."),
}
