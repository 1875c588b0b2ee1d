FROM python:3.8-slim-buster AS build
FROM ubuntu:18.04 AS old
FROM node:16-alpine AS n
FROM centos:7 AS c
FROM debian:buster-slim AS d
FROM python:3.12-slim-bullseye AS base
FROM base
