FROM python:3.13-slim-bookworm AS build
FROM node:22-alpine3.22 AS n
FROM ubuntu:24.04 AS u
FROM debian:12-slim AS d
FROM alpine:3.22 AS a
FROM python:3.11 AS p
FROM golang:1.26 AS g
FROM python:3.100 AS notreal
FROM rockylinux:9
