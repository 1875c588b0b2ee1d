FROM debian
RUN echo hi
FROM localhost:5000/team/base AS app
