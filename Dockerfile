# One image for the gateway and the three subgraphs; docker-compose.yml picks the entry point.
FROM node:20-bookworm-slim
# A larger young generation: a gateway allocates a lot of short-lived objects per request, and
# with the 16 MiB default it spent 11 % of its CPU in scavenges (docs/measurements.md).
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-semi-space-size=32 \
    ONNXRUNTIME_NODE_INSTALL=skip
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts=false && npm cache clean --force
COPY . .
USER node
