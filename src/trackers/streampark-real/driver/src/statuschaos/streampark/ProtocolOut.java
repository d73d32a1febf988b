package statuschaos.streampark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The tracker → harness half of protocol v1 (docs/trackers.md): one JSON object per line on the
 * process's real stdout. Libraries print to System.out (StreamPark 2.1.4's FlinkHistoryArchives
 * has a println), so {@link #claimStdout()} keeps the real stdout for protocol lines and points
 * System.out at stderr before anything else runs.
 */
final class ProtocolOut {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static PrintStream stdout;

  private ProtocolOut() {}

  /** Takes the process's stdout for protocol lines and sends everything else printed there to stderr. */
  static void claimStdout() {
    stdout = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
    System.setOut(System.err);
  }

  static ObjectNode message(String type) {
    ObjectNode node = JSON.createObjectNode();
    node.put("type", type);
    return node;
  }

  /** A message with `at`: this process's wall clock, as the protocol asks. */
  static ObjectNode event(String type) {
    return message(type).put("at", System.currentTimeMillis());
  }

  /** The protocol's longest text per field (docs/trackers.md; src/trackers/process/protocol.ts). */
  private static final Map<String, Integer> MAX_TEXT = Map.of("message", 4000, "cause", 2000, "detail", 2000, "version", 500, "appId", 200, "name", 200, "state", 200, "tracker", 200, "id", 200);

  /** Prints one line; a text field over the protocol's limit is cut (and says so), never the JSON. */
  static synchronized void send(ObjectNode node) {
    for (Map.Entry<String, Integer> limit : MAX_TEXT.entrySet()) {
      JsonNode field = node.get(limit.getKey());
      if (field != null && field.isTextual() && field.asText().length() > limit.getValue()) {
        node.put(limit.getKey(), field.asText().substring(0, limit.getValue() - 8) + " …(cut)");
      }
    }
    String line = node.toString();
    stdout.print(line);
    stdout.print('\n');
    stdout.flush();
  }

  static void fatal(String message) {
    send(message("fatal").put("message", message));
  }

  static void log(String level, String message) {
    send(event("log").put("level", level).put("message", message));
  }

  static void namedEvent(String name, String appId, String detail) {
    ObjectNode node = event("event").put("name", name);
    if (appId != null) node.put("appId", appId);
    if (detail != null) node.put("detail", detail);
    send(node);
  }

  static ObjectMapper json() {
    return JSON;
  }
}
