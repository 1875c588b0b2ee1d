FROM ruby:3.3-alpine
RUN gem install --no-document rails && gem install -N puma nokogiri
