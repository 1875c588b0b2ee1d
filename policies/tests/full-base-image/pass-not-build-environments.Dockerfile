# debian, php and buildpack-deps' scm variant are not build environments.
FROM buildpack-deps:bookworm-scm AS tools
FROM debian:12 AS base
FROM php:8.3-apache
COPY src/ /var/www/html/
