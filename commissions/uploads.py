"""Files people attach to progress updates: what is accepted, and how it is stored.

An upload's name and bytes are the uploader's, and others open them. So:

- an image is decoded by Pillow and encoded again from its pixels alone: what
  Pillow cannot read (an SVG, an HTML page named .png) is refused, and nothing of
  the original file survives but the picture: no EXIF (no GPS position), no
  comments, no trailing bytes. Images too large to decode safely (decompression
  bombs) are refused before they are decoded;
- an attachment must be one of a few document types, checked by its first bytes;
- every file is stored under a random name; an attachment's original name,
  cleaned, is kept for display and as the name offered when it is downloaded.

The files are served as downloads that the browser must not reinterpret
(`core.media`, and the proxy in production: README, "Production").
"""

import io
import posixpath
import uuid
import warnings
import zipfile

from django.core.files.base import ContentFile, File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from core.errors import DomainError
from core.text import single_line

# Pillow's format name → the extension and quality it is stored with.
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
IMAGE_MAX_BYTES = 5 * 1024 * 1024
# 40 megapixels (a 7,700 by 5,200 photo) decodes to about 160 MB: the most a web
# worker should hold in memory for one upload. Pillow's own limit is far higher.
IMAGE_MAX_PIXELS = 40_000_000
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ZIP_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Each accepted extension and how its first bytes must look.
ATTACHMENT_SIGNATURES = {
    "pdf": b"%PDF-",
    "doc": OLE_SIGNATURE,
    "docx": ZIP_SIGNATURE,
    "odt": ZIP_SIGNATURE,
    "ods": ZIP_SIGNATURE,
    "xlsx": ZIP_SIGNATURE,
}
DISPLAY_NAME_MAX_LENGTH = 150


class CleanImage(ContentFile):
    """An image already decoded and encoded again here: re-encoding it twice loses quality."""


class CheckedAttachment(File):
    """An attachment that passed the checks, with its original name cleaned for display."""

    def __init__(self, upload, display_name):
        super().__init__(upload, name=display_name)
        self.display_name = display_name


def _image_refused():
    return DomainError(_("Send the image as JPEG, PNG or WebP."))


def clean_image(upload):
    """The picture of an uploaded image, encoded anew without any of the file's metadata."""
    if isinstance(upload, CleanImage):
        return upload
    if upload.size > IMAGE_MAX_BYTES:
        raise DomainError(
            _("The image weighs %(size)s; the most is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(IMAGE_MAX_BYTES)}
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow only warns below twice its own limit: treat that as the bomb it is.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                if image.format not in IMAGE_FORMATS:
                    raise _image_refused()
                width, height = image.size
                if width * height > IMAGE_MAX_PIXELS:
                    raise DomainError(
                        _(
                            "The image is %(width)s by %(height)s pixels; send one of at most "
                            "%(megapixels)s megapixels."
                        )
                        % {
                            "width": width,
                            "height": height,
                            "megapixels": IMAGE_MAX_PIXELS // 1_000_000,
                        }
                    )
                image_format = image.format
                image.load()
                # The camera's orientation is applied to the pixels, since its tag goes.
                upright = ImageOps.exif_transpose(image)
    except DomainError:
        raise
    except (
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
    ):
        raise _image_refused() from None
    finally:
        upload.seek(0)
    return _encode(upright, image_format)


def _encode(image, image_format):
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    mode = "RGBA" if has_alpha and image_format != "JPEG" else "RGB"
    converted = image.convert(mode)
    # A new image from the pixels alone: no EXIF, ICC profile, text chunks or comments.
    pixels = Image.frombytes(mode, converted.size, converted.tobytes())
    output = io.BytesIO()
    if image_format == "JPEG":
        pixels.save(output, "JPEG", quality=88, optimize=True)
    elif image_format == "PNG":
        pixels.save(output, "PNG", optimize=True)
    else:
        pixels.save(output, "WEBP", quality=88)
    return CleanImage(output.getvalue(), name=f"image.{IMAGE_FORMATS[image_format]}")


def display_name(name, *, fallback="archivo"):
    """An uploaded file's name as people may see it: its last part, one short line."""
    name = single_line(posixpath.basename(str(name or "").replace("\\", "/")))
    name = "".join(character for character in name if character not in '"<>:|?*')
    name = name.strip(" .") or fallback
    if len(name) > DISPLAY_NAME_MAX_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and len(extension) <= 10:
            name = stem[: DISPLAY_NAME_MAX_LENGTH - len(extension) - 1] + "." + extension
        else:
            name = name[:DISPLAY_NAME_MAX_LENGTH]
    return name


def _extension(name):
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check_attachment(upload):
    """A document of an accepted type, checked by its first bytes; the bytes stay as sent."""
    if isinstance(upload, CheckedAttachment):
        return upload
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise DomainError(
            _("The attachment weighs %(size)s; the most is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(ATTACHMENT_MAX_BYTES)}
        )
    signature = ATTACHMENT_SIGNATURES.get(_extension(upload.name or ""))
    upload.seek(0)
    head = upload.read(len(signature or b""))
    upload.seek(0)
    if (
        signature is None
        or head != signature
        or (signature == ZIP_SIGNATURE and not zipfile.is_zipfile(upload))
    ):
        raise DomainError(
            _("Attach a PDF, Word (doc, docx), OpenDocument (odt, ods) or Excel (xlsx) file.")
        )
    upload.seek(0)
    return CheckedAttachment(upload, display_name(upload.name))


def _random_name(folder, filename):
    extension = _extension(filename)
    if extension not in {*IMAGE_FORMATS.values(), *ATTACHMENT_SIGNATURES}:
        extension = "bin"
    return f"{folder}/{uuid.uuid4().hex}.{extension}"


def update_image_path(instance, filename):
    """Where a progress update's image is stored: a random name, never the uploader's."""
    return _random_name("commissions/updates", filename)


def update_attachment_path(instance, filename):
    """Where a progress update's attachment is stored: a random name, never the uploader's."""
    return _random_name("commissions/attachments", filename)
