package statuschaos.streampark;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.streampark.console.core.entity.Application;
import org.apache.streampark.console.core.enums.FlinkAppState;
import org.apache.streampark.console.core.mapper.ApplicationMapper;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Watches t_flink_app through StreamPark's own ApplicationMapper: every call that writes is
 * followed, under one lock, by a read of the tracked rows, and a row whose console state or
 * tracking flag changed is reported as a protocol `write`. An observer only: the writes are
 * StreamPark's (the lock orders concurrent writes, each of which is atomic in the database
 * anyway), so the reported sequence is the sequence of rows StreamPark persisted.
 */
final class RowObserver implements InvocationHandler {
  private final ApplicationMapper rows;
  /** StreamPark's numeric application id → the harness's appId */
  private final Map<Long, String> appIds;
  private final Map<Long, String> lastSeen = new HashMap<>();

  RowObserver(ApplicationMapper rows, Map<Long, String> appIds) {
    this.rows = rows;
    this.appIds = appIds;
  }

  /** The mapper StreamPark's services get: `rows`, observed. Call {@link #baseline} once the rows exist. */
  ApplicationMapper observedMapper() {
    return (ApplicationMapper) Proxy.newProxyInstance(ApplicationMapper.class.getClassLoader(), new Class<?>[] {ApplicationMapper.class}, this);
  }

  /** Records the rows as they are now, without reporting them (the harness gave them). */
  synchronized void baseline() {
    for (Long id : appIds.keySet()) lastSeen.put(id, key(rows.selectById(id)));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getDeclaringClass() == Object.class) return objectMethod(proxy, method, args);
    if (isRead(method)) return call(method, args);
    synchronized (this) {
      Object result = call(method, args);
      reportChanges(method);
      return result;
    }
  }

  private Object call(Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(rows, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static boolean isRead(Method method) {
    String name = method.getName();
    return name.startsWith("select") || name.startsWith("get") || name.startsWith("exists") || name.startsWith("page");
  }

  private void reportChanges(Method method) {
    String cause = null;
    for (Map.Entry<Long, String> entry : appIds.entrySet()) {
      Application row = rows.selectById(entry.getKey());
      String now = key(row);
      if (now.equals(lastSeen.get(entry.getKey()))) continue;
      lastSeen.put(entry.getKey(), now);
      if (row == null) {
        ProtocolOut.namedEvent("row.deleted", entry.getValue(), "t_flink_app row " + entry.getKey() + " deleted by " + method.getName());
        continue;
      }
      if (cause == null) cause = callers(method);
      ObjectNode write = ProtocolOut.event("write")
          .put("appId", entry.getValue())
          .put("state", FlinkAppState.of(row.getState()).name())
          .put("tracking", row.getTracking() == null ? 0 : row.getTracking())
          .put("cause", cause);
      ProtocolOut.send(write);
    }
  }

  private static String key(Application row) {
    return row == null ? "gone" : FlinkAppState.of(row.getState()).name() + "/" + row.getTracking();
  }

  /** The StreamPark frames that led to this write, outermost first, with their source lines. */
  private static String callers(Method method) {
    List<String> frames = StackWalker.getInstance().walk(stream -> stream
        .filter(frame -> frame.getClassName().startsWith("org.apache.streampark."))
        .limit(3)
        .map(frame -> simpleName(frame.getClassName()) + "." + frame.getMethodName() + ":" + frame.getLineNumber())
        .collect(Collectors.toCollection(ArrayList::new)));
    List<String> outermostFirst = new ArrayList<>();
    for (int i = frames.size() - 1; i >= 0; i--) outermostFirst.add(frames.get(i));
    outermostFirst.add("ApplicationMapper." + method.getName());
    return String.join(" → ", outermostFirst);
  }

  private static String simpleName(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }

  private Object objectMethod(Object proxy, Method method, Object[] args) {
    switch (method.getName()) {
      case "equals":
        return proxy == args[0];
      case "hashCode":
        return System.identityHashCode(proxy);
      default:
        return "RowObserver(" + rows + ")";
    }
  }
}
