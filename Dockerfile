# syntax=docker/dockerfile:1
#
# One image for every Streamdex service (producer, consumer-processor, consumer-indexer,
# topics-init, dashboards-import); docker-compose.yml picks the entrypoint per service.
#
#   docker build -t streamdex:local .
#
# Two stages: the build stage has compilers and -dev headers to compile librdkafka
# (the native core of @confluentinc/kafka-javascript) and the TypeScript; the runtime
# stage gets only the shared libraries librdkafka links against, the production
# node_modules and the compiled JavaScript.

# --------------------------------------------------------------------------------------
FROM node:24-bookworm-slim AS build

# Toolchain for node-gyp plus the headers of the libraries librdkafka links dynamically.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      build-essential python3 \
      libssl-dev libsasl2-dev zlib1g-dev libzstd-dev liblz4-dev libcurl4-openssl-dev \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Link librdkafka against Debian's libssl/libsasl2/zlib/zstd/lz4/curl instead of letting
# its build download static copies (the same choice as scripts/node-env.sh).
ENV CKJS_LINKING=dynamic
# Compile native addons against this image's own Node headers (/usr/local/include/node)
# rather than downloading a header tarball.
ENV npm_config_nodedir=/usr/local

# Dependencies first, so this slow layer (librdkafka compile) is cached until the lock
# file changes.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# Sources (.dockerignore keeps tests, local stack artefacts and secrets out).
COPY . .
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

# --------------------------------------------------------------------------------------
FROM node:24-bookworm-slim AS runtime

# Runtime halves of the -dev packages above (librdkafka's shared dependencies).
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libssl3 libsasl2-2 zlib1g libzstd1 liblz4-1 libcurl4 \
 && rm -rf /var/lib/apt/lists/*

ENV NODE_ENV=production
WORKDIR /app

COPY --from=build --chown=node:node /app/package.json ./package.json
COPY --from=build --chown=node:node /app/node_modules ./node_modules
# tsc's rootDir is the repo root, so the entrypoints are dist/<package>/.../main.js.
COPY --from=build --chown=node:node /app/dist ./dist
# Saved objects that dashboards-import loads; found at /app/dashboards/*.ndjson.
COPY --from=build --chown=node:node /app/dashboards/*.ndjson ./dashboards/

# The unprivileged user that the node base image provides.
USER node

# Prometheus /metrics and /healthz of the long-running services (METRICS_PORT).
EXPOSE 9464

# docker-compose.yml sets the command of every service; this default is the processor.
CMD ["node", "dist/consumer-processor/src/main.js"]
