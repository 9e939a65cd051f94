# syntax=docker/dockerfile:1
#
# Production image for the congress Django project.
#   docker build -t congress .
# Runtime configuration comes from the environment (see .env.example).

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=congress.settings.production

# gettext: Django's i18n management commands (compiled .mo files are
# committed, so compilemessages is not run at build time).
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

COPY . /app

# The code is also imported from /app (PYTHONPATH above) so that BASE_DIR in
# the settings points at /app, where static/, templates/ and locale/ live,
# whatever the entry point (manage.py, gunicorn or celery).
RUN pip install --no-cache-dir . \
    && rm -rf build *.egg-info src/*.egg-info

# Collect static files at build time (into /app/var/staticfiles). The
# variables below are dummies that only exist for this RUN step; they are not
# persisted in the image. production.py rejects a SECRET_KEY shorter than 32
# characters, hence the padding.
RUN SECRET_KEY=build-only-dummy-key-not-used-at-runtime \
    ALLOWED_HOSTS=localhost \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --noinput \
    && rm -f /tmp/build.sqlite3

# Unprivileged runtime user. var/ (media uploads, mounted as a volume in
# docker-compose.yml) must be writable by it; a named volume mounted on
# /app/var/media inherits this ownership when first created.
RUN groupadd --system app \
    && useradd --system --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app \
    && mkdir -p /app/var/media \
    && chown -R app:app /app/var

USER app

EXPOSE 8000

CMD ["gunicorn", "congress.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
