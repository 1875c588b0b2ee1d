FROM ruby:3.3
RUN gem install bundler rake:13.2.1
