"""Uploaded files in development: served as downloads the browser must not reinterpret.

People upload progress update images and attachments; others open them. Served
as they are, a file could be read by the browser as a page of this site. So
every uploaded file is answered with `Content-Disposition: attachment` (opening
its address downloads it; an `<img>` still shows an image), with
`X-Content-Type-Options: nosniff`, and with a policy that lets it run nothing.
In production the proxy serves the folder with the same headers (README,
"Production with docker-compose"), or the object store serves the bucket.
The file is read through the storage, like every other read of an upload, so
the same view works whichever storage holds it.
"""

from collections.abc import Callable

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponseBase
from django.utils.http import content_disposition_header

UPLOAD_HEADERS = {
    "Content-Disposition": "attachment",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}


def download_url(file: FieldFile, filename: str) -> str:
    """The address of an uploaded file, downloaded under `filename` wherever it is kept.

    From this site the link's `download` attribute names the file. A bucket is
    another origin, where browsers ignore that attribute: its signed address
    asks the store itself to answer with the name (S3's
    `response-content-disposition`). An unsigned address cannot ask it.
    """
    storage = file.storage
    if getattr(storage, "querystring_auth", False):
        disposition = content_disposition_header(as_attachment=True, filename=filename)
        # A django-storages backend's `url`, which takes the request's parameters.
        signed_url: Callable[..., str] = storage.url
        return signed_url(file.name, parameters={"ResponseContentDisposition": disposition})
    return file.url


def serve_upload(request: HttpRequest, path: str) -> HttpResponseBase:
    """An uploaded file, read through the storage, as a download (development only)."""
    try:
        upload = default_storage.open(path, "rb")
    except (OSError, SuspiciousFileOperation):
        raise Http404 from None
    response = FileResponse(upload)
    for header, value in UPLOAD_HEADERS.items():
        response[header] = value
    return response
