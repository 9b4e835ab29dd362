package dev.coati.server.events;

import dev.coati.server.queues.BoundedQueues;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Where session events go: the JSON event log (one object a line, appended, mode 0640) and the
 * up/down hooks ({@link Hooks}), both on one daemon thread (interim events go to the listener only)
 * so neither the socket thread nor the data path ever waits for a disk or a script. Authentication
 * failures from one address are rate-limited: at most {@link #FAILURES_PER_MINUTE} a minute reach
 * the human log, then one line says how many were suppressed; the JSON log keeps them all.
 */
public final class SessionEvents {
  private static final System.Logger LOG = System.getLogger(SessionEvents.class.getName());
  private static final int QUEUE = 65_536; // events waiting for a slow hook, log disk or RADIUS
  static final int FAILURES_PER_MINUTE = 5;

  /** Nothing configured: events are dropped (the human log still has its lines). */
  public static final SessionEvents NONE =
      new SessionEvents(null, null, null, System::currentTimeMillis);

  private final Path jsonLog;
  private final EventLogFile logFile;
  private final Hooks hooks;
  private final Consumer<SessionEvent> listener;
  private final LongSupplier clock;
  private final ExecutorService worker;
  private final Map<String, long[]> failures = new HashMap<>(); // peer -> {minute, count}

  public SessionEvents(Path jsonLog, Hooks hooks, LongSupplier clock) {
    this(jsonLog, hooks, null, clock);
  }

  /** With {@code listener} (e.g. RADIUS accounting) told of every event on the same thread. */
  public SessionEvents(
      Path jsonLog, Hooks hooks, Consumer<SessionEvent> listener, LongSupplier clock) {
    this.jsonLog = jsonLog;
    this.logFile = jsonLog == null ? null : EventLogFile.at(jsonLog);
    this.hooks = hooks;
    this.listener = listener;
    this.clock = clock;
    this.worker =
        jsonLog == null && hooks == null && listener == null
            ? null
            : BoundedQueues.singleThread(BoundedQueues.EVENTS, "coati-events", QUEUE);
  }

  /** Records {@code e}; returns at once. */
  public void emit(SessionEvent e) {
    if (worker == null) {
      return;
    }
    long now = clock.getAsLong();
    try {
      worker.execute(
          () -> {
            if (jsonLog != null && !e.type().equals("interim")) {
              append(e.toJson(now));
            }
            if (hooks != null) {
              hooks.run(e);
            }
            if (listener != null) {
              try {
                listener.accept(e);
              } catch (RuntimeException x) {
                LOG.log(Level.WARNING, "coati: session event listener failed: {0}", x.toString());
              }
            }
          });
    } catch (RejectedExecutionException full) {
      // counted (coati_queue_dropped_total{queue="events"}): the hooks or the log disk stall
    }
  }

  /**
   * Whether a failure from {@code peer} may be written to the human log now; every sixth and later
   * failure in the same minute is not, and the first one of the next minute says how many were
   * suppressed ({@code log} gets that line). Called on the socket thread.
   */
  public boolean logFailure(String peer, PrintStream log) {
    long minute = clock.getAsLong() / 60_000;
    long[] f = failures.computeIfAbsent(peer, p -> new long[] {minute, 0});
    if (f[0] != minute) {
      if (f[1] > FAILURES_PER_MINUTE) {
        log.println(
            "coati: "
                + (f[1] - FAILURES_PER_MINUTE)
                + " more authentication failures from "
                + peer
                + " were not logged (rate limit)");
      }
      f[0] = minute;
      f[1] = 0;
    }
    if (failures.size() > 10_000) {
      failures.clear(); // bounded memory under a spray of addresses
    }
    return ++f[1] <= FAILURES_PER_MINUTE;
  }

  private void append(String line) {
    try {
      logFile.append(line);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "coati: cannot write the event log {0}: {1}", jsonLog, e.getMessage());
    }
  }

  /** Waits (bounded) for queued events, at shutdown. */
  public void flush() {
    if (worker != null) {
      worker.shutdown();
      try {
        worker.awaitTermination(15, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
