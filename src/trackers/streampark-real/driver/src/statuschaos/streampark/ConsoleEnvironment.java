package statuschaos.streampark;

import io.fabric8.kubernetes.api.model.Cluster;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;

/**
 * The console process's surroundings, set before any StreamPark class builds a client: the
 * kubeconfig every fabric8 client reads (StreamPark builds `new DefaultKubernetesClient()` per
 * call, Flink's client builds its own: both read the `kubeconfig` system property first), and
 * the temp folder StreamPark writes pod logs into (KubernetesDeploymentHelper.getJobErrorLog:
 * java.io.tmpdir), which must lie in the work folder.
 */
final class ConsoleEnvironment {
  private ConsoleEnvironment() {}

  static void prepare(Setup setup) throws Setup.BadSetup {
    // the harness's kubeconfig only: no in-cluster service account when the harness itself runs in a pod
    System.setProperty("kubernetes.auth.tryServiceAccount", "false");
    String server = kubeconfigServer(setup.kubeconfig);
    if (setup.apiServer != null && !sameAddress(server, setup.apiServer)) {
      throw new Setup.BadSetup("the kubeconfig's server " + server + " is not setup.endpoints.apiServer " + setup.apiServer + ": StreamPark's Kubernetes calls would not go through the apiserver proxy");
    }
    System.setProperty("kubeconfig", setup.kubeconfig);
    // fabric8 lets KUBERNETES_MASTER override the kubeconfig's server; the system property wins over it
    System.setProperty("kubernetes.master", server);

    File tmp = new File(System.getProperty("java.io.tmpdir"));
    try {
      Files.createDirectories(tmp.toPath());
      if (!tmp.getCanonicalPath().startsWith(setup.workDir.getCanonicalPath() + File.separator)) {
        throw new Setup.BadSetup("java.io.tmpdir " + tmp + " is outside the work folder " + setup.workDir + ": StreamPark writes pod logs there; start the JVM with -Djava.io.tmpdir=<workDir>/tmp");
      }
    } catch (IOException e) {
      throw new Setup.BadSetup("java.io.tmpdir " + tmp + ": " + e);
    }
    boolean workspaceArchive = setup.apps.stream().anyMatch(app -> app.archive().equals("workspace"));
    if (workspaceArchive && System.getenv("HADOOP_CONF_DIR") == null && System.getenv("HADOOP_HOME") == null) {
      ProtocolOut.log("warn", "an app's archive is in StreamPark's workspace, but neither HADOOP_CONF_DIR nor HADOOP_HOME is set: StreamPark 2.1.3 resolves the workspace through Hadoop's configuration and reads no archive without it");
    }
  }

  /** The server of the kubeconfig's current context, read with fabric8's own parser; one it cannot use is a bad setup. */
  private static String kubeconfigServer(String path) throws Setup.BadSetup {
    io.fabric8.kubernetes.api.model.Config config;
    try {
      config = KubeConfigUtils.parseConfigFromString(Files.readString(new File(path).toPath()));
    } catch (IOException | RuntimeException e) {
      throw new Setup.BadSetup("the kubeconfig " + path + " cannot be read by fabric8: " + e.getMessage());
    }
    NamedContext current = config == null ? null : KubeConfigUtils.getCurrentContext(config);
    Cluster cluster = current == null ? null : KubeConfigUtils.getCluster(config, current.getContext());
    if (cluster == null || cluster.getServer() == null || cluster.getServer().isBlank()) {
      throw new Setup.BadSetup("the kubeconfig " + path + " has no current context with a cluster and a server");
    }
    return cluster.getServer();
  }

  private static boolean sameAddress(String a, String b) {
    try {
      URI x = URI.create(a);
      URI y = URI.create(b);
      return x.getHost() != null && x.getHost().equals(y.getHost()) && x.getPort() == y.getPort();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
