# The production image: one image for the web, worker and beat services of docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# gettext: compilemessages. psycopg[binary] and Pillow come as wheels with their libraries.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --create-home --uid 1000 ess
WORKDIR /app

# Dependencies first: this layer is rebuilt only when requirements.txt changes.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# Build-time commands import the settings. Without SECRET_KEY and DATABASE_URL they would
# generate the embedded setup's key file into the image: the placeholder below exists only
# during these two commands; the containers get the real key from the environment (.env).
RUN SECRET_KEY=build-time-placeholder python manage.py compilemessages --ignore=.venv --verbosity 0 \
    && mkdir -p staticfiles media private \
    && chown ess:ess staticfiles media private

USER ess
# The web service runs collectstatic again at start; at build it makes the image usable alone.
# The manifest of hashed names it writes is what pages link to with DEBUG off.
RUN SECRET_KEY=build-time-placeholder python manage.py collectstatic --noinput --verbosity 0

EXPOSE 8000
CMD ["gunicorn", "ess_platform.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
