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
  private final FlinkK8sWatcher watcher;
  private final ConsoleMonitor monitor;

  private Console(FlinkK8sWatcher watcher, ConsoleMonitor monitor) {
    this.watcher = watcher;
    this.monitor = monitor;
  }

  /**
   * Builds the console's services on `db`, waits until `startAtMs` (the harness's scenario time
   * 0, when polls are to start) and registers the watcher: FlinkK8sWatcherWrapper's @Bean
   * method, which also runs the startup query and starts polling the apps it keeps.
   */
  static Console start(ConsoleDatabase db, ConsoleRows rows, ConsoleVersion version, Setup setup) throws InterruptedException {
    RowObserver observer = new RowObserver(db.mapper(ApplicationMapper.class), rows.appIds);
    observer.baseline();
    ApplicationServiceImpl applications = service(new ApplicationServiceImpl(), observer.observedMapper());
    FlinkEnvServiceImpl envs = service(new FlinkEnvServiceImpl(), db.mapper(FlinkEnvMapper.class));
    FlinkClusterServiceImpl clusters = service(new FlinkClusterServiceImpl(), db.mapper(FlinkClusterMapper.class));
    applications.resetOptionState(); // its @PostConstruct

    FlinkK8sChangeEventListener listener = new FlinkK8sChangeEventListener();
    Wiring.inject(listener, "applicationService", applications);
    Wiring.inject(listener, "alertService", StandIns.alerts(rows.appIds));
    Wiring.inject(listener, "checkpointProcessor", StandIns.checkpoints(rows.appIds));
    FlinkK8sWatcherWrapper wrapper = new FlinkK8sWatcherWrapper();
    Wiring.inject(wrapper, "flinkK8sChangeEventListener", listener);
    Wiring.inject(wrapper, "applicationService", applications);
    Wiring.inject(wrapper, "flinkClusterService", clusters);
    if (version.isAtLeast214()) {
      Wiring.inject(wrapper, "flinkEnvService", envs);
      Wiring.inject(listener, "flinkK8sWatcherWrapper", wrapper);
    }

    if (!setup.restart) ConsoleWarmup.run();
    long wait = setup.epochMs - System.currentTimeMillis();
    if (wait > 0) Thread.sleep(wait);
    FlinkK8sWatcher watcher = wrapper.registerFlinkK8sWatcher();
    if (version.isAtLeast214()) Wiring.inject(listener, "registerFlinkK8sWatcher", watcher);
    // ApplicationServiceImpl's own references, as Spring sets them (not on the paths the driver calls)
    Wiring.inject(applications, "flinkK8sWatcher", watcher);
    Wiring.inject(applications, "k8sWatcherWrapper", wrapper);
    Wiring.inject(applications, "flinkEnvService", envs);
    Wiring.inject(applications, "flinkClusterService", clusters);

    ConsoleMonitor monitor = new ConsoleMonitor(((DefaultFlinkK8sWatcher) watcher).watchController(), rows.appIds, setup.flinkRest);
    monitor.start();
    return new Console(watcher, monitor);
  }

  /** A MyBatis-Plus service with its mapper, as Spring's @Autowired on ServiceImpl.baseMapper sets it. */
  private static <S> S service(S service, Object mapper) {
    Wiring.inject(service, "baseMapper", mapper);
    return service;
  }

  /** The watcher bean's destroyMethod, "close". */
  @Override
  public void close() {
    monitor.stop();
    try {
      watcher.close();
    } catch (Exception e) {
      System.err.println("[driver] closing the watcher: " + e);
    }
  }
}
