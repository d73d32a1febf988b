package statuschaos.streampark;

import org.apache.streampark.console.core.entity.Application;
import org.apache.streampark.console.core.enums.FlinkAppState;
import org.apache.streampark.console.core.metrics.flink.CheckPoints;
import org.apache.streampark.console.core.service.alert.AlertService;
import org.apache.streampark.console.core.task.CheckpointProcessor;

import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * The only services of the console that the driver does not run for real. Everything else the
 * tracking classes call (ApplicationService, FlinkEnvService, FlinkClusterService) is
 * StreamPark's own implementation on its own mappers (ConsoleDatabase).
 */
final class StandIns {
  private StandIns() {}

  /**
   * AlertService. The real AlertServiceImpl.alert(app, state) looks up the app's alert
   * configuration (t_alert_config) and sends e-mail, DingTalk, WeCom, Lark or HTTP callbacks;
   * what the harness judges is that the listener raised the alert, i.e. this call, which it
   * receives as a protocol `alert` with the state the listener passed. Checkpoint alerts
   * (alert(app, CheckPointStatus)) come only from CheckpointProcessor, stood in for below.
   */
  static AlertService alerts(Map<Long, String> appIds) {
    return (AlertService) Proxy.newProxyInstance(AlertService.class.getClassLoader(), new Class<?>[] {AlertService.class}, (proxy, method, args) -> {
      if (method.getDeclaringClass() == Object.class) {
        return method.getName().equals("equals") ? proxy == args[0] : method.getName().equals("hashCode") ? System.identityHashCode(proxy) : "AlertService stand-in";
      }
      if (method.getName().equals("alert") && args.length == 2 && args[0] instanceof Application && args[1] instanceof FlinkAppState) {
        Application app = (Application) args[0];
        String appId = appIds.getOrDefault(app.getId(), String.valueOf(app.getId()));
        ProtocolOut.send(ProtocolOut.event("alert").put("appId", appId).put("state", ((FlinkAppState) args[1]).name()));
        return null;
      }
      ProtocolOut.namedEvent("alert.other", null, "AlertService." + method.getName() + " called with " + args.length + " arguments (not a job-state alert)");
      return method.getReturnType() == boolean.class ? Boolean.TRUE : null;
    });
  }

  /**
   * CheckpointProcessor, which the listener calls only for FlinkJobCheckpointChangeEvent (from
   * the checkpoint watcher). The real one stores the checkpoint as a savepoint row and alerts on
   * checkpoint failures according to the app's cp_* settings, which the harness's apps leave
   * unset; it never touches the app's state. The stand-in records the event and does nothing.
   */
  static CheckpointProcessor checkpoints(Map<Long, String> appIds) {
    return new CheckpointProcessor() {
      @Override
      public void process(Application app, CheckPoints checkPoints) {
        String appId = app == null ? null : appIds.get(app.getId());
        ProtocolOut.namedEvent("checkpoint", appId, "FlinkJobCheckpointChangeEvent (not processed: checkpoints are out of scope)");
      }
    };
  }
}
