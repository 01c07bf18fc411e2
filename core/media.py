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

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponseBase

UPLOAD_HEADERS = {
    "Content-Disposition": "attachment",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}


def serve_upload(request: HttpRequest, path: str) -> HttpResponseBase:
    try:
        upload = default_storage.open(path, "rb")
    except (OSError, SuspiciousFileOperation):
        raise Http404 from None
    response = FileResponse(upload)
    for header, value in UPLOAD_HEADERS.items():
        response[header] = value
    return response
