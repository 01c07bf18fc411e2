"""docker-compose.yml scales out: `docker compose up --scale web=3 --scale worker=2` works.

A service that several containers run may hold no fixed container name and
publish no host port (a second container could not take it), the proxy must
reach the web containers where gunicorn listens and serve the uploads of the
volume they write, and beat must stay one.
"""

import re
from pathlib import Path

import yaml

BASE_DIR = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
NGINX = (BASE_DIR / "docker" / "nginx.conf").read_text()


def test_the_services_that_scale_hold_nothing_only_one_container_can_have():
    for name in ("web", "worker"):
        service = SERVICES[name]
        assert "container_name" not in service, name
        assert "ports" not in service, name
        assert "media:/app/var/media" in service["volumes"], name


def test_the_proxy_is_the_one_way_in_and_reaches_gunicorn_where_it_listens():
    published = [port for name, service in SERVICES.items() for port in service.get("ports", [])]
    assert published == ["127.0.0.1:8000:80"]
    assert "ports" in SERVICES["proxy"]
    bind = next(arg for arg in SERVICES["web"]["command"] if arg.startswith("--bind="))
    port = bind.rsplit(":", 1)[1]
    assert re.search(rf"server web:{port} resolve;", NGINX)
    assert re.search(r"listen 80;", NGINX)


def test_the_proxy_serves_the_uploads_of_the_shared_volume_as_downloads():
    mount = next(v for v in SERVICES["proxy"]["volumes"] if v.startswith("media:"))
    folder = mount.split(":")[1]
    assert re.search(rf"location /media/ {{\s*alias {re.escape(folder)}/;", NGINX)
    for header in ("Content-Disposition", "X-Content-Type-Options", "Content-Security-Policy"):
        assert f"add_header {header}" in NGINX


def test_there_is_one_beat_and_it_is_not_a_service_that_scales():
    beats = [name for name, service in SERVICES.items() if "beat" in service.get("command", [])]
    assert beats == ["beat"]
    assert "worker" in SERVICES["worker"]["command"]
    assert "beat" not in SERVICES["worker"]["command"]
    assert "-B" not in SERVICES["worker"]["command"]
