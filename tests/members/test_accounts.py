import re
from datetime import timedelta
from urllib.parse import parse_qs

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.http import HttpResponse
from django.test import RequestFactory

from members import notifications
from members.decorators import verified_required
from members.models import Notification, NotificationPreference, User
from members.rules import has_verified_email
from networks.scoping import all_networks
from tests import factories

pytestmark = pytest.mark.django_db


@verified_required
def _act(request):
    request.acted = True
    return HttpResponse("done")


def _request(user):
    request = RequestFactory().get("/redes/arequipa/accion/?x=1")
    request.user = user
    request.acted = False
    return request


def test_verified_required_sends_anonymous_visitors_to_login_and_back():
    from django.contrib.auth.models import AnonymousUser

    request = _request(AnonymousUser())
    response = _act(request)
    assert response.status_code == 302
    path, query = response.url.split("?")
    assert path == "/cuenta/login/"
    assert parse_qs(query)["next"] == ["/redes/arequipa/accion/?x=1"]
    assert not request.acted


def test_verified_required_refuses_an_unverified_person_with_an_explanation():
    user = factories.UserFactory(verified=False)
    request = _request(user)
    response = _act(request)
    assert response.status_code == 403
    assert not request.acted
    assert user.email.encode() in response.content
    assert b"/cuenta/verificacion/reenviar/" in response.content


def test_verified_required_refuses_a_person_without_any_recorded_address():
    user = factories.UserFactory()
    EmailAddress.objects.filter(user=user).delete()
    request = _request(user)
    assert _act(request).status_code == 403
    assert not request.acted


def test_verified_required_lets_a_verified_person_act():
    request = _request(factories.UserFactory())
    response = _act(request)
    assert response.status_code == 200
    assert request.acted


# Sign-up, verification and log-in, through the real pages.

SIGNUP = {
    "email": "ana.quispe@example.org",
    "first_name": "Ana",
    "last_name": "Quispe",
    "language": "en",
    "password1": "tejido seguro 2025",
    "password2": "tejido seguro 2025",
}


def _confirmation_link(message):
    match = re.search(r"https?://[^/\s]+(/cuenta/confirm-email/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_sign_up_mails_a_link_that_verifies_the_address(client, mailoutbox, fresh_rate_limits):
    response = client.post("/cuenta/signup/", SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email="ana.quispe@example.org")
    assert (user.first_name, user.last_name, user.language) == ("Ana", "Quispe", "en")
    assert user.username  # filled in, never asked
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["ana.quispe@example.org"]

    link = _confirmation_link(mailoutbox[0])
    assert client.get(link).status_code == 200
    response = client.post(link)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert has_verified_email(User.objects.get(pk=user.pk))


def test_unverified_person_cannot_log_in_and_gets_a_new_link(client, mailoutbox, fresh_rate_limits):
    user = factories.UserFactory(verified=False)
    response = client.post(
        "/cuenta/login/", {"login": user.email, "password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    assert response.url == "/cuenta/confirm-email/"
    assert "_auth_user_id" not in client.session
    assert len(mailoutbox) == 1


def test_verified_person_logs_in_by_email_in_any_case_and_lands_on_their_workspace(
    client, fresh_rate_limits
):
    user = factories.UserFactory(email="rosa@example.org")
    response = client.post(
        "/cuenta/login/",
        {"login": "ROSA@example.org", "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    assert response.url == "/mi-red/"
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.parametrize("email", ["ANA.QUISPE@example.org", "ana.quispe@EXAMPLE.ORG"])
def test_sign_up_with_an_email_already_taken_in_any_case_creates_nothing(
    client, mailoutbox, fresh_rate_limits, email
):
    """Refused without telling a stranger that the address has an account (no enumeration):
    the page looks as usual, and the owner of the address is told by mail instead."""
    owner = factories.UserFactory(email="ana.quispe@example.org")
    response = client.post("/cuenta/signup/", {**SIGNUP, "email": email})
    assert response.status_code == 302
    assert list(User.objects.all()) == [owner]
    assert EmailAddress.objects.count() == 1
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["ana.quispe@example.org"]
    assert "/cuenta/confirm-email/" not in mailoutbox[0].body
    assert "/cuenta/password/reset/" in mailoutbox[0].body


@pytest.mark.parametrize("email", ["not-an-address", "ana@", "ana quispe@example.org", ""])
def test_sign_up_with_an_invalid_email_is_refused(client, fresh_rate_limits, email):
    response = client.post("/cuenta/signup/", {**SIGNUP, "email": email})
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not User.objects.exists()


def test_sign_up_without_a_name_is_refused(client, fresh_rate_limits):
    response = client.post("/cuenta/signup/", {**SIGNUP, "first_name": " "})
    assert response.status_code == 200
    assert response.context["form"].errors["first_name"]
    assert not User.objects.exists()


def test_too_many_sign_ups_from_one_address_get_a_clear_page_not_an_error(
    client, fresh_rate_limits
):
    client.cookies["tejido_language"] = "en"
    for number in range(5):
        client.post("/cuenta/signup/", {**SIGNUP, "email": f"person{number}@example.org"})
    response = client.post("/cuenta/signup/", {**SIGNUP, "email": "one.more@example.org"})
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert not User.objects.filter(email="one.more@example.org").exists()


def test_repeated_wrong_passwords_are_stopped_with_a_message(client, fresh_rate_limits):
    user = factories.UserFactory()
    client.cookies["tejido_language"] = "en"
    for _attempt in range(5):
        client.post("/cuenta/login/", {"login": user.email, "password": "wrong"})
    response = client.post(
        "/cuenta/login/", {"login": user.email, "password": "correct horse battery staple"}
    )
    assert response.status_code == 200
    assert "Too many failed login attempts" in str(response.context["form"].errors)
    assert "_auth_user_id" not in client.session


def test_password_reset_mails_a_link_that_sets_a_new_password(
    client, mailoutbox, fresh_rate_limits
):
    user = factories.UserFactory()
    response = client.post("/cuenta/password/reset/", {"email": user.email.upper()})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    match = re.search(r"https?://[^/\s]+(/cuenta/password/reset/key/[^\s]+/)", mailoutbox[0].body)
    response = client.get(match.group(1), follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"password1": "otra clave segura 77", "password2": "otra clave segura 77"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("otra clave segura 77")


def test_log_out_needs_a_post(client):
    user = factories.UserFactory()
    client.force_login(user)
    client.get("/cuenta/logout/")
    assert client.session.get("_auth_user_id") == str(user.pk)
    client.post("/cuenta/logout/")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db(transaction=True)
def test_a_page_that_sends_mail_answers_before_the_mail_leaves(
    client, settings, monkeypatch, fresh_rate_limits
):
    from core import outbox, tasks
    from core.models import OutgoingMail

    settings.EMAIL_BACKEND = "core.mail_queue.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    asked = []
    monkeypatch.setattr(outbox, "_publish_delivery", lambda: asked.append(True))
    user = factories.UserFactory()
    mail.outbox = []

    response = client.post("/cuenta/password/reset/", {"email": user.email})

    assert response.status_code == 302
    assert mail.outbox == []  # the page sent nothing itself
    assert asked == [True]
    assert OutgoingMail.objects.pending().count() == 1
    tasks.deliver_mail()
    assert mail.outbox[0].to == [user.email]


# The account area: inbox, the one setting, the header.


def _notifications(network, user, count, *, start=0, read=False):
    from django.utils import timezone

    base = timezone.now()
    rows = [
        Notification(
            network=network,
            recipient=user,
            kind="commission.stalled",
            key=f"commission.stalled:{start + number}",
            context={"commission": f"Comisión {start + number}", "days": 60},
            link=f"/redes/{network.slug}/comisiones/{start + number}/",
            created_at=base - timedelta(minutes=start + number),
            read_at=base if read else None,
        )
        for number in range(count)
    ]
    with all_networks():
        Notification.objects.bulk_create(rows)


def test_inbox_shows_the_persons_notifications_of_every_network_newest_first(
    client, network, other_network
):
    user = factories.UserFactory()
    _notifications(network, user, 1, start=0)
    _notifications(other_network, user, 1, start=1, read=True)
    _notifications(network, factories.UserFactory(), 1, start=2)  # someone else's
    client.force_login(user)

    response = client.get("/cuenta/avisos/")

    assert response.status_code == 200
    items = response.context["items"]
    assert [item["link"] for item in items] == [
        "/redes/arequipa/comisiones/0/",
        "/redes/cusco/comisiones/1/",
    ]
    assert "Comisión 0" in items[0]["subject"]
    assert [item["unread"] for item in items] == [True, False]
    content = response.content.decode()
    assert 'href="/redes/arequipa/comisiones/0/"' in content
    assert 'href="/redes/cusco/comisiones/1/"' in content
    assert "Comisión 2" not in content


def test_inbox_needs_a_login(client):
    response = client.get("/cuenta/avisos/")
    assert response.status_code == 302
    assert response.url.startswith("/cuenta/login/")


@pytest.mark.parametrize("count", [5, 200])
def test_inbox_queries_do_not_grow_with_the_notifications(
    client, network, django_assert_num_queries, count
):
    user = factories.UserFactory()
    _notifications(network, user, count)
    client.force_login(user)
    # user with the roles, the header's unread count and facilitated networks in one
    # query; count for the paginator, the page (the session is read from the cache)
    with django_assert_num_queries(3):
        response = client.get("/cuenta/avisos/")
    assert len(response.context["items"]) == min(count, 20)


def test_mark_all_as_read_reads_only_the_persons_notifications(client, network):
    user, other = factories.UserFactory(), factories.UserFactory()
    _notifications(network, user, 3)
    _notifications(network, other, 2, start=10)
    client.force_login(user)

    response = client.post("/cuenta/avisos/leidos/")

    assert response.status_code == 302
    assert notifications.unread_count(user) == 0
    assert notifications.unread_count(other) == 2


def test_mark_one_as_read_leaves_the_others_and_ignores_someone_elses(client, network):
    user, other = factories.UserFactory(), factories.UserFactory()
    _notifications(network, user, 2)
    _notifications(network, other, 1, start=10)
    with all_networks():
        mine = Notification.objects.filter(recipient=user).first()
        theirs = Notification.objects.get(recipient=other)
    client.force_login(user)

    client.post("/cuenta/avisos/leidos/", {"notification": mine.pk})
    client.post("/cuenta/avisos/leidos/", {"notification": theirs.pk})
    response = client.post("/cuenta/avisos/leidos/", {"notification": "nonsense"})

    assert response.status_code == 302
    assert notifications.unread_count(user) == 1
    assert notifications.unread_count(other) == 1


def test_mark_read_needs_a_post(client, network):
    user = factories.UserFactory()
    _notifications(network, user, 1)
    client.force_login(user)
    assert client.get("/cuenta/avisos/leidos/").status_code == 405
    assert notifications.unread_count(user) == 1


def test_settings_store_never_and_then_a_notification_mails_nothing(client, network, mailoutbox):
    user = factories.UserFactory()
    client.force_login(user)
    response = client.post(
        "/cuenta/ajustes/",
        {
            "first_name": "Ana",
            "last_name": "Quispe",
            "phone": "+51 999 111 222",
            "language": "en",
            "notification_preference": NotificationPreference.NEVER,
        },
    )
    assert response.status_code == 302
    assert response.cookies["tejido_language"].value == "en"
    user.refresh_from_db()
    assert user.notification_preference == NotificationPreference.NEVER
    assert (user.language, user.phone) == ("en", "+51 999 111 222")

    _notifications(network, user, 3)
    assert notifications.deliver_pending_notifications() == 0
    assert notifications.deliver_weekly_digests(network) == 0
    assert mailoutbox == []
    assert notifications.unread_count(user) == 3  # the inbox still has everything


def test_settings_refuse_an_unknown_choice_and_change_nothing(client):
    user = factories.UserFactory(notification_preference=NotificationPreference.WEEKLY_DIGEST)
    client.force_login(user)
    response = client.post(
        "/cuenta/ajustes/",
        {
            "first_name": "Ana",
            "last_name": "Quispe",
            "language": "fr",
            "notification_preference": "hourly",
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"language", "notification_preference"}
    user.refresh_from_db()
    assert user.notification_preference == NotificationPreference.WEEKLY_DIGEST
    assert user.language == "es"


def test_settings_page_explains_each_choice(client):
    client.force_login(factories.UserFactory())
    client.cookies["tejido_language"] = "en"
    content = client.get("/cuenta/ajustes/").content.decode()
    assert "One mail for each notification" in content
    assert "One mail on Monday mornings" in content
    assert "No mail about notifications at all" in content
    assert "Your inbox on the site always has everything" in content


def test_header_offers_log_in_and_sign_up_to_visitors(client):
    content = client.get("/cuenta/login/").content.decode()
    assert 'href="/cuenta/signup/"' in content
    assert 'href="/cuenta/login/' in content
    assert 'action="/cuenta/logout/"' not in content


def test_header_shows_unread_count_workspace_and_facilitation_links(client, network):
    user = factories.UserFactory()
    factories.FacilitatorFactory(network=network, user=user)
    _notifications(network, user, 4)
    _notifications(network, user, 2, start=10, read=True)
    client.force_login(user)
    client.cookies["tejido_language"] = "en"

    content = client.get("/cuenta/ajustes/").content.decode()

    assert re.search(r'<span class="badge">4<span class="visually-hidden"> unread', content)
    assert 'href="/mi-red/"' in content
    assert 'href="/redes/arequipa/facilitacion/"' in content
    assert 'action="/cuenta/logout/"' in content
    assert 'aria-expanded="false"' in content


@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize(
    "path",
    [
        "/cuenta/login/",
        "/cuenta/signup/",
        "/cuenta/password/reset/",
        "/cuenta/avisos/",
        "/cuenta/ajustes/",
        "/cuenta/email/",
        "/cuenta/password/change/",
        "/cuenta/confirm-email/",
    ],
)
def test_account_pages_render_in_both_languages(client, path, language):
    if path not in ("/cuenta/login/", "/cuenta/signup/", "/cuenta/password/reset/"):
        client.force_login(factories.UserFactory())
    client.cookies["tejido_language"] = language
    response = client.get(path)
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()
