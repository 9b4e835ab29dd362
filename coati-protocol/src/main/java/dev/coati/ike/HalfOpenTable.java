package dev.coati.ike;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The responder SAs still half-open, oldest first, with a count per source address (the engine's
 * bookkeeping for {@link HalfOpenLimits}). An SA leaves when its peer echoes our cookie ({@link
 * #verified}) or when it is removed; the queue drops such entries lazily as they reach its head.
 */
final class HalfOpenTable {
  private record Entry(IkeSa sa, long since) {}

  private final IkePolicy policy;
  private final EngineCounters counters;
  private final ArrayDeque<Entry> queue = new ArrayDeque<>();
  private final Map<SourceKey, Integer> perSource = new HashMap<>();
  private int size;
  private long reportedAt;
  private long reportedDrops;

  /** The limits are read from {@code policy} at each use, so a reload changes them. */
  HalfOpenTable(IkePolicy policy, EngineCounters counters) {
    this.policy = policy;
    this.counters = counters;
  }

  /** Counts a refused first message or a dropped half-open SA. */
  void count(HalfOpenDrop why) {
    counters.halfOpenDrops[why.ordinal()]++;
  }

  /** The current count of half-open SAs. */
  int size() {
    return size;
  }

  /** Whether the gateway is in its load state (at or above the busy threshold). */
  boolean busy() {
    return size >= policy.halfOpenLimits().busy();
  }

  /** Null if a new half-open SA from {@code source} may start, else why not. */
  HalfOpenDrop check(byte[] source, boolean aggressive) {
    int fromSource = perSource.getOrDefault(SourceKey.of(source), 0);
    if (busy() && aggressive) {
      return HalfOpenDrop.BUSY_AGGRESSIVE;
    }
    if (busy() && fromSource > 0) {
      return HalfOpenDrop.BUSY_SOURCE;
    }
    return fromSource >= policy.halfOpenLimits().perSource() ? HalfOpenDrop.PER_SOURCE : null;
  }

  /** The oldest half-open SA if the table is full (the caller drops it to make room), else null. */
  IkeSa overflow() {
    if (size < policy.halfOpenLimits().max()) {
      return null;
    }
    trimHead();
    return queue.isEmpty() ? null : queue.peekFirst().sa();
  }

  void add(IkeSa sa, long now) {
    sa.halfOpen(true);
    queue.addLast(new Entry(sa, now));
    perSource.merge(SourceKey.of(sa.peer().address()), 1, Integer::sum);
    counters.halfOpen = ++size;
  }

  /** The peer echoed our cookie, or the SA is gone: it no longer counts as half-open. */
  void release(IkeSa sa) {
    if (!sa.halfOpen()) {
      return;
    }
    sa.halfOpen(false);
    counters.halfOpen = --size;
    perSource.computeIfPresent(SourceKey.of(sa.peer().address()), (k, n) -> n > 1 ? n - 1 : null);
  }

  /** The oldest half-open SA if it is older than the timeout, else null. */
  IkeSa expired(long now) {
    trimHead();
    Entry head = queue.peekFirst();
    return head != null && now - head.since() >= policy.halfOpenLimits().timeoutMillis()
        ? head.sa()
        : null;
  }

  /**
   * A summary line at most once a minute, when first messages were refused or half-open SAs dropped
   * since the last one (instead of a line per packet); else null.
   */
  String report(long now) {
    long dropped = counters.halfOpenDropped();
    if (now - reportedAt < 60_000 || dropped == reportedDrops) {
      return null;
    }
    String line =
        "half-open IKE SAs: "
            + size
            + " now"
            + (busy() ? ", busy: aggressive mode and repeat sources refused" : "")
            + "; "
            + (dropped - reportedDrops)
            + " first messages refused or half-open SAs dropped since the last report (totals: "
            + counters.halfOpenSummary()
            + ")";
    reportedAt = now;
    reportedDrops = dropped;
    return line;
  }

  private void trimHead() {
    while (!queue.isEmpty() && !queue.peekFirst().sa().halfOpen()) {
      queue.removeFirst();
    }
  }

  /** A source address as a map key (IPv4 or IPv6). */
  private record SourceKey(long high, long low) {
    static SourceKey of(byte[] a) {
      long hi = 0;
      long lo = 0;
      for (int i = 0; i < a.length; i++) {
        if (i < 8) {
          hi = hi << 8 | (a[i] & 0xff);
        } else {
          lo = lo << 8 | (a[i] & 0xff);
        }
      }
      return new SourceKey(a.length == 4 ? -1 : hi, a.length == 4 ? hi : lo);
    }
  }
}
