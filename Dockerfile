# syntax=docker/dockerfile:1
#
# One image recipe for every Parley app:
#   docker build --build-arg APP=realtime-gateway -t parley/realtime-gateway:dev .
# APP is one of: api-gateway (default), realtime-gateway, message-service, presence-service.
#
# Stages: deps (all dependencies) -> build (`npm run build` -> dist/) -> prod-deps (production dependencies only)
# -> runtime (node:20-bookworm-slim, non-root, dist + production node_modules).

ARG NODE_IMAGE=node:20-bookworm-slim

# --- deps: every dependency, cached on the manifests alone ------------------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# `npm ci` rejects this lockfile (platform-specific optional packages); `npm install` honours it.
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund

# --- build ------------------------------------------------------------------------------------------------------
FROM deps AS build
COPY . .
RUN npm run build

# --- prod-deps: runtime dependencies only --------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --omit=dev --no-audit --no-fund && npm cache clean --force

# --- runtime ----------------------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ARG APP=api-gateway
# PORT is documentation for EXPOSE only; the app's own default port applies unless PORT is set at run time
# (api-gateway 3000, realtime-gateway 3001, message-service 3010, presence-service 3020).
ARG PORT=3000
ENV NODE_ENV=production \
    APP=${APP}
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/dist ./dist
# Fail the build, not the deployment, when APP names no built app.
RUN test -f "dist/apps/${APP}/main.js" || { echo "no dist/apps/${APP}/main.js: unknown APP '${APP}'" >&2; exit 1; }

# Numeric uid/gid so Kubernetes' runAsNonRoot can verify it; the files above stay root-owned and read-only for it.
USER 10001:10001
EXPOSE ${PORT}

# The slim image has no curl/wget: probe /health/ready with node itself, on $PORT or the app's default port.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "const p=process.env.PORT||{'api-gateway':3000,'realtime-gateway':3001,'message-service':3010,'presence-service':3020}[process.env.APP];require('http').get({host:'127.0.0.1',port:p,path:'/health/ready',timeout:4000},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1)).on('timeout',()=>process.exit(1))"]

# `exec` so node is PID 1 and receives SIGTERM itself (graceful shutdown under SHUTDOWN_TIMEOUT_MS).
CMD ["/bin/sh", "-c", "exec node dist/apps/${APP}/main.js"]
