package statuschaos.streampark;

import com.github.benmanes.caffeine.cache.Cache;
import org.apache.streampark.common.conf.InternalConfigHolder;
import org.apache.streampark.common.conf.InternalOption;
import org.apache.streampark.common.conf.K8sFlinkConfig;
import org.apache.streampark.flink.kubernetes.EndpointCache;
import org.apache.streampark.flink.kubernetes.JobStatusCache;
import org.apache.streampark.flink.kubernetes.KubernetesRetriever;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What of the harness's TrackerTiming (src/models/timing.ts) StreamPark lets a console operator
 * set, and what it hard-codes. A setup whose timing (scenario ms × setup.timeScale = wall ms) cannot
 * be honoured is refused: the real code would otherwise run at other timings than the run claims.
 *
 * <ul>
 *   <li>Set through StreamPark's own configuration (K8sFlinkConfig, read once by
 *       FlinkTrackConfig.fromConfigHub() when the watcher is registered): the poll interval and
 *       the cycle wait (Long seconds), the silent keep time (Integer seconds).
 *   <li>Set through fabric8's own system properties (JVM options of the console):
 *       kubernetes.connection.timeout / kubernetes.request.timeout, in ms.
 *   <li>Hard-coded, read from StreamPark's objects where they hold them: the REST timeouts
 *       (KubernetesRetriever), the job-status cache TTL and the REST-URL cache TTL
 *       (FlinkK8sWatchController's caches); 2.1.4's deployment-lost grace is a literal inside
 *       KubernetesRetriever.isDeploymentExists (3 minutes), so it is quoted here.
 *   <li>Not used by anything the driver runs: the flinkClient* fields (Flink's RestClusterClient
 *       of the cancel path, which the driver does not run: see Driver#cancel).
 * </ul>
 */
final class TimingPlan {
  /** KubernetesRetriever.scala v2.1.4 L141: `val timeOut = 1000 * 60 * 3L` (not in v2.1.3). */
  static final long DEPLOYMENT_LOST_GRACE_2_1_4_MS = 180_000;

  private final List<String> problems = new ArrayList<>();
  private final Map<String, Double> timing;
  private final double scale;

  private Long pollSec;
  private Long cycleSec;
  private Integer silentSec;
  private Long apiConnectMs;
  private Long apiRequestMs;

  TimingPlan(Map<String, Double> timing, double scale, ConsoleVersion version) {
    this.timing = timing;
    this.scale = scale;
    pollSec = wholeSeconds("pollIntervalMs", 1, "K8sFlinkConfig " + K8sFlinkConfig.jobStatueTrackTaskIntervalSec().key());
    cycleSec = wholeSeconds("cycleWaitMs", 1, "K8sFlinkConfig " + K8sFlinkConfig.jobStatusTrackTaskTimeoutSec().key());
    Long silent = wholeSeconds("silentKeepMs", 0, "K8sFlinkConfig " + K8sFlinkConfig.silentStateJobKeepTrackingSec().key());
    silentSec = silent == null ? null : Math.toIntExact(silent);
    apiConnectMs = wholeMillis("apiConnectTimeoutMs", "fabric8 system property kubernetes.connection.timeout");
    apiRequestMs = wholeMillis("apiRequestTimeoutMs", "fabric8 system property kubernetes.request.timeout");
    fixed("restConnectTimeoutMs", KubernetesRetriever.FLINK_REST_AWAIT_TIMEOUT_SEC().toMilliseconds(), "KubernetesRetriever.FLINK_REST_AWAIT_TIMEOUT_SEC (Flink's RestOptions.AWAIT_LEADER_TIMEOUT default)");
    fixed("restResponseTimeoutMs", KubernetesRetriever.FLINK_CLIENT_TIMEOUT_SEC().toMilliseconds(), "KubernetesRetriever.FLINK_CLIENT_TIMEOUT_SEC (Flink's ClientOptions.CLIENT_TIMEOUT default)");
    fixed("statusCacheTtlMs", expireAfterWriteMs(JobStatusCache.build()), "FlinkK8sWatchController's JobStatusCache expireAfterWrite");
    fixed("restUrlCacheTtlMs", expireAfterWriteMs(EndpointCache.build()), "FlinkK8sWatchController's EndpointCache expireAfterWrite");
    if (version.hasDeploymentLostGrace) {
      fixed("deploymentLostGraceMs", DEPLOYMENT_LOST_GRACE_2_1_4_MS, "KubernetesRetriever.isDeploymentExists (v2.1.4 L141, a literal 3 minutes)");
    }
  }

  /** Why this timing cannot be honoured, or an empty list. */
  List<String> problems() {
    return problems;
  }

  /** Sets what is configurable; call before the watcher is registered (it reads the values once). */
  void apply() {
    set(K8sFlinkConfig.jobStatueTrackTaskIntervalSec(), pollSec);
    set(K8sFlinkConfig.jobStatusTrackTaskTimeoutSec(), cycleSec);
    set(K8sFlinkConfig.silentStateJobKeepTrackingSec(), silentSec);
    if (apiConnectMs != null) System.setProperty("kubernetes.connection.timeout", Long.toString(apiConnectMs));
    if (apiRequestMs != null) System.setProperty("kubernetes.request.timeout", Long.toString(apiRequestMs));
  }

  /** One line for stderr: what StreamPark will run with. */
  String describe() {
    return String.format("poll %ss, cycle wait %ss, silent keep %ss (K8sFlinkConfig), fabric8 connect/request timeouts %s/%s ms",
        InternalConfigHolder.get(K8sFlinkConfig.jobStatueTrackTaskIntervalSec()),
        InternalConfigHolder.get(K8sFlinkConfig.jobStatusTrackTaskTimeoutSec()),
        InternalConfigHolder.get(K8sFlinkConfig.silentStateJobKeepTrackingSec()),
        System.getProperty("kubernetes.connection.timeout", "default"), System.getProperty("kubernetes.request.timeout", "default"));
  }

  private static void set(InternalOption option, Object value) {
    if (value != null) InternalConfigHolder.set(option, value);
  }

  private Double wallMs(String field) {
    Double scenarioMs = timing.get(field);
    return scenarioMs == null ? null : scenarioMs * scale;
  }

  private Long wholeSeconds(String field, long minimum, String where) {
    Double wall = wallMs(field);
    if (wall == null) return null;
    long seconds = Math.round(wall / 1000);
    if (Math.abs(wall - seconds * 1000) > 0.5 || seconds < minimum) {
      problems.add(String.format("%s is %s ms of wall time, but %s takes whole seconds (at least %d)", field, fmt(wall), where, minimum));
      return null;
    }
    return seconds;
  }

  private Long wholeMillis(String field, String where) {
    Double wall = wallMs(field);
    if (wall == null) return null;
    long ms = Math.round(wall);
    if (Math.abs(wall - ms) > 0.5 || ms < 1) {
      problems.add(String.format("%s is %s ms of wall time, but %s takes whole milliseconds", field, fmt(wall), where));
      return null;
    }
    return ms;
  }

  private void fixed(String field, long actualMs, String where) {
    Double wall = wallMs(field);
    if (wall != null && Math.abs(wall - actualMs) > 0.5) {
      problems.add(String.format("%s is %s ms of wall time, but StreamPark hard-codes %d ms (%s)", field, fmt(wall), actualMs, where));
    }
  }

  private static String fmt(double ms) {
    return ms == Math.rint(ms) ? Long.toString((long) ms) : Double.toString(ms);
  }

  /** The expireAfterWrite of a StreamPark cache object's private Caffeine cache (a fresh, unused one). */
  private static long expireAfterWriteMs(Object cacheHolder) {
    try {
      Method accessor = cacheHolder.getClass().getDeclaredMethod("cache");
      accessor.setAccessible(true);
      Cache<?, ?> cache = (Cache<?, ?>) accessor.invoke(cacheHolder);
      return cache.policy().expireAfterWrite().orElseThrow().getExpiresAfter(TimeUnit.MILLISECONDS);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read the expiry of " + cacheHolder.getClass().getName() + ": " + e, e);
    }
  }
}
