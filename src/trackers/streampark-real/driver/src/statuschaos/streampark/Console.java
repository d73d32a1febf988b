package statuschaos.streampark;

import org.apache.streampark.console.core.mapper.ApplicationMapper;
import org.apache.streampark.console.core.mapper.FlinkClusterMapper;
import org.apache.streampark.console.core.mapper.FlinkEnvMapper;
import org.apache.streampark.console.core.service.impl.ApplicationServiceImpl;
import org.apache.streampark.console.core.service.impl.FlinkClusterServiceImpl;
import org.apache.streampark.console.core.service.impl.FlinkEnvServiceImpl;
import org.apache.streampark.console.core.task.FlinkK8sChangeEventListener;
import org.apache.streampark.console.core.task.FlinkK8sWatcherWrapper;
import org.apache.streampark.flink.kubernetes.DefaultFlinkK8sWatcher;
import org.apache.streampark.flink.kubernetes.FlinkK8sWatcher;

/**
 * StreamPark's console as far as Flink-on-Kubernetes tracking goes, wired as Spring wires it:
 * the real FlinkK8sWatcherWrapper registers the real watcher (FlinkK8sWatcherFactory, lazy
 * start) with the real FlinkK8sChangeEventListener, and re-tracks the apps its startup query
 * keeps; the listener persists through the real ApplicationServiceImpl and mapper. Only the alert
 * sender and the checkpoint processor are stood in for (StandIns).
 */
final class Console implements AutoCloseable {
  private final Setup setup;
  private final ConsoleVersion version;
  private final ConsoleRows rows;
  private final ApplicationServiceImpl applications;
  private final FlinkEnvServiceImpl envs;
  private final FlinkClusterServiceImpl clusters;
  private final FlinkK8sChangeEventListener listener = new FlinkK8sChangeEventListener();
  private final FlinkK8sWatcherWrapper wrapper = new FlinkK8sWatcherWrapper();
  private Thread starter;
  private volatile FlinkK8sWatcher watcher;
  private volatile ConsoleMonitor monitor;

  /** Builds the console's services on `db` and wires them as Spring does; nothing polls yet. */
  Console(ConsoleDatabase db, ConsoleRows rows, ConsoleVersion version, Setup setup) {
    this.setup = setup;
    this.version = version;
    this.rows = rows;
    RowObserver observer = new RowObserver(db.mapper(ApplicationMapper.class), rows.appIds);
    observer.baseline();
    applications = service(new ApplicationServiceImpl(), observer.observedMapper());
    envs = service(new FlinkEnvServiceImpl(), db.mapper(FlinkEnvMapper.class));
    clusters = service(new FlinkClusterServiceImpl(), db.mapper(FlinkClusterMapper.class));
    applications.resetOptionState(); // its @PostConstruct

    Wiring.inject(listener, "applicationService", applications);
    Wiring.inject(listener, "alertService", StandIns.alerts(rows.appIds));
    Wiring.inject(listener, "checkpointProcessor", StandIns.checkpoints(rows.appIds));
    Wiring.inject(wrapper, "flinkK8sChangeEventListener", listener);
    Wiring.inject(wrapper, "applicationService", applications);
    Wiring.inject(wrapper, "flinkClusterService", clusters);
    if (version.isAtLeast214()) {
      Wiring.inject(wrapper, "flinkEnvService", envs);
      Wiring.inject(listener, "flinkK8sWatcherWrapper", wrapper);
    }
    if (!setup.restart) ConsoleWarmup.run();
  }

  /**
   * The harness's `start` (scenario time 0 at `epochMs`): registers the watcher now, on a thread
   * of its own so that commands are still read meanwhile. FlinkK8sWatcherWrapper's @Bean method
   * runs the startup query (2.1.3 asks the API server whether each end-state row's Deployment
   * exists) and starts polling the apps it keeps, the first poll at once
   * (scheduleAtFixedRate(…, 0, interval)).
   */
  void start(long epochMs) {
    starter = new Thread(() -> register(epochMs), "statuschaos-console-start");
    starter.setDaemon(true);
    starter.start();
  }

  boolean started() {
    return starter != null;
  }

  private void register(long epochMs) {
    try {
      FlinkK8sWatcher registered = wrapper.registerFlinkK8sWatcher();
      long took = System.currentTimeMillis() - epochMs;
      if (version.isAtLeast214()) Wiring.inject(listener, "registerFlinkK8sWatcher", registered);
      // ApplicationServiceImpl's own references, as Spring sets them (not on the paths the driver calls)
      Wiring.inject(applications, "flinkK8sWatcher", registered);
      Wiring.inject(applications, "k8sWatcherWrapper", wrapper);
      Wiring.inject(applications, "flinkEnvService", envs);
      Wiring.inject(applications, "flinkClusterService", clusters);
      watcher = registered;
      ProtocolOut.namedEvent("watcher.registered", null, "FlinkK8sWatcherWrapper.registerFlinkK8sWatcher returned " + took + " ms after time 0");
      monitor = new ConsoleMonitor(((DefaultFlinkK8sWatcher) registered).watchController(), rows.appIds, setup.flinkRest);
      monitor.start();
      System.err.println("[driver] watcher registered after " + Driver.uptimeMs() + " ms of JVM time, " + took + " ms after time 0");
    } catch (Throwable e) {
      System.err.println("[driver] " + Driver.stackTrace(e));
      Driver.exit(3, "StreamPark's console failed to register its watcher: " + e);
    }
  }

  /** A MyBatis-Plus service with its mapper, as Spring's @Autowired on ServiceImpl.baseMapper sets it. */
  private static <S> S service(S service, Object mapper) {
    Wiring.inject(service, "baseMapper", mapper);
    return service;
  }

  /** The watcher bean's destroyMethod, "close". */
  @Override
  public void close() {
    if (monitor != null) monitor.stop();
    try {
      if (watcher != null) watcher.close();
    } catch (Exception e) {
      System.err.println("[driver] closing the watcher: " + e);
    }
  }
}
