package statuschaos.streampark;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The StreamPark version on the classpath and what differs between the versions the driver runs.
 * The differences are data (which Spring-injected fields each console class has), so one source
 * tree compiles against either version's classpath; a field the version should have but the
 * classpath's class lacks is a wrong classpath, reported as such.
 */
enum ConsoleVersion {
  V2_1_3("2.1.3", false),
  /**
   * 2.1.4: FlinkK8sWatcherWrapper also has `flinkEnvService` (toTrackId reads the Flink env's
   * flink-conf for TrackId.properties), FlinkK8sChangeEventListener also has
   * `flinkK8sWatcherWrapper` and `registerFlinkK8sWatcher`, and KubernetesRetriever has the
   * deployment-lost grace.
   */
  V2_1_4("2.1.4", true);

  final String version;
  final boolean hasDeploymentLostGrace;

  ConsoleVersion(String version, boolean v214) {
    this.version = version;
    this.hasDeploymentLostGrace = v214;
  }

  boolean isAtLeast214() {
    return this == V2_1_4;
  }

  private static final String POM_PROPERTIES = "META-INF/maven/org.apache.streampark/streampark-console-service/pom.properties";

  /** The console-service version on the classpath (its jar's pom.properties), without loading any StreamPark class. */
  static String onClasspath() throws IOException {
    try (InputStream in = ConsoleVersion.class.getClassLoader().getResourceAsStream(POM_PROPERTIES)) {
      if (in == null) return null;
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    }
  }

  static ConsoleVersion of(String version) {
    for (ConsoleVersion candidate : values()) {
      if (candidate.version.equals(version)) return candidate;
    }
    return null;
  }
}
