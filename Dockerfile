# The image the Kubernetes manifests in k8s/ run: ghcr.io/ferry-dev/ferry:<version>.
# Build the jar first (mvn -o -q package -pl coordinator -am -DskipTests), then:
#   docker build -t ghcr.io/ferry-dev/ferry:0.1.0-SNAPSHOT .
# CI does not build it; k8s/ tests check the manifests against this entrypoint and the CLI.
FROM eclipse-temurin:17-jre

LABEL org.opencontainers.image.title="ferry" \
      org.opencontainers.image.description="Replicates container images between OCI registries" \
      org.opencontainers.image.source="https://github.com/ferry-dev/ferry"

COPY coordinator/target/ferry.jar /opt/ferry/ferry.jar

# JSON log lines for the cluster's log collector; the heap follows the container's memory limit.
ENV FERRY_LOG_FORMAT=json \
    FERRY_LOG_LEVEL=INFO \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"

# Any non-root user; the manifests set the same one and a read-only root file system.
USER 65532:65532
WORKDIR /var/lib/ferry

ENTRYPOINT ["java", "-jar", "/opt/ferry/ferry.jar"]
CMD ["--help"]
