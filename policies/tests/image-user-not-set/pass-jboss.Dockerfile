FROM quay.io/wildfly/wildfly:33.0.2.Final-jdk21
COPY target/app.war /opt/jboss/wildfly/standalone/deployments/
