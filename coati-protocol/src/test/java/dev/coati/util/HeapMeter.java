package dev.coati.util;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import javax.management.ObjectName;

/**
 * Heap measurements for memory tests: used heap after full GCs, and the classes that grew between
 * two class histograms ({@code GC.class_histogram} through the DiagnosticCommand MBean).
 */
public final class HeapMeter {
  private HeapMeter() {}

  /** The smallest used heap seen over a few full GCs. */
  public static long heapAfterGc() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  /** Class name -> {instances, bytes} of the live heap now. */
  public static Map<String, long[]> histogram() throws Exception {
    String text =
        (String)
            ManagementFactory.getPlatformMBeanServer()
                .invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "gcClassHistogram",
                    new Object[] {new String[0]},
                    new String[] {String[].class.getName()});
    Map<String, long[]> m = new HashMap<>();
    for (String line : text.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 4 && f[0].endsWith(":")) {
        m.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
      }
    }
    return m;
  }

  /** Prints the {@code top} classes that grew most from {@code before} to {@code after}, per n. */
  public static void printGrowth(Map<String, long[]> before, Map<String, long[]> after, int n) {
    after.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), diff(e.getValue(), before.get(e.getKey()))))
        .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
        .limit(20)
        .forEach(
            e ->
                System.out.printf(
                    "  %8.2f objects %8.1f bytes each  %s%n",
                    e.getValue()[0] / (double) n, e.getValue()[1] / (double) n, e.getKey()));
  }

  private static long[] diff(long[] a, long[] b) {
    return b == null ? a : new long[] {a[0] - b[0], a[1] - b[1]};
  }
}
