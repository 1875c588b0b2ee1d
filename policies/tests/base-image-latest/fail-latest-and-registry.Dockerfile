FROM registry.example.com:5000/team/base:latest AS base
FROM base
FROM python
