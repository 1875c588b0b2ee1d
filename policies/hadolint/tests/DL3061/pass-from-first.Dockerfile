FROM busybox:1.36 AS tools
RUN echo ready > /ready
FROM scratch
COPY --from=tools /ready /ready
