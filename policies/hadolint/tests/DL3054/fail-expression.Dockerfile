FROM rust:1.79 AS build
WORKDIR /src
COPY . .
RUN cargo build --release

FROM debian:bookworm-slim
# an SPDX expression is not one identifier: hadolint reports it too
LABEL org.opencontainers.image.licenses="MIT OR Apache-2.0"
COPY --from=build /src/target/release/tool /usr/local/bin/tool
