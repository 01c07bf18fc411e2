from django.contrib import admin

from announcements.models import Announcement, Correction
from networks.admin import NetworkScopedAdmin, ReadOnlyAdminMixin, ReadOnlyInline


class CorrectionInline(ReadOnlyInline):
    model = Correction
    fields = ("text", "author", "created_at")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


class SentAdmin(ReadOnlyAdminMixin, NetworkScopedAdmin):
    """What was written to the network's people: read here, never rewritten.

    An announcement is sent when it is written and a correction is sent on its
    own (`announcements.services`), so an edit here would change a text people
    already received without telling them; the facilitator writes and
    corrects on the network's pages, where the service decides who hears it.
    """


@admin.register(Announcement)
class AnnouncementAdmin(SentAdmin):
    list_display = ["title", "network", "commission", "entity", "author", "public", "created_at"]
    list_filter = [("network", admin.RelatedOnlyFieldListFilter), "public"]
    list_select_related = ["network", "commission", "entity", "author"]
    search_fields = ["title", "body", "entity__name"]
    date_hierarchy = "created_at"
    inlines = [CorrectionInline]


@admin.register(Correction)
class CorrectionAdmin(SentAdmin):
    list_display = ["announcement", "network", "author", "created_at"]
    list_filter = [("network", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["announcement", "network", "author"]
    search_fields = ["text", "announcement__title"]
    date_hierarchy = "created_at"
