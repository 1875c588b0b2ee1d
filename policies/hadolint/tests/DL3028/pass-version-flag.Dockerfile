FROM ruby:3.3
RUN gem install -v 2.5.11 bundler && gem i --version=13.2.1 rake && gem i rails:7.1.3
