# Builds the one dealwire binary; docker-compose.yml runs it as separate stages.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /dealwire ./cmd/dealwire

FROM gcr.io/distroless/static-debian12
COPY --from=build /dealwire /dealwire
COPY configs /configs
WORKDIR /
USER nonroot
ENTRYPOINT ["/dealwire"]
