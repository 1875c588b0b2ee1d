FROM eclipse-temurin:21-jre
LABEL org.opencontainers.image.source="https://github.com/acme/billing"
LABEL "com.acme.team"="billing"
COPY target/billing.jar /opt/billing.jar
CMD ["java", "-jar", "/opt/billing.jar"]
