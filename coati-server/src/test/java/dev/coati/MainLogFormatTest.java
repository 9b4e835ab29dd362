package dev.coati;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code coati run --log-format}: the whole log of a run in one format. */
class MainLogFormatTest {
  @TempDir Path dir;

  private String run(int expectRc, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc =
        Main.run(
            List.of(args),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(expectRc, rc, err.toString(StandardCharsets.UTF_8));
    return expectRc == 0
        ? out.toString(StandardCharsets.UTF_8)
        : err.toString(StandardCharsets.UTF_8);
  }

  /**
   * A gateway configuration written by {@code coati demo} (the embedded default prints client
   * settings, not log lines, before it starts).
   */
  private String config() {
    run(0, "demo", "--dir", dir.resolve("demo").toString());
    return dir.resolve("demo/coati.yaml").toString();
  }

  @Test
  void textByDefault_oneTimestampedLinePerEvent() {
    String out = run(0, "run", "--once", "--config", config());
    for (String line : out.split("\n")) {
      assertTrue(
          line.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO  coati: .*"),
          line);
    }
    assertTrue(out.contains("IKEv1 engine ready"), out);
  }

  @Test
  void jsonOnRequest() {
    String out = run(0, "run", "--once", "--config", config(), "--log-format", "json");
    String[] lines = out.split("\n");
    assertTrue(lines.length >= 5, out);
    for (String line : lines) {
      assertTrue(line.startsWith("{\"timestamp\":") && line.endsWith("}"), line);
    }
    assertTrue(out.contains("\"formattedMessage\":\"coati: IKEv1 engine ready"), out);
  }

  @Test
  void unknownFormatRefused() {
    String err = run(2, "run", "--once", "--config", config(), "--log-format", "xml");
    assertTrue(err.contains("--log-format takes text or json"), err);
  }
}
