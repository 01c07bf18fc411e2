"""Files attached to progress updates: images encoded anew, random names, served as downloads.

Uploads used to keep their original names and bytes: a photo's GPS position
went out to everybody, and whatever the browser took a file for, it opened.
"""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from PIL import ExifTags, Image

from commissions import services, uploads
from commissions.models import ProgressUpdate
from core.errors import DomainError
from core.media import serve_upload
from networks.scoping import all_networks
from tests.commissions.test_pages import Story, as_user, get, post

pytestmark = pytest.mark.django_db

GPS = ExifTags.IFD.GPSInfo
# Plaza de Armas de Arequipa.
POSITION = {1: "S", 2: (16.0, 23.0, 55.0), 3: "W", 4: (71.0, 32.0, 13.0)}
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(document.cookie)</script></svg>"
)
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def story(network):
    return Story(network)


def photo_with_gps(image_format="JPEG"):
    image = Image.new("RGB", (40, 30), "orange")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Cámara de Rosa"
    exif[GPS] = POSITION
    buffer = io.BytesIO()
    image.save(buffer, image_format, exif=exif.tobytes())
    content = buffer.getvalue()
    assert Image.open(io.BytesIO(content)).getexif().get_ifd(GPS)  # the position is there
    return content


def post_update(client, story, **files):
    return post(
        as_user(client, story.promoter),
        story.url("post_update"),
        {"entity": story.promoter_membership.entity.pk, "text": "Jornada en la plaza.", **files},
    )


def stored_update():
    with all_networks():
        return ProgressUpdate.objects.get()


def test_a_photo_comes_out_without_its_gps_position_or_any_exif(client, story):
    response = post_update(
        client,
        story,
        image=SimpleUploadedFile("foto.jpg", photo_with_gps(), content_type="image/jpeg"),
    )

    assert response.status_code == 302
    update = stored_update()
    with update.image.open("rb") as stored:
        content = stored.read()
    image = Image.open(io.BytesIO(content))
    assert image.format == "JPEG"
    assert image.size == (40, 30)
    assert dict(image.getexif()) == {}
    assert not image.getexif().get_ifd(GPS)
    assert b"Exif" not in content and "Cámara de Rosa".encode() not in content


@pytest.mark.parametrize("image_format", ["PNG", "WEBP"])
def test_png_and_webp_lose_their_metadata_too(story, image_format):
    upload = SimpleUploadedFile(f"foto.{image_format.lower()}", photo_with_gps(image_format))

    update = services.post_progress_update(
        commission=story.commission,
        entity=story.promoter_membership.entity,
        by=story.promoter,
        text="Jornada.",
        image=upload,
    )

    with update.image.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
    assert image.format == image_format
    assert dict(image.getexif()) == {}
    assert not image.info.get("exif")


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("foto.png", SVG, "image/png"),
        ("foto.svg", SVG, "image/svg+xml"),
        ("foto.jpg", HTML, "image/jpeg"),
        ("foto.png", b"\x89PNG\r\n\x1a\n" + HTML, "image/png"),
    ],
)
def test_an_svg_or_a_page_dressed_as_an_image_is_refused(
    client, story, name, content, content_type
):
    response = post_update(
        client, story, image=SimpleUploadedFile(name, content, content_type=content_type)
    )

    assert response.status_code == 400
    assert "imagen" in response.text
    with all_networks():
        assert not ProgressUpdate.objects.exists()


def test_the_service_itself_refuses_what_pillow_cannot_open(story, english):
    with pytest.raises(DomainError, match="JPEG, PNG or WebP"):
        services.post_progress_update(
            commission=story.commission,
            entity=story.promoter_membership.entity,
            by=story.promoter,
            text="Jornada.",
            image=SimpleUploadedFile("foto.png", SVG, content_type="image/png"),
        )


def bilevel_png(width, height):
    buffer = io.BytesIO()
    Image.new("1", (width, height)).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_decompression_bomb_is_refused_before_it_is_decoded(english):
    # A few kilobytes that would decode to some 200 million pixels.
    bomb = SimpleUploadedFile("bomba.png", bilevel_png(15_000, 13_000))
    assert bomb.size < 200_000
    with pytest.raises(DomainError, match="JPEG, PNG or WebP"):
        uploads.clean_image(bomb)
    # Below Pillow's own limit but above what one upload may take in memory.
    large = SimpleUploadedFile("grande.png", bilevel_png(8_000, 6_000))
    with pytest.raises(DomainError, match="megapixels"):
        uploads.clean_image(large)


def test_every_upload_is_stored_under_a_random_name_and_keeps_its_name_for_display(client, story):
    for _ in range(2):
        response = post_update(
            client,
            story,
            image=SimpleUploadedFile("foto de Rosa.jpg", photo_with_gps()),
            attachment=SimpleUploadedFile(
                "../../Acta de la reunión.pdf", b"%PDF-1.4 acta", content_type="application/pdf"
            ),
        )
        assert response.status_code == 302
    with all_networks():
        updates = list(ProgressUpdate.objects.order_by("pk"))

    image_names = [update.image.name for update in updates]
    attachment_names = [update.attachment.name for update in updates]
    assert all(re.fullmatch(r"commissions/updates/[0-9a-f]{32}\.jpg", n) for n in image_names)
    assert all(
        re.fullmatch(r"commissions/attachments/[0-9a-f]{32}\.pdf", n) for n in attachment_names
    )
    assert len(set(image_names)) == len(set(attachment_names)) == 2
    assert [update.attachment_name for update in updates] == ["Acta de la reunión.pdf"] * 2
    with updates[0].attachment.open("rb") as stored:
        assert stored.read() == b"%PDF-1.4 acta"  # documents keep their bytes

    page = get(client, story.url("detail")).text
    assert f'download="{updates[0].attachment_name}"' in page
    assert updates[0].attachment.url in page


@pytest.mark.parametrize(
    ("sent", "shown"),
    [
        ("..\\..\\informe.pdf", "informe.pdf"),
        ("/etc/informe.pdf", "informe.pdf"),
        ('Acta "final"\r\nBcc: x <1>.pdf', "Acta final Bcc x 1.pdf"),
        ("...", "archivo"),
        ("a" * 300 + ".pdf", "a" * 146 + ".pdf"),
    ],
)
def test_the_name_kept_for_display_is_one_short_line_without_folders(sent, shown):
    assert uploads.display_name(sent) == shown


def test_the_api_names_the_attachment_as_it_was_sent(client, story):
    post_update(
        client,
        story,
        attachment=SimpleUploadedFile("Informe.pdf", b"%PDF-1.4 informe"),
    )
    url = f"/api/v1/networks/{story.network.slug}/commissions/{story.commission.pk}/updates/"
    (update,) = client.get(url, secure=True).json()["results"]
    assert update["attachment_name"] == "Informe.pdf"
    assert update["attachment"].endswith(".pdf") and "Informe" not in update["attachment"]


def test_uploads_are_served_as_downloads_the_browser_must_not_sniff(client, story, settings):
    post_update(client, story, attachment=SimpleUploadedFile("acta.pdf", b"%PDF-1.4 acta"))
    update = stored_update()

    request = RequestFactory().get(settings.MEDIA_URL + update.attachment.name)
    response = serve_upload(request, path=update.attachment.name)

    assert response.status_code == 200
    assert response["Content-Disposition"] == "attachment"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == b"%PDF-1.4 acta"
