FROM ruby:3.3
RUN gem install bundler -v 2.5.11 && gem install rake:13.2.1 && gem install --version 7.1.3 rails
