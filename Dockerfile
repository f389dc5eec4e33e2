# syntax=docker/dockerfile:1
# One image for every app of the control plane; the APP variable picks which one runs:
#   gateway (default), identity-svc, baremetal-svc, platform-svc, audit-svc.
#   docker build -t zstack-cp:local .
#   docker run -e APP=identity-svc -e NATS_URL=nats://nats:4222 zstack-cp:local
# Secrets never go into the image or its build context (.dockerignore): the master keys reach a container
# as a file (compose `secrets:`, ENCRYPTION_KEYS_FILE=/run/secrets/...).
ARG NODE_IMAGE=node:22-bookworm-slim

# 1. build: every dependency (the compilers are devDependencies), then `npm run build`, which
#    type-checks and compiles apps/, libs/ and scripts/ to dist/ (mirroring the source tree, assets copied).
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# 2. deps: the production dependencies only, resolved from the same lock file.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# 3. runtime: node, the production node_modules, dist/ and the package files; nothing else.
#    The files belong to root and are read-only to the `node` user the apps run as.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    APP=gateway \
    PORT=8080 \
    METRICS_PORT=9100
WORKDIR /app
COPY package.json package-lock.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
# The gateway's HTTP port (its /metrics and /health/* too); a domain service's METRICS_PORT (/metrics,
# /health/live, /health/ready: the gateway has no such listener). The services take requests on NATS only.
EXPOSE 8080 9100
# gateway: GET /health/ready on PORT; a domain service: GET /health/ready on METRICS_PORT (scripts/healthcheck.ts).
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "dist/scripts/healthcheck.js"]
# exec: node is PID 1 and receives docker stop's SIGTERM itself (the apps shut down in order on it).
CMD ["/bin/sh", "-c", "exec node \"dist/apps/${APP}/src/main.js\""]
