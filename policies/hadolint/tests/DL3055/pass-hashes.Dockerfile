FROM golang:1.22-alpine
ARG VCS_REF
LABEL org.opencontainers.image.revision=$VCS_REF
LABEL org.opencontainers.image.revision="2dbfae9"
LABEL org.opencontainers.image.revision=43c572f1272b6b3171dd1db9e41b7027128ce080
