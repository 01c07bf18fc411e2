"""The Facilitators group holds exactly the permissions listed in code, and none on people."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.sql import emit_post_migrate_signal

from networks.admin_access import (
    FACILITATOR_PERMISSIONS,
    FACILITATORS_GROUP,
    facilitator_permission_names,
)
from tests.admin.conftest import admin_url

pytestmark = pytest.mark.django_db

# Models whose rows are people's accounts, or who may do what.
PEOPLE_AND_AUTHORITY = {"auth", "account", "contenttypes", "sessions", "admin"}


def held_by_the_group():
    group = Group.objects.get(name=FACILITATORS_GROUP)
    return {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def run_migrate_signal():
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")


def test_the_group_holds_exactly_the_permissions_listed_in_code():
    assert held_by_the_group() == facilitator_permission_names()


def test_every_listed_permission_exists():
    existing = {
        f"{app_label}.{codename}"
        for app_label, codename in Permission.objects.values_list(
            "content_type__app_label", "codename"
        )
    }
    assert facilitator_permission_names() <= existing


def test_facilitators_hold_no_permission_on_people_accounts_or_authority():
    held = Group.objects.get(name=FACILITATORS_GROUP).permissions.select_related("content_type")

    offending = [
        f"{permission.content_type.app_label}.{permission.codename}"
        for permission in held
        if permission.content_type.app_label in PEOPLE_AND_AUTHORITY
        or permission.content_type.model == "user"
    ]

    assert offending == []
    assert "members" in FACILITATOR_PERMISSIONS
    assert "user" not in FACILITATOR_PERMISSIONS["members"]


def test_facilitators_delete_nothing():
    assert not [name for name in held_by_the_group() if ".delete_" in name]


def test_a_facilitator_holds_no_right_over_accounts(facilitator):
    for permission in (
        "members.view_user",
        "members.add_user",
        "members.change_user",
        "members.delete_user",
        "auth.change_group",
        "auth.change_permission",
        "account.change_emailaddress",
    ):
        assert not facilitator.has_perm(permission), permission


def test_each_migrate_takes_back_a_permission_given_by_hand_and_restores_the_list():
    group = Group.objects.get(name=FACILITATORS_GROUP)
    group.permissions.add(Permission.objects.get(codename="change_user"))
    group.permissions.remove(Permission.objects.get(codename="view_membership"))

    run_migrate_signal()

    assert held_by_the_group() == facilitator_permission_names()


def test_a_new_model_gives_facilitators_nothing_until_it_is_listed():
    newcomer = ContentType.objects.create(app_label="networks", model="newcomer")
    for action in ("view", "add", "change", "delete"):
        Permission.objects.create(
            content_type=newcomer, codename=f"{action}_newcomer", name=f"Can {action} newcomer"
        )

    run_migrate_signal()

    assert not any("newcomer" in name for name in held_by_the_group())


def test_a_database_without_the_group_gets_it_on_migrate():
    Group.objects.filter(name=FACILITATORS_GROUP).delete()

    run_migrate_signal()

    assert held_by_the_group() == facilitator_permission_names()


def test_the_facilitators_group_is_not_edited_in_the_admin(client, superuser):
    group = Group.objects.get(name=FACILITATORS_GROUP)
    client.force_login(superuser)

    response = client.post(
        admin_url(Group, "change", group.pk),
        {
            "name": FACILITATORS_GROUP,
            "permissions": [Permission.objects.get(codename="add_user").pk],
        },
    )

    assert response.status_code == 403
    assert "members.add_user" not in held_by_the_group()
    assert client.get(admin_url(Group, "change", group.pk)).status_code == 200
