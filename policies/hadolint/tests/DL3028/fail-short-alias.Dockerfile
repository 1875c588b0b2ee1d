FROM ruby:3.3-slim
RUN gem i --no-document bundler:2.5.11 foreman
