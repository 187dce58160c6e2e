# The emulator as a container: `docker build -t telephony-emulator .`
#   docker run -p 8080:8080 -e EMULATOR_ADMIN_TOKEN=secret telephony-emulator
# Clients outside the container are not loopback, so the control plane needs the admin token; it
# answers Host names of loopback and IP addresses, and others listed in EMULATOR_ALLOWED_HOSTS.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app
COPY pyproject.toml setup.py MANIFEST.in README.md ./
COPY emulator ./emulator
COPY contracts ./contracts
COPY fixtures ./fixtures

# espeak-ng speaks what a caller hears (the dashboard's Phone tab, GET /__emulator__/calls/{id}/audio)
RUN apt-get update \
    && apt-get install -y --no-install-recommends espeak-ng \
    && rm -rf /var/lib/apt/lists/* \
    && pip install . \
    && useradd --create-home --uid 10001 emulator

USER emulator
EXPOSE 8080

# The health endpoint answers any client without the admin token; slim images have no curl, so the
# check uses the Python standard library.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/__emulator__/health' % os.environ.get('EMULATOR_PORT', '8080'), timeout=2)"]

# EMULATOR_ADMIN_TOKEN (and every other EMULATOR_* variable) given to `docker run -e` reaches
# the server unchanged: `serve` reads them at start.
CMD ["telephony-emulator", "serve", "--host", "0.0.0.0", "--port", "8080"]
