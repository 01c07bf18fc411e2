"""Uploads go through the storage API only: a storage with no files on this machine serves them.

With MEDIA_STORAGE=s3 the files live in a bucket that every web and worker
container shares, and a storage of that kind has no path on disk. Here the
default storage is Django's in-memory one, refusing `path()` as S3 does: posting an
update, showing it, listing it in the API and serving the file must all work
without `.path`, and nothing may land in MEDIA_ROOT.
"""

import io
import os
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.storage import InMemoryStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import RequestFactory
from PIL import Image
from storages.backends.s3 import S3Storage

from commissions.models import ProgressUpdate
from core.media import serve_upload
from networks.scoping import all_networks
from tests.commissions.test_pages import Story, as_user, get, post

pytestmark = pytest.mark.django_db


class StorageWithoutPaths(InMemoryStorage):
    """Files kept in memory, with no path on disk to give, like an object store's."""

    def path(self, name):
        raise NotImplementedError("This backend doesn't support absolute paths.")

    def _relative_path(self, name):
        # The in-memory storage keys its files by path, internally.
        return os.path.relpath(super().path(name), self.location)


@pytest.fixture(autouse=True)
def _storage_without_paths(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": f"{__name__}.StorageWithoutPaths"},
    }


@pytest.fixture
def story(network):
    return Story(network)


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "teal").save(buffer, "PNG")
    return buffer.getvalue()


def test_the_storage_under_test_has_no_paths():
    with pytest.raises(NotImplementedError):
        default_storage.path("commissions/updates/x.png")


def test_an_update_with_files_is_stored_shown_listed_and_served_without_a_path(
    client, story, tmp_path
):
    response = post(
        as_user(client, story.promoter),
        story.url("post_update"),
        {
            "entity": story.promoter_membership.entity.pk,
            "text": "Jornada en la plaza.",
            "image": SimpleUploadedFile("foto.png", png()),
            "attachment": SimpleUploadedFile("Acta.pdf", b"%PDF-1.4 acta"),
        },
    )
    assert response.status_code == 302

    with all_networks():
        update = ProgressUpdate.objects.get()
    assert default_storage.exists(update.image.name)
    with update.attachment.open("rb") as stored:
        assert stored.read() == b"%PDF-1.4 acta"
    with update.image.open("rb") as stored:
        assert Image.open(stored).size == (20, 10)
    assert not (tmp_path / "media").exists()

    page = get(client, story.url("detail")).text
    assert update.image.url in page
    assert update.attachment.url in page

    url = f"/api/v1/networks/{story.network.slug}/commissions/{story.commission.pk}/updates/"
    (listed,) = client.get(url, secure=True).json()["results"]
    assert listed["attachment"].endswith(update.attachment.url)
    assert listed["image"].endswith(update.image.url)

    request = RequestFactory().get("/media/" + update.attachment.name)
    served = serve_upload(request, path=update.attachment.name)
    assert served.status_code == 200
    assert served["Content-Disposition"] == "attachment"
    assert b"".join(served.streaming_content) == b"%PDF-1.4 acta"


@pytest.mark.parametrize("path", ["commissions/updates/none.png", "../../etc/passwd"])
def test_a_file_the_storage_does_not_hold_is_not_found(path):
    with pytest.raises(Http404):
        serve_upload(RequestFactory().get("/media/" + path), path=path)


def test_an_attachment_from_this_site_is_linked_as_it_is_stored():
    update = ProgressUpdate(attachment="commissions/attachments/a.pdf", attachment_name="Acta.pdf")

    assert update.attachment_url == update.attachment.url


def test_a_signed_address_from_a_bucket_asks_it_to_name_the_download():
    update = ProgressUpdate(
        attachment="commissions/attachments/a.pdf", attachment_name="Acta de la reunión.pdf"
    )
    update.attachment.storage = S3Storage(
        bucket_name="tejido-media",
        access_key="tejido",
        secret_key="not-a-real-secret",
        region_name="sa-east-1",
        endpoint_url="https://objects.example.org",
    )

    url = urlsplit(update.attachment_url)
    query = parse_qs(url.query)
    assert url.path == "/tejido-media/commissions/attachments/a.pdf"
    assert query["response-content-disposition"] == [
        "attachment; filename*=utf-8''Acta%20de%20la%20reuni%C3%B3n.pdf"
    ]
    assert "X-Amz-Signature" in query or "Signature" in query
