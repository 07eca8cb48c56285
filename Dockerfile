# msb in a container: docker run --rm -v "$PWD:/work" -w /work IMAGE check .
# The build stage compiles and bundles msb; the runtime keeps only the self-contained bundle
# (every dependency is inside it), so the image is the Node.js base plus well under 1 MB.
FROM node:20-alpine AS build
WORKDIR /src
COPY package.json package-lock.json ./
# scripts would run the "prepare" build before the sources are here
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts/bundle.mjs scripts/
COPY bin bin/
COPY src src/
RUN npm run build && node bin/msb.cjs --version

FROM node:20-alpine AS runtime
ENV NODE_ENV=production
COPY --from=build /src/package.json /opt/msb/
COPY --from=build /src/bin /opt/msb/bin/
COPY --from=build /src/dist/bundle /opt/msb/dist/bundle/
USER node
WORKDIR /work
ENTRYPOINT ["node", "/opt/msb/bin/msb.cjs"]
CMD ["--help"]
