# sitevpn in a container: the build in dist/ on node:20-slim, run by an unprivileged user, state
# (SQLite file, master key) on the /data volume. The simulated data plane needs no capability.
#   docker build -t sitevpn .
#   docker run -d --name sitevpn -p 127.0.0.1:8787:8787 -v sitevpn-data:/data sitevpn
#   docker logs sitevpn        # the first start prints the bootstrap access key once

FROM node:20-slim AS build
WORKDIR /app
# better-sqlite3 builds from source when no prebuilt binary fits the platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:20-slim
ENV NODE_ENV=production \
    SITEVPN_DATA_DIR=/data \
    SITEVPN_HOST=0.0.0.0 \
    SITEVPN_PORT=8787
RUN groupadd --system --gid 10001 sitevpn \
 && useradd --system --uid 10001 --gid sitevpn --home-dir /data --no-create-home --shell /usr/sbin/nologin sitevpn \
 && mkdir -p /data \
 && chown sitevpn:sitevpn /data \
 && chmod 0700 /data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY bin ./bin
USER 10001:10001
VOLUME ["/data"]
EXPOSE 8787
# Up when the HTTP server answers at all (no answer, or a 5xx, is unhealthy).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.SITEVPN_PORT || 8787) + '/healthz').then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "/app/bin/sitevpn.js"]
CMD ["serve"]
