# The production image: the application under gunicorn, or its Celery worker or beat
# (docker-compose.yml runs one image three ways).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# gettext compiles the translations below; Pango, HarfBuzz and a font let
# WeasyPrint draw the yearly report's PDF (psycopg2-binary brings its own libpq).
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends gettext \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# Translations and static files are part of the image, built once here. The key
# only lets the settings load for these two commands; it is not kept.
RUN SECRET_KEY=image-build-only python manage.py compilemessages --ignore=var \
    && SECRET_KEY=image-build-only python manage.py collectstatic --noinput \
    && useradd --system --home-dir /app --shell /usr/sbin/nologin tejido \
    && mkdir -p /app/var/media \
    && chown -R tejido /app/var

USER tejido
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
