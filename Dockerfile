# The one dealwire binary. Out of the box the image runs "dealwire run" (every
# stage, embedded NATS and SQLite) as the non-root user 65532, keeping its
# state in the volume /data; docker-compose.yml runs the same image as
# separate stages against NATS and Elasticsearch.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /dealwire ./cmd/dealwire
# The data directory, empty, for the runtime image (which has no shell).
RUN mkdir -p /rootfs/data

FROM gcr.io/distroless/static-debian12
COPY --from=build /dealwire /dealwire
# Owned by the user the binary runs as: a new volume mounted at /data copies
# the image's directory, owner included, so the user can write to it.
COPY --from=build --chown=65532:65532 /rootfs/data /data
# data_dir (config.go reads DEALWIRE_DATA_DIR): JetStream files under
# /data/nats, the SQLite index at /data/dealwire.db.
ENV DEALWIRE_DATA_DIR=/data
# Listen beyond the container's loopback; publish the port on 127.0.0.1, or
# set DEALWIRE_HTTP_TOKEN and put TLS in front of it.
ENV DEALWIRE_HTTP_ADDR=0.0.0.0:8080
VOLUME ["/data"]
WORKDIR /data
# distroless's "nonroot" user, numeric so that runAsNonRoot can check it.
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/dealwire"]
CMD ["run"]
