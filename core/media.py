"""Uploaded files in development: served as downloads the browser must not reinterpret.

People upload progress update images and attachments; others open them. Served
as they are, a file could be read by the browser as a page of this site. So
every uploaded file is answered with `Content-Disposition: attachment` (opening
its address downloads it; an `<img>` still shows an image), with
`X-Content-Type-Options: nosniff`, and with a policy that lets it run nothing.
In production the proxy serves the folder with the same headers (README,
"Production with docker-compose").
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.views.static import serve

UPLOAD_HEADERS = {
    "Content-Disposition": "attachment",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}


def serve_upload(request: HttpRequest, path: str) -> HttpResponseBase:
    response = serve(request, path, document_root=str(settings.MEDIA_ROOT))
    for header, value in UPLOAD_HEADERS.items():
        response[header] = value
    return response
