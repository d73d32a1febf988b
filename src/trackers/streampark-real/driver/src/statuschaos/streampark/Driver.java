package statuschaos.streampark;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * StreamPark's console tracking code as an external tracker (protocol v1, docs/trackers.md; this driver: docs/streampark-real.md):
 * `java … statuschaos.streampark.Driver --tracker real-2.1.3|real-2.1.4`, with StreamPark's jars
 * on the classpath. stdout carries protocol lines only; StreamPark's, Flink's and fabric8's logs
 * go to stderr (logback.xml beside the driver jar).
 */
public final class Driver {
  /** Exit codes: 0 stopped or stdin closed, 2 a setup or command it refuses, 3 it cannot run. */
  private static final int EXIT_REFUSED = 2;
  private static final int EXIT_BROKEN = 3;
  /**
   * Why `cancel` is answered "failed": StreamPark's cancel (ApplicationServiceImpl.cancel) goes
   * through FlinkClient.cancel, which loads org.apache.streampark.flink.client.FlinkClientHandler
   * from streampark-flink-client-core in a child-first class loader over FLINK_HOME/lib and
   * APP_HOME/lib (FlinkShimsProxy). That module is not among the jars the driver runs (it is not
   * a dependency of streampark-console-service, so ../shared/systems/streampark/maven does not
   * have it), there is no Flink 1.14 distribution (FLINK_HOME) to load it with, and the method
   * reads the signed-in user from Shiro (ServiceHelper.getUserId) and writes t_flink_log and
   * savepoint rows through services of the web app.
   */
  static final String CANCEL_NOT_COVERED = "not covered: StreamPark's cancel (ApplicationServiceImpl.cancel → FlinkClient.cancel) needs streampark-flink-client-core and a Flink 1.14 FLINK_HOME, loaded child-first by FlinkShimsProxy, and the web app's signed-in user; the driver runs neither (docs/streampark-real.md)";

  private Driver() {}

  public static void main(String[] args) {
    String tracker = argument(args, "--tracker");
    String found = classpathVersion();
    ProtocolOut.claimStdout();
    ConsoleVersion version = checkClasspath(tracker, found);
    ProtocolOut.send(ProtocolOut.message("hello").put("protocol", 1).put("tracker", tracker).put("version", describe(version)));
    System.err.println("[driver] hello after " + uptimeMs() + " ms of JVM time");
    String protocolEnv = System.getenv("STATUSCHAOS_TRACKER_PROTOCOL");
    if (protocolEnv != null && !protocolEnv.equals("1")) exit(EXIT_REFUSED, "STATUSCHAOS_TRACKER_PROTOCOL is " + protocolEnv + ", the driver speaks protocol 1");

    Session session = new Session(version);
    BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try {
      for (String line; (line = stdin.readLine()) != null; ) {
        if (line.isBlank()) continue;
        JsonNode command;
        try {
          command = ProtocolOut.json().readTree(line);
        } catch (IOException e) {
          exit(EXIT_REFUSED, "stdin line is not JSON (" + e.getMessage().split("\n")[0] + "): " + shorten(line));
          return;
        }
        String type = command.path("type").asText("");
        switch (type) {
          case "setup":
            session.setup(command, tracker);
            break;
          case "start":
            session.start(command);
            break;
          case "cancel":
            ProtocolOut.send(ProtocolOut.event("cancel.result").put("id", command.path("id").asText()).put("outcome", "failed").put("message", CANCEL_NOT_COVERED));
            break;
          case "stop":
            session.stop(0);
            return;
          default:
            exit(EXIT_REFUSED, "unknown command type \"" + type + "\" on stdin: " + shorten(line));
        }
      }
    } catch (IOException e) {
      System.err.println("[driver] stdin: " + e);
    } catch (Setup.BadSetup e) {
      exit(EXIT_REFUSED, "refused: " + e.getMessage());
    } catch (Throwable e) {
      System.err.println("[driver] " + stackTrace(e));
      exit(EXIT_BROKEN, "StreamPark's console failed: " + e);
    }
    session.stop(0); // stdin closed: the harness is gone
  }

  private static final String NO_STREAMPARK = "StreamPark's console classes are not on the classpath (no streampark-console-service jar): build them with `npm run tools`, or pass a StreamPark installation's lib/ (--streampark-home)";

  /**
   * The console-service version on the classpath, checked with the JDK alone: without
   * StreamPark's jars there is no Jackson either, so this `fatal` is written by hand.
   */
  private static String classpathVersion() {
    String found;
    try {
      found = ConsoleVersion.onClasspath();
      Class.forName("com.fasterxml.jackson.databind.ObjectMapper", false, Driver.class.getClassLoader());
    } catch (IOException | ClassNotFoundException e) {
      found = null;
    }
    if (found == null) {
      System.out.print("{\"type\":\"fatal\",\"message\":\"" + NO_STREAMPARK.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}\n");
      System.out.flush();
      System.err.println("[driver] fatal: " + NO_STREAMPARK + "; classpath: " + System.getProperty("java.class.path"));
      Runtime.getRuntime().halt(EXIT_BROKEN);
    }
    return found;
  }

  /** The StreamPark version on the classpath, which must be the one `--tracker` names. */
  private static ConsoleVersion checkClasspath(String tracker, String found) {
    if (tracker == null) exit(EXIT_REFUSED, "usage: Driver --tracker real-2.1.3|real-2.1.4 (with StreamPark's console jars on the classpath)");
    ConsoleVersion version = ConsoleVersion.of(found);
    if (version == null) exit(EXIT_BROKEN, "the classpath has StreamPark " + found + "; the driver runs 2.1.3 and 2.1.4");
    if (!tracker.equals("real-" + version.version)) exit(EXIT_REFUSED, "asked for " + tracker + " but the classpath has StreamPark " + found);
    return version;
  }

  private static String describe(ConsoleVersion version) {
    String java = System.getProperty("java.vendor") + " " + System.getProperty("java.version");
    return "StreamPark " + version.version + " console (FlinkK8sWatcherWrapper, FlinkK8sChangeEventListener, ApplicationServiceImpl on H2), Flink 1.14.4 client, Java " + java;
  }

  private static String argument(String[] args, String name) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) return args[i + 1];
    }
    return null;
  }

  static long uptimeMs() {
    return java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
  }

  /** Prints `fatal` and ends the process now (halt: StreamPark's pools are not daemon threads). */
  static void exit(int code, String message) {
    ProtocolOut.fatal(message);
    System.err.println("[driver] fatal: " + message);
    System.err.flush();
    Runtime.getRuntime().halt(code);
  }

  static String stackTrace(Throwable e) {
    StringWriter out = new StringWriter();
    e.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  private static String shorten(String line) {
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }

  /** One console process's life: at most one setup, then tracking until stop. */
  private static final class Session {
    private final ConsoleVersion version;
    private Console console;

    Session(ConsoleVersion version) {
      this.version = version;
    }

    void setup(JsonNode command, String tracker) throws Exception {
      if (console != null) throw new Setup.BadSetup("a second setup: a console process is set up once");
      Setup setup = new Setup(command, tracker);
      ConsoleEnvironment.prepare(setup);
      TimingPlan timing = new TimingPlan(setup.timing, setup.scale, version);
      List<String> problems = timing.problems();
      if (!problems.isEmpty()) {
        throw new Setup.BadSetup("StreamPark " + version.version + " cannot run at this timing (scale " + setup.scale + "): " + String.join("; ", problems)
            + ". The real trackers run at the `streampark` profile (scale 1) only: StreamPark hard-codes its REST timeouts and cache lifetimes");
      }
      timing.apply();
      System.err.println("[driver] timing: " + timing.describe());
      ConsoleDatabase db = new ConsoleDatabase();
      ConsoleRows rows = new ConsoleRows(db, setup);
      System.err.println("[driver] database and rows ready after " + uptimeMs() + " ms of JVM time");
      console = new Console(db, rows, version, setup);
      ProtocolOut.send(ProtocolOut.event("ready"));
      System.err.println("[driver] ready after " + uptimeMs() + " ms of JVM time");
    }

    /** `start`: scenario time 0 (wall ms `epochMs`), the console begins tracking. */
    void start(JsonNode command) throws Setup.BadSetup {
      if (console == null) throw new Setup.BadSetup("start before setup");
      if (console.started()) throw new Setup.BadSetup("a second start: a console process starts once");
      JsonNode epochMs = command.get("epochMs");
      if (epochMs == null || !epochMs.isNumber()) throw new Setup.BadSetup("start.epochMs must be a number");
      console.start(epochMs.asLong());
    }

    /** The watcher bean's destroy (close), bounded: the process ends within 3 s whatever close does. */
    void stop(int code) {
      if (console != null) {
        Thread closer = new Thread(console::close, "statuschaos-close");
        closer.setDaemon(true);
        closer.start();
        try {
          closer.join(3_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      System.err.flush();
      Runtime.getRuntime().halt(code);
    }
  }
}
