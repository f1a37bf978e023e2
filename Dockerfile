# Hookport: inbound webhook gateway.
#   docker compose up -d                     # with PostgreSQL: see docker-compose.yml
#   docker build -t hookport . && docker run -p 3000:3000 --env-file .env -e DATABASE_URL=postgres://… hookport
# The image refuses to start without DATABASE_URL (ALLOW_EMBEDDED_DATABASE=false below): the embedded
# database survives a crash of the process but not a power loss or an OS crash. To accept that, e.g.
# for a trial: -e ALLOW_EMBEDDED_DATABASE=true -v hookport-data:/data (it then lives in /data).

# Base images are pinned by digest (the tag is for people; Docker pulls the digest). To refresh:
#   docker buildx imagetools inspect node:24-bookworm-slim      # "Digest:" of the index
#   or: docker pull node:24-bookworm-slim && docker inspect --format '{{index .RepoDigests 0}}' node:24-bookworm-slim
# then replace the sha256 in both FROM lines (Renovate proposes it weekly, see renovate.json).

# ---- build: compile TypeScript, then keep only the runtime dependencies ----
FROM node:24-bookworm-slim@sha256:a9f5f7c91a432850b2a8a7797adf5eadb6c733ceed61167806cee7ea7fbc29df AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Exactly the locked versions (the lockfile lists every platform's optional packages), or fail.
RUN npm ci --no-audit --no-fund
# tsconfig.build.json compiles what runs: src/ and providers/ (bench and chaos have their own).
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY providers ./providers
RUN npm run build && npm prune --omit=dev

# ---- runtime ----
FROM node:24-bookworm-slim@sha256:a9f5f7c91a432850b2a8a7797adf5eadb6c733ceed61167806cee7ea7fbc29df
WORKDIR /app
# SHUTDOWN_TIMEOUT_MS below `docker stop`'s 10 s grace, so in-flight webhooks finish before SIGKILL.
# ALLOW_EMBEDDED_DATABASE=false: a container never silently runs on the non-durable embedded database.
ENV NODE_ENV=production PORT=3000 DATA_DIR=/data SHUTDOWN_TIMEOUT_MS=8000 ALLOW_EMBEDDED_DATABASE=false
# The app is owned by root and read-only to the process: a compromised process cannot rewrite
# the code or the dependencies it runs. Only the data directory belongs to the runtime user.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/dist/providers ./dist/providers
# Found at start-up by src/db/migrate.ts (it searches upward from dist/src/db for migrations/meta/_journal.json).
COPY migrations ./migrations
# `node` (uid 1000 in the base image) owns the data directory, mode 0700, for the embedded
# database (only used with ALLOW_EMBEDDED_DATABASE=true); nothing else is writable by it.
RUN mkdir -p /data && chown 1000:1000 /data && chmod 0700 /data
VOLUME ["/data"]
# A fixed numeric uid:gid, so Kubernetes runAsNonRoot can check it and volume ownership is stable.
USER 1000:1000
EXPOSE 3000
# No curl in slim images: node itself asks the liveness route (it touches no database).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "require('http').get({host:'127.0.0.1',port:process.env.PORT||3000,path:'/health/live',timeout:4000},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1)).on('timeout',()=>process.exit(1))"]
# node is PID 1 and server.ts handles SIGTERM/SIGINT itself (drain HTTP, finish the worker's events,
# close the database); it starts no child processes, so no init is needed to reap zombies.
# The flags keep peak RSS near 150 MiB under load (bench/production-flags.ts says why).
CMD ["node", "--max-semi-space-size=8", "--heap-growing-percent=30", "dist/src/server.js"]
