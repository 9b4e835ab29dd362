package dev.coati.server.queues;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every queue in the server is bounded; what a full queue refuses is counted here by queue name and
 * exported as {@code coati_queue_dropped_total{queue=...}}. The worker threads built here take at
 * most {@code capacity} waiting tasks; a task offered to a full queue is counted and refused with a
 * {@link RejectedExecutionException} (after shutdown: refused, not counted), so the caller decides
 * what a lost task means (a lost event, an accounting record reported as not sent, a lease file
 * write retried on the next tick).
 */
public final class BoundedQueues {
  /** Session events (JSON log, hooks, RADIUS accounting listener). */
  public static final String EVENTS = "events";

  /** Lease file writes. */
  public static final String LEASES = "leases";

  /** RADIUS accounting requests. */
  public static final String RADIUS_ACCOUNTING = "radius_accounting";

  /** Work handed back to the IKE socket thread (auth results, control commands). */
  public static final String IKE_POSTED = "ike_posted";

  private static final Map<String, LongAdder> DROPS = new ConcurrentHashMap<>();

  static {
    for (String q : new String[] {EVENTS, LEASES, RADIUS_ACCOUNTING, IKE_POSTED}) {
      DROPS.put(q, new LongAdder());
    }
  }

  private BoundedQueues() {}

  /** Counts one task refused by {@code queue}. */
  public static void dropped(String queue) {
    DROPS.computeIfAbsent(queue, q -> new LongAdder()).increment();
  }

  /** Tasks refused so far, by queue name (sorted). */
  public static Map<String, Long> drops() {
    Map<String, Long> m = new TreeMap<>();
    DROPS.forEach((q, n) -> m.put(q, n.sum()));
    return m;
  }

  /** One daemon thread named {@code thread} with at most {@code capacity} tasks waiting. */
  public static ThreadPoolExecutor singleThread(String queue, String thread, int capacity) {
    return new ThreadPoolExecutor(
        1,
        1,
        0,
        TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(capacity),
        r -> Thread.ofPlatform().daemon().name(thread).unstarted(r),
        (r, executor) -> {
          if (!executor.isShutdown()) {
            dropped(queue);
          }
          throw new RejectedExecutionException(queue + " queue full (" + capacity + " waiting)");
        });
  }
}
