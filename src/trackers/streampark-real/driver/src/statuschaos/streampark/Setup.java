package statuschaos.streampark;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The harness's `setup` message (protocol v1, docs/trackers.md), read and checked; a bad one
 * throws {@link BadSetup}. Two optional extensions the harness may send for history archives:
 * `apps[].archive` (none | workspace | fs-dir) and `endpoints.archiveDirs` (docs/streampark-real.md).
 */
final class Setup {
  static final class BadSetup extends Exception {
    BadSetup(String message) {
      super(message);
    }
  }

  /**
   * One application row as the harness gives it (its persisted state after a console restart).
   * jobName: in application mode StreamPark's TrackId takes the cluster id from the job name, so
   * it is the cluster id unless the harness says otherwise.
   */
  record App(String appId, String jobName, String mode, String namespace, String clusterId, String jobId, String state, int tracking, String archive) {}

  final boolean restart;
  /** wall ms per scenario ms */
  final double scale;
  /** the run's TrackerTiming, scenario ms, by field name (only the numeric fields given) */
  final Map<String, Double> timing;
  final List<App> apps;
  final String kubeconfig;
  final String apiServer;
  final String flinkRest;
  /** `workspace` and `fs-dir`: where the harness puts a job's history archive */
  final Map<String, String> archiveDirs;
  final File workDir;

  private static final Set<String> MODES = Set.of("application", "session");
  private static final Set<String> ARCHIVES = Set.of("none", "workspace", "fs-dir");

  Setup(JsonNode node, String tracker) throws BadSetup {
    if (node.path("protocol").asInt(-1) != 1) throw new BadSetup("setup.protocol must be 1, got " + node.path("protocol"));
    if (node.hasNonNull("tracker") && !node.get("tracker").asText().equals(tracker)) throw new BadSetup("setup.tracker is " + node.get("tracker") + ", this process is " + tracker);
    restart = node.path("restart").asBoolean(false);
    scale = requiredNumber(node, "timeScale", "setup").doubleValue();
    if (!(scale > 0)) throw new BadSetup("setup.timeScale must be > 0, got " + scale);
    timing = new LinkedHashMap<>();
    node.path("timing").fields().forEachRemaining(field -> {
      if (field.getValue().isNumber()) timing.put(field.getKey(), field.getValue().doubleValue());
    });
    apps = new ArrayList<>();
    JsonNode appsNode = required(node, "apps");
    for (int i = 0; i < appsNode.size(); i++) apps.add(app(appsNode.get(i), "setup.apps[" + i + "]"));
    if (apps.isEmpty()) throw new BadSetup("setup.apps is empty: nothing to track");
    if (apps.stream().map(App::appId).distinct().count() != apps.size()) throw new BadSetup("setup.apps has two apps with the same appId");
    JsonNode endpoints = node.get("endpoints");
    if (endpoints == null || endpoints.isNull()) throw new BadSetup("setup.endpoints is null: StreamPark's console needs a live backend's kubeconfig and REST endpoint (it cannot run on the simulation)");
    kubeconfig = requiredText(endpoints, "kubeconfig", "setup.endpoints");
    File kubeconfigFile = new File(kubeconfig);
    if (!kubeconfigFile.isAbsolute() || !kubeconfigFile.canRead()) throw new BadSetup("setup.endpoints.kubeconfig " + kubeconfig + " is not an absolute path to a readable file");
    apiServer = endpoints.path("apiServer").asText(null);
    flinkRest = endpoints.path("flinkRest").asText(null);
    archiveDirs = new LinkedHashMap<>();
    endpoints.path("archiveDirs").fields().forEachRemaining(field -> archiveDirs.put(field.getKey(), field.getValue().asText()));
    workDir = new File(requiredText(node, "workDir", "setup"));
    if (!workDir.isAbsolute() || !workDir.isDirectory()) throw new BadSetup("setup.workDir " + workDir + " is not an absolute path to a folder");
    for (App app : apps) {
      if (!app.archive().equals("none") && archiveDirs.get(app.archive()) == null) {
        throw new BadSetup("app " + app.appId() + " has archive " + app.archive() + " but setup.endpoints.archiveDirs has no \"" + app.archive() + "\"");
      }
    }
  }

  private static App app(JsonNode node, String where) throws BadSetup {
    String mode = requiredText(node, "mode", where);
    if (!MODES.contains(mode)) throw new BadSetup(where + ".mode must be application or session, got " + mode);
    String archive = node.path("archive").asText("none");
    if (!ARCHIVES.contains(archive)) throw new BadSetup(where + ".archive must be none, workspace or fs-dir, got " + archive);
    String clusterId = requiredText(node, "clusterId", where);
    App app = new App(
        requiredText(node, "appId", where), node.path("jobName").asText(clusterId), mode,
        requiredText(node, "namespace", where), clusterId,
        node.path("jobId").asText(null), requiredText(node, "state", where),
        requiredNumber(node, "tracking", where).intValue(), archive);
    // FlinkK8sWatcherWrapper.toTrackId: in application mode the cluster id StreamPark tracks is the job name
    if (mode.equals("application") && !app.jobName().equals(app.clusterId())) {
      throw new BadSetup(where + ": in application mode StreamPark tracks the Deployment named after the job (TrackId.clusterId = jobName), so jobName " + app.jobName() + " must equal clusterId " + app.clusterId());
    }
    return app;
  }

  private static JsonNode required(JsonNode node, String field) throws BadSetup {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) throw new BadSetup("setup." + field + " is missing");
    return value;
  }

  private static String requiredText(JsonNode node, String field, String where) throws BadSetup {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isEmpty()) throw new BadSetup(where + "." + field + " must be a non-empty string");
    return value.asText();
  }

  private static Number requiredNumber(JsonNode node, String field, String where) throws BadSetup {
    JsonNode value = node.get(field);
    if (value == null || !value.isNumber()) throw new BadSetup(where + "." + field + " must be a number");
    return value.numberValue();
  }
}
