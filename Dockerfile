# syntax=docker/dockerfile:1
# The image `opm controller install` deploys: the packed @opm/sdk (the `opm` CLI with its CUE
# engine) on Node 20, running `opm controller run` as a non-root user. Nothing here downloads
# prebuilt binaries: the CUE engine is built from the Go module proxy by `npm pack`'s prepack.
# Build and push it yourself (docs/controller.md); no image is published from this repository.
#   docker build -t registry.example.com/opm:0.1.0 .
FROM golang:1.26-bookworm AS go

FROM node:20-bookworm AS build
COPY --from=go /usr/local/go /usr/local/go
ENV PATH=/usr/local/go/bin:$PATH
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm pack --pack-destination /out

FROM node:20-bookworm-slim
COPY --from=build /out/*.tgz /tmp/
RUN npm install --global --omit=dev --no-audit --no-fund /tmp/*.tgz zod@4 && rm /tmp/*.tgz
USER 65532:65532
ENV HOME=/cache XDG_CACHE_HOME=/cache
ENTRYPOINT ["opm"]
CMD ["controller", "run", "--metrics-addr", ":8080"]
