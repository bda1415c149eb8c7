# mlcareer's container image. Build from the repository's top folder:
#   docker build -t mlcareer .      (or: docker compose build)
# The build steps are deploy/build.sh, which the tests also run (tests/deploy/), so what this
# image installs is tested even where no container engine exists.
ARG PYTHON_IMAGE=python:3.12-slim-bookworm

# --- build: the wheel and a virtual environment in /opt/mlcareer -------------------------
FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY pyproject.toml setup.py README.md ./
COPY bot ./bot
COPY knowledge ./knowledge
COPY deploy ./deploy
RUN sh deploy/build.sh /src /opt/mlcareer

# --- run: the same slim Python, the environment, a non-root user; no pip, no compilers ---
FROM ${PYTHON_IMAGE}
# The base image's own pip and setuptools are not needed to run the bot.
RUN python -m pip uninstall --yes --quiet pip setuptools wheel \
    && groupadd --system --gid 10001 mlcareer \
    && useradd --system --uid 10001 --gid mlcareer --home-dir /data --no-create-home \
        --shell /usr/sbin/nologin mlcareer \
    && mkdir /data && chown mlcareer:mlcareer /data && chmod 700 /data
COPY --from=build /opt/mlcareer /opt/mlcareer
ENV PATH=/opt/mlcareer/bin:$PATH \
    MLCAREER_DATA_DIR=/data \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
USER mlcareer
WORKDIR /data
# The database (mlcareer.db) lives here: keep it on a volume so it outlives the container.
VOLUME ["/data"]
# Slack's HTTP mode (mlcareer run slack --http); Socket Mode and Discord need no open port.
EXPOSE 3000
# mlcareer run stops cleanly on SIGTERM, letting a tip being posted finish and be recorded.
STOPSIGNAL SIGTERM
# Asks mlcareer run's ops endpoint, GET http://127.0.0.1:8081/healthz (MLCAREER_OPS_HOST and
# MLCAREER_OPS_PORT move it), with the standard library: the slim image has no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["/opt/mlcareer/bin/mlcareer-healthcheck"]
ENTRYPOINT ["mlcareer"]
CMD ["run"]
