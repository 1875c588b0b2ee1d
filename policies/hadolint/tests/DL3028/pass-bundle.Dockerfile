FROM ruby:3.3
COPY Gemfile Gemfile.lock ./
RUN bundle install && gem update --system 3.5.11 && gem install ./vendor/my-gem-1.0.gem
