# Production image: slim Python, dependencies pinned by constraints.txt (as `make` installs them),
# static files collected at build time, gunicorn as a non-root user. Settings come from the
# environment (docs/deployment-and-operations.md); migrations run as a release step, never in the start command.
# One image, two processes: web by default (the CMD below), and the task worker with
#   python manage.py worker
# (scheduled publishing, related terms, downloads, Wagtail's indexes; docker-compose.yml runs both).
FROM python:3.11-slim-bookworm

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    PORT=8000

RUN useradd --create-home --uid 1000 glossary
WORKDIR /app

COPY pyproject.toml constraints.txt ./
RUN pip install --no-cache-dir -c constraints.txt .

COPY --chown=glossary:glossary . .

# collectstatic needs settings to load; these build-time values are not used at run time.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=build.invalid REDIS_URL=redis://build.invalid/0 \
    python manage.py collectstatic --noinput

USER glossary
EXPOSE 8000
CMD ["sh", "-c", "exec gunicorn -c config/gunicorn.py config.wsgi:application --bind 0.0.0.0:${PORT} --workers ${WEB_CONCURRENCY:-3} --access-logfile -"]
