package dev.coati.server.log;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Rate limit for lines about single unauthenticated packets: any logger whose name ends in {@code
 * .packet} (e.g. {@code System.getLogger("dev.coati.ike.packet")}) may write {@link #PER_WINDOW}
 * lines per {@link #WINDOW_MILLIS}; the rest are counted and summarised in one line per logger ("N
 * more ... lines suppressed"). Other loggers are not limited.
 */
final class PacketLineLimiter {
  static final String SUFFIX = ".packet";
  static final int PER_WINDOW = 10;
  static final long WINDOW_MILLIS = 10_000;

  private final LongSupplier clock;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  PacketLineLimiter(LongSupplier clock) {
    this.clock = clock;
  }

  /** True if a line of this logger may be written now. */
  boolean admit(String logger) {
    if (logger == null || !logger.endsWith(SUFFIX)) {
      return true;
    }
    Window w = windows.computeIfAbsent(logger, k -> new Window());
    long now = clock.getAsLong();
    synchronized (w) {
      if (now - w.start >= WINDOW_MILLIS) {
        w.start = now;
        w.written = 0;
      }
      if (w.written < PER_WINDOW) {
        w.written++;
        return true;
      }
      w.suppressed++;
      return false;
    }
  }

  /** One line per logger that suppressed lines since the last call; resets those counts. */
  List<String> summaries() {
    List<String> out = new ArrayList<>();
    windows.forEach(
        (name, w) -> {
          long n;
          synchronized (w) {
            n = w.suppressed;
            w.suppressed = 0;
          }
          if (n > 0) {
            out.add(
                "coati: "
                    + n
                    + " more lines about unauthenticated packets suppressed (logger="
                    + name
                    + ", at most "
                    + PER_WINDOW
                    + " per "
                    + WINDOW_MILLIS / 1000
                    + " s)");
          }
        });
    return out;
  }

  private static final class Window {
    long start = Long.MIN_VALUE / 2;
    int written;
    long suppressed;
  }
}
