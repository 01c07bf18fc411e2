"""What a facilitator may do in the admin: the exact permissions of the Facilitators group.

The list below is the whole of it. After every `migrate` the group is given
exactly these permissions and loses any other, so a permission added by hand,
or the permissions of a model added later, never reach facilitators unless
someone writes them here. Which rows a facilitator sees is decided by the
admin (only the networks they facilitate); this list only says which kinds of
rows they may view, add or change.

What is left out, on purpose:
- people's accounts (the user model) and everything of `auth`: passwords and
  email addresses change only through their owner's account pages, and
  facilitators never hand out groups or permissions;
- entities beyond viewing: an entity's profile is its own, kept by its
  representative and alternate, and an entity may belong to other networks;
- commissions and events beyond viewing: proposing, joining, promoting and
  organising are acts of member entities, and the facilitator is neutral
  (section 4.2 a);
- delete, everywhere: closing, leaving and rejecting are state changes.
"""

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q

FACILITATORS_GROUP = "Facilitators"

FACILITATOR_PERMISSIONS = {
    "networks": {
        # Name, place, language and governance settings; the structure is the site admin's.
        "network": ("view", "change"),
        # Publishing a charter makes a new version through `publish_charter`.
        "charterversion": ("view", "add"),
        "facilitator": ("view",),
        # Assigning goes through `assign_interlocutor` (section 4.2 c).
        "interlocutor": ("view", "add"),
        "historyentry": ("view",),
    },
    "platforms": {"platform": ("view", "change")},
    "members": {
        "entity": ("view",),
        "priorityarea": ("view",),
        # Change: the status actions (through `change_membership_status`) and the platform.
        "membership": ("view", "change"),
        "notification": ("view",),
    },
    "commissions": {
        "commission": ("view",),
        "commissionmember": ("view",),
        "statechange": ("view",),
        "promoterterm": ("view",),
        "topic": ("view",),
        "action": ("view",),
        "progressupdate": ("view",),
        "comment": ("view",),
        "closingsheet": ("view",),
    },
    "events": {
        "event": ("view",),
        "eventorganiser": ("view",),
        "agendaitem": ("view",),
        "registration": ("view",),
        "minutes": ("view",),
        "decision": ("view",),
    },
    # Written and corrected on the site, where the service tells the people they are for.
    "announcements": {
        "announcement": ("view",),
        "correction": ("view",),
    },
    # Declared by member entities, computed by the analysis job, written by the report's job.
    "evidence": {
        "collaboration": ("view",),
        "analysissnapshot": ("view",),
        "activityreport": ("view",),
    },
}


def facilitator_permission_names():
    """The group's permissions as `app_label.codename`, as `user.has_perm` spells them."""
    return {
        f"{app_label}.{action}_{model}"
        for app_label, models in FACILITATOR_PERMISSIONS.items()
        for model, actions in models.items()
        for action in actions
    }


def sync_facilitators_group(*, apps=global_apps, using=DEFAULT_DB_ALIAS):
    """Give the Facilitators group exactly the permissions listed above; idempotent."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.using(using).get_or_create(name=FACILITATORS_GROUP)
    wanted = Q(pk__in=[])
    for name in facilitator_permission_names():
        app_label, codename = name.split(".")
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    group.permissions.set(Permission.objects.using(using).filter(wanted))
    return group


def facilitators_group():
    """The group, made with its permissions if a database does not have it yet."""
    Group = global_apps.get_model("auth", "Group")
    group = Group.objects.filter(name=FACILITATORS_GROUP).first()
    return group if group is not None else sync_facilitators_group()


def sync_after_migrate(sender, *, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs):
    """Run at the end of every `migrate` (and test database flush).

    Django creates each app's permissions in the same signal, one app after the
    other; the group needs those of apps that come after this one, so they are
    created here first (creating them is idempotent).
    """
    from django.contrib.auth.management import create_permissions

    try:
        apps.get_model("auth", "Permission")
    except LookupError:
        # Migrated back to before `auth` exists: nothing to set.
        return
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
    sync_facilitators_group(apps=apps, using=using)
