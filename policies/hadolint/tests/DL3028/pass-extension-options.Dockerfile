FROM ruby:3.3
RUN gem install nokogiri:1.16.5 -- --use-system-libraries --with-xml2-include=/usr/include/libxml2
RUN gem install pg:1.5.6 -- --with-pg-config /usr/bin/pg_config
RUN gem install mysql2:0.5.6 --no-document --use-system-libraries true
