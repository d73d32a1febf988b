package statuschaos.streampark;

import io.fabric8.kubernetes.client.DefaultKubernetesClient;
import org.apache.flink.client.deployment.ClusterClientFactory;
import org.apache.flink.client.deployment.DefaultClusterClientServiceLoader;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.kubernetes.configuration.KubernetesConfigOptions;

/**
 * Loads what the first poll needs before the scenario's time 0, as a console that has been up
 * for a while has it loaded: without this the first poll of a fresh JVM spends 2–7 s of wall
 * time loading Flink's cluster client, fabric8 and json4s, and on its first TLS handshake with
 * the API server (2.1.3's startup query makes one before time 0, 2.1.4's does not). It touches
 * none of StreamPark's state and makes one call, GET /version, before the scenario's time 0: it
 * builds a Kubernetes client from the kubeconfig, asks the version, builds Flink's Kubernetes
 * cluster descriptor and a REST cluster client, and closes them unused. Not run for a console restart:
 * a restarted console starts cold.
 */
final class ConsoleWarmup {
  private static final String[] CLASSES = {
    "org.apache.streampark.flink.kubernetes.KubernetesRetriever$",
    "org.apache.streampark.flink.kubernetes.ingress.IngressController$",
    "org.apache.streampark.flink.kubernetes.helper.KubernetesDeploymentHelper$",
    "org.apache.flink.kubernetes.KubernetesClusterDescriptor",
    "org.apache.flink.kubernetes.kubeclient.Fabric8FlinkKubeClient",
    "org.apache.flink.client.program.rest.RestClusterClient",
    "org.apache.hc.client5.http.fluent.Request",
    "org.apache.hc.client5.http.fluent.Executor",
    "org.json4s.jackson.JsonMethods$",
    "org.json4s.DefaultFormats$",
  };

  private ConsoleWarmup() {}

  static void run() {
    long started = System.nanoTime();
    try {
      for (String name : CLASSES) Class.forName(name, true, ConsoleWarmup.class.getClassLoader());
      try (DefaultKubernetesClient client = new DefaultKubernetesClient()) {
        client.getVersion(); // GET /version: TLS and the HTTP client warm, before any fault
      }
      Configuration flinkConfig = new Configuration();
      flinkConfig.setString(DeploymentOptions.TARGET, "kubernetes-application");
      flinkConfig.setString(KubernetesConfigOptions.CLUSTER_ID, "statuschaos-warmup");
      ClusterClientFactory<?> factory = new DefaultClusterClientServiceLoader().getClusterClientFactory(flinkConfig);
      factory.createClusterDescriptor(flinkConfig).close();
      // the REST client Flink builds on retrieve (netty), pointed nowhere and closed unused
      Configuration restConfig = new Configuration();
      restConfig.setString(RestOptions.ADDRESS, "127.0.0.1");
      restConfig.setInteger(RestOptions.PORT, 9);
      try (RestClusterClient<String> client = new RestClusterClient<>(restConfig, "statuschaos-warmup")) {
        client.getWebInterfaceURL();
      }
    } catch (Exception | LinkageError e) {
      System.err.println("[driver] warm-up: " + e); // only slower: the first poll loads what it needs itself
    }
    System.err.println("[driver] warm-up took " + (System.nanoTime() - started) / 1_000_000 + " ms");
  }
}
