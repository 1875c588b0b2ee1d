FROM eclipse-temurin:21-jre
ADD "build/distributions/service-1.4.0.zip" /opt/
