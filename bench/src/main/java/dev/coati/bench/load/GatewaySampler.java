package dev.coati.bench.load;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The gateway process seen from /proc (CPU, RSS, threads) and, for a JVM, through jcmd. */
final class GatewaySampler {
  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
  private static final long CLOCK_TICKS = 100; // USER_HZ on Linux

  /** One sample: CPU seconds so far, resident KiB, threads. */
  record Sample(double cpuSeconds, long rssKib, int threads) {}

  private final int pid;

  GatewaySampler(int pid) {
    this.pid = pid;
  }

  Sample sample() {
    if (pid <= 0) {
      return new Sample(0, 0, 0);
    }
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) CLOCK_TICKS;
      long rss = 0;
      int threads = 0;
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = Long.parseLong(line.replaceAll("\\D", ""));
        } else if (line.startsWith("Threads:")) {
          threads = Integer.parseInt(line.replaceAll("\\D", ""));
        }
      }
      return new Sample(cpu, rss, threads);
    } catch (IOException | RuntimeException e) {
      return new Sample(-1, -1, -1); // the gateway is gone
    }
  }

  /**
   * CPU seconds so far by thread name (digits dropped, so "C2 CompilerThread0" and "...1" add up):
   * which threads of the gateway did the work.
   */
  Map<String, Double> cpuByThread() {
    Map<String, Double> byName = new TreeMap<>();
    if (pid <= 0) {
      return byName;
    }
    try (DirectoryStream<Path> tasks =
        Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
      for (Path t : tasks) {
        try {
          String stat = Files.readString(t.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) CLOCK_TICKS;
          byName.merge(name.replaceAll("[0-9]+", "#"), cpu, Double::sum);
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException e) {
      // the gateway is gone
    }
    return byName;
  }

  /** Heap in use after a full GC, in KiB (-1 when not a JVM or jcmd failed). */
  long heapAfterGcKib(String jcmd) {
    if (jcmd == null || pid <= 0) {
      return -1;
    }
    run(jcmd, "GC.run");
    List<String> out = run(jcmd, "GC.heap_info");
    for (String line : out) {
      Matcher m = HEAP_USED.matcher(line);
      if (m.find()) {
        return Long.parseLong(m.group(1));
      }
    }
    return -1;
  }

  private List<String> run(String jcmd, String command) {
    List<String> lines = new ArrayList<>();
    try {
      Process p =
          new ProcessBuilder(jcmd, Integer.toString(pid), command)
              .redirectErrorStream(true)
              .start();
      lines.addAll(new String(p.getInputStream().readAllBytes()).lines().toList());
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (IOException e) {
      lines.add(e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return lines;
  }
}
