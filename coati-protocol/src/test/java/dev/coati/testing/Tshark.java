package dev.coati.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs tshark on a capture file and returns selected fields, one list per packet. A missing tshark
 * fails the test (CI installs it), unless COATI_SKIP_TSHARK=1 says this machine cannot have it.
 */
public final class Tshark {
  private Tshark() {}

  public static boolean skipped() {
    return "1".equals(System.getenv("COATI_SKIP_TSHARK"));
  }

  public static String binary() {
    for (String p : new String[] {"/usr/bin/tshark", "/usr/local/bin/tshark"}) {
      if (Files.isExecutable(Path.of(p))) {
        return p;
      }
    }
    throw new AssertionError(
        "tshark not found: install it (apt-get install tshark) or set COATI_SKIP_TSHARK=1");
  }

  /** Fields per packet, each field's occurrences joined by ','. */
  public static List<List<String>> fields(Path pcap, List<String> options, String... fields)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(binary(), "-n", "-r", pcap.toString()));
    cmd.addAll(options);
    cmd.addAll(List.of("-T", "fields", "-E", "separator=|", "-E", "aggregator=,"));
    for (String f : fields) {
      cmd.add("-e");
      cmd.add(f);
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
    byte[] out = p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("tshark timed out");
    }
    if (p.exitValue() != 0) {
      throw new AssertionError("tshark failed (" + p.exitValue() + "): " + err);
    }
    List<List<String>> rows = new ArrayList<>();
    for (String line : new String(out, StandardCharsets.UTF_8).split("\n")) {
      if (!line.isEmpty()) {
        rows.add(List.of(line.split("\\|", -1)));
      }
    }
    return rows;
  }
}
