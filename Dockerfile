# The dashboard as one container: one Streamlit process per container (one core; scale with
# replicas), installed from the lock file, running as an unprivileged user.
#
#   docker build -t dashlib .
#   docker run --rm -p 8501:8501 dashlib                      # http://localhost:8501
#   docker run --rm -p 8501:8501 -v "$PWD/data:/data:ro" -e DASHLIB_DATA_DIR=/data dashlib
#   docker run --rm -p 8501:8501 -e DASHLIB_PUBLIC_URL=https://reach.example.org dashlib
#
# It runs serve_app.py: the app plus link previews (each page's HTML with its own title,
# description and og:image), which name DASHLIB_PUBLIC_URL when set, else the request's Host.
#
# Kubernetes: deploy/k8s/. Several replicas need cookie affinity at the balancer
# (deploy/README.md).
FROM python:3.11-slim-bookworm

# Chromium renders the PNG/SVG downloads and the link previews' social cards (kaleido). Build
# with --build-arg WITH_CHROMIUM=0 for a ~400 MB smaller image without image downloads (the
# HTML and CSV downloads still work; link previews name no image).
ARG WITH_CHROMIUM=1
RUN if [ "$WITH_CHROMIUM" = 1 ]; then \
        apt-get update \
        && apt-get install -y --no-install-recommends chromium fonts-dejavu-core \
        && rm -rf /var/lib/apt/lists/*; \
    fi

# uv, pinned; it installs exactly what uv.lock says (--locked fails if the lock is stale).
RUN pip install --no-cache-dir uv==0.13.9
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1

WORKDIR /app
# Dependencies first (a layer that survives code changes), then the project itself.
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --locked --no-dev --no-install-project
COPY src ./src
COPY app.py serve_app.py ./
COPY pages ./pages
COPY static ./static
COPY .streamlit/config.toml ./.streamlit/config.toml
RUN uv sync --locked --no-dev

# The shipped data; a deployment mounts its own, read-only, and sets DASHLIB_DATA_DIR.
COPY data ./data

RUN useradd --uid 10001 --user-group --no-create-home --home-dir /nonexistent app
USER 10001:10001

ENV PATH=/app/.venv/bin:$PATH \
    BROWSER_PATH=/usr/bin/chromium \
    DASHLIB_EDITOR=off
EXPOSE 8501
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=2)"]
CMD ["streamlit", "run", "serve_app.py", \
     "--server.address=0.0.0.0", "--server.port=8501", "--server.headless=true", \
     "--browser.gatherUsageStats=false", "--server.fileWatcherType=none"]
