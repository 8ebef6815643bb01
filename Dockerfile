# Builds the single whereas binary; the image serves it. Used by docker-compose.yml.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /whereas ./cmd/whereas

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /whereas /whereas
EXPOSE 8080
ENTRYPOINT ["/whereas"]
CMD ["serve"]
