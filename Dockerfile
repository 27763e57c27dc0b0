# Hyperdesk: multi-stage build. Docker is not run in CI here; tests/docker.test.ts keeps this file
# consistent with package.json.

FROM node:24-slim AS build
# better-sqlite3 compiles from source (no prebuilt binary is downloaded).
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN npm ci && npm run build && npm prune --omit=dev

FROM node:24-slim
ENV NODE_ENV=production MALLOC_ARENA_MAX=2 HOST=0.0.0.0 PORT=3000 DATABASE_URL=file:/app/data/hyperdesk.db
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json prisma.config.ts ./
COPY prisma ./prisma
COPY src/db ./src/db
COPY static ./static
RUN mkdir -p /app/data && chown node:node /app/data
USER node
# The SQLite file lives here; with DATABASE_URL=postgresql://... the volume stays empty.
VOLUME /app/data
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# AUTH_SECRET must be set (docker run -e AUTH_SECRET=$(openssl rand -base64 32) ...).
CMD ["sh", "-c", "node dist/src/cli/check-schema.js && npx prisma migrate deploy && exec node --liftoff-only --max-semi-space-size=1 --heap-growing-percent=30 dist/src/server.js"]
