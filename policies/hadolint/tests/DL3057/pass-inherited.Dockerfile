FROM eclipse-temurin:21-jre AS base
HEALTHCHECK --interval=30s --timeout=3s CMD curl -fsS http://localhost:8080/actuator/health || exit 1

FROM base
COPY target/app.jar /opt/app.jar
CMD ["java", "-jar", "/opt/app.jar"]
