package statuschaos.streampark;

import org.apache.streampark.common.conf.CommonConfig;
import org.apache.streampark.common.conf.InternalConfigHolder;
import org.apache.streampark.common.enums.ExecutionMode;
import org.apache.streampark.common.util.DeflaterUtils;
import org.apache.streampark.console.core.entity.Application;
import org.apache.streampark.console.core.entity.FlinkCluster;
import org.apache.streampark.console.core.entity.FlinkEnv;
import org.apache.streampark.console.core.enums.FlinkAppState;
import org.apache.streampark.console.core.enums.OptionState;
import org.apache.streampark.console.core.mapper.ApplicationMapper;
import org.apache.streampark.console.core.mapper.FlinkClusterMapper;
import org.apache.streampark.console.core.mapper.FlinkEnvMapper;

import java.io.File;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The console's rows for a setup, inserted through StreamPark's own mappers: one t_flink_app row
 * per app (its state and tracking flag as the harness persisted them), the Flink environments
 * they point at (t_flink_env) and, in session mode, their clusters (t_flink_cluster). Also where
 * each version looks for a vanished job's history archive.
 */
final class ConsoleRows {
  /** The team and user of StreamPark's default data (db/data-h2.sql); the tracking path only reads team_id into TrackId.groupId. */
  private static final long TEAM_ID = 100000L;
  private static final long USER_ID = 100000L;
  /** 2.1.3's remote workspace archive: Workspace.ARCHIVES_FILE_PATH = "<remote workspace>/historyserver/archive" (Workspace.scala v2.1.3 L60) */
  static final String WORKSPACE_ARCHIVE_SUFFIX = "/historyserver/archive";

  /** StreamPark's numeric application id → the harness's appId, in setup order */
  final Map<Long, String> appIds = new LinkedHashMap<>();

  ConsoleRows(ConsoleDatabase db, Setup setup) throws Setup.BadSetup {
    configureWorkspaces(setup);
    FlinkEnvMapper envs = db.mapper(FlinkEnvMapper.class);
    long plainEnv = insertEnv(envs, "flink-1.14.4", null);
    Long archivingEnv = null;
    Map<String, Long> clusters = new HashMap<>();
    ApplicationMapper apps = db.mapper(ApplicationMapper.class);
    for (Setup.App app : setup.apps) {
      FlinkAppState state;
      try {
        state = FlinkAppState.valueOf(app.state());
      } catch (IllegalArgumentException e) {
        throw new Setup.BadSetup("app " + app.appId() + ": state " + app.state() + " is not one of StreamPark's FlinkAppState names");
      }
      Application row = new Application();
      row.setTeamId(TEAM_ID);
      row.setUserId(USER_ID);
      row.setJobName(app.jobName());
      row.setClusterId(app.clusterId());
      row.setK8sNamespace(app.namespace());
      row.setJobId(app.jobId());
      if (app.archive().equals("fs-dir")) {
        if (archivingEnv == null) archivingEnv = insertEnv(envs, "flink-1.14.4-archiving", setup.archiveDirs.get("fs-dir"));
        row.setVersionId(archivingEnv);
      } else {
        row.setVersionId(plainEnv);
      }
      if (app.mode().equals("application")) {
        row.setExecutionMode(ExecutionMode.KUBERNETES_NATIVE_APPLICATION.getMode());
      } else {
        row.setExecutionMode(ExecutionMode.KUBERNETES_NATIVE_SESSION.getMode());
        row.setFlinkClusterId(clusters.computeIfAbsent(app.namespace() + "/" + app.clusterId(), key -> insertCluster(db, app, plainEnv)));
      }
      row.setState(state.getValue()); // Application.setState also sets the tracking flag: the harness's persisted one wins
      row.setTracking(app.tracking());
      row.setOptionState(OptionState.NONE.getValue());
      row.setCreateTime(new Date());
      apps.insert(row);
      appIds.put(row.getId(), app.appId());
    }
  }

  /**
   * A Flink environment (t_flink_env). flink_conf is the zipped flink-conf.yaml, as
   * FlinkEnv.doSetFlinkConf stores it (2.1.4's FlinkK8sWatcherWrapper.toTrackId parses it, and an
   * empty one fails); `jobmanager.archive.fs.dir` there is where 2.1.4 reads archives (the
   * harness's "fs-dir").
   */
  private static long insertEnv(FlinkEnvMapper envs, String name, String archiveDir) {
    StringBuilder yaml = new StringBuilder("jobmanager.rpc.address: localhost\njobmanager.rpc.port: 6123\nrest.port: 8081\n");
    if (archiveDir != null) yaml.append("jobmanager.archive.fs.dir: ").append(new File(archiveDir).toURI()).append('\n');
    FlinkEnv env = new FlinkEnv();
    env.setFlinkName(name);
    env.setFlinkHome("/opt/flink"); // never read on the tracking path (FlinkVersion is only built by the cancel and submit paths)
    env.setVersion("1.14.4");
    env.setScalaVersion("2.12");
    env.setFlinkConf(DeflaterUtils.zipString(yaml.toString()));
    env.setIsDefault(archiveDir == null);
    env.setCreateTime(new Date());
    envs.insert(env);
    return env.getId();
  }

  private static long insertCluster(ConsoleDatabase db, Setup.App app, long envId) {
    FlinkCluster cluster = new FlinkCluster();
    cluster.setClusterId(app.clusterId());
    cluster.setClusterName(app.clusterId());
    cluster.setK8sNamespace(app.namespace());
    cluster.setExecutionMode(ExecutionMode.KUBERNETES_NATIVE_SESSION.getMode());
    cluster.setVersionId(envId);
    cluster.setUserId(USER_ID);
    cluster.setCreateTime(new Date());
    db.mapper(FlinkClusterMapper.class).insert(cluster);
    return cluster.getId();
  }

  /**
   * StreamPark's workspaces, inside the work folder. 2.1.3 reads a vanished job's archive from
   * "<remote workspace>/historyserver/archive/<jobId>" (through Hadoop's fs.defaultFS, so only
   * when HADOOP_CONF_DIR or HADOOP_HOME is set); with archiveDirs.workspace the remote workspace is
   * the folder above its historyserver/archive. The local workspace is set so that nothing
   * StreamPark derives from it lies outside the work folder.
   */
  private static void configureWorkspaces(Setup setup) throws Setup.BadSetup {
    String archive = setup.archiveDirs.get("workspace");
    String remote;
    if (archive == null) {
      remote = new File(setup.workDir, "streampark-workspace").getAbsolutePath();
    } else if (archive.endsWith(WORKSPACE_ARCHIVE_SUFFIX) && new File(archive).isAbsolute()) {
      remote = archive.substring(0, archive.length() - WORKSPACE_ARCHIVE_SUFFIX.length());
    } else {
      throw new Setup.BadSetup("setup.endpoints.archiveDirs.workspace must be an absolute path ending in " + WORKSPACE_ARCHIVE_SUFFIX + " (StreamPark 2.1.3 reads <remote workspace>" + WORKSPACE_ARCHIVE_SUFFIX + "/<jobId>), got " + archive);
    }
    InternalConfigHolder.set(CommonConfig.STREAMPARK_WORKSPACE_REMOTE(), remote);
    InternalConfigHolder.set(CommonConfig.STREAMPARK_WORKSPACE_LOCAL(), new File(setup.workDir, "streampark-local").getAbsolutePath());
  }
}
