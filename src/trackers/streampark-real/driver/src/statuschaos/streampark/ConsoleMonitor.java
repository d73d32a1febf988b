package statuschaos.streampark;

import org.apache.streampark.flink.kubernetes.FlinkK8sWatchController;
import org.apache.streampark.flink.kubernetes.model.TrackId;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import scala.collection.JavaConverters;

/**
 * Reports, as protocol `event` lines, what the watcher holds that the console's rows do not
 * show: whether each app is still tracked (StreamPark stops polling an app for good when it
 * untracks it) and the JobManager REST URL it resolved. Reads the watch controller's caches
 * directly: asking the watcher itself would lazily start it, which the real console does not.
 */
final class ConsoleMonitor {
  private static final long PERIOD_MS = 200;

  private final FlinkK8sWatchController controller;
  private final Map<Long, String> appIds;
  private final String flinkRest;
  private final Map<Long, Boolean> tracked = new HashMap<>();
  private final Map<Long, String> restUrls = new HashMap<>();
  private final Thread thread;
  private volatile boolean running = true;

  ConsoleMonitor(FlinkK8sWatchController controller, Map<Long, String> appIds, String flinkRest) {
    this.controller = controller;
    this.appIds = appIds;
    this.flinkRest = flinkRest;
    this.thread = new Thread(this::run, "statuschaos-console-monitor");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  void stop() {
    running = false;
    thread.interrupt();
  }

  private void run() {
    while (running) {
      try {
        check();
        Thread.sleep(PERIOD_MS);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        ProtocolOut.log("warn", "console monitor: " + e);
      }
    }
  }

  private void check() {
    Map<Long, TrackId> watching = new HashMap<>();
    for (TrackId id : JavaConverters.setAsJavaSetConverter(controller.getAllWatchingIds()).asJava()) watching.put(id.appId(), id);
    for (Map.Entry<Long, String> app : appIds.entrySet()) {
      TrackId id = watching.get(app.getKey());
      boolean now = id != null;
      Boolean before = tracked.put(app.getKey(), now);
      if (before == null ? now : before != now) {
        ProtocolOut.namedEvent(now ? "tracking.started" : "tracking.stopped", app.getValue(), now ? "in the watcher's trackIds" : "no longer in the watcher's trackIds: StreamPark does not poll it again");
      }
      if (id == null) continue;
      String url = controller.endpoints().get(id.toClusterKey());
      if (Objects.equals(url, restUrls.get(app.getKey()))) continue;
      restUrls.put(app.getKey(), url);
      if (url == null) {
        ProtocolOut.namedEvent("rest-url.invalidated", app.getValue(), "the watcher dropped the cached JobManager REST URL");
        continue;
      }
      ProtocolOut.namedEvent("rest-url.resolved", app.getValue(), url);
      if (flinkRest != null && !sameAddress(url, flinkRest)) {
        ProtocolOut.log("warn", "StreamPark resolved app " + app.getValue() + "'s JobManager REST URL to " + url + ", not to the flink-rest proxy " + flinkRest + ": REST faults do not reach its polls");
      }
    }
  }

  private static boolean sameAddress(String a, String b) {
    try {
      URI x = URI.create(a);
      URI y = URI.create(b);
      return Objects.equals(x.getHost(), y.getHost()) && x.getPort() == y.getPort();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
