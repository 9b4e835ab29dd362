package dev.coati.ike;

import java.util.Locale;

/** Plain counters of what the engine saw (read by metrics; single-threaded like the engine). */
public final class EngineCounters {
  long malformed;
  long unknownSa;
  long unhandled;
  long ikeStarted;
  long ikeEstablished;
  long ikeFailed;
  long ikeDeleted;
  long childEstablished;
  long duplicatesAnswered;
  long duplicatesDropped;
  int halfOpen;
  final long[] halfOpenDrops = new long[HalfOpenDrop.values().length];

  public long malformed() {
    return malformed;
  }

  public long unknownSa() {
    return unknownSa;
  }

  public long unhandled() {
    return unhandled;
  }

  public long ikeStarted() {
    return ikeStarted;
  }

  public long ikeEstablished() {
    return ikeEstablished;
  }

  public long ikeFailed() {
    return ikeFailed;
  }

  public long ikeDeleted() {
    return ikeDeleted;
  }

  public long childEstablished() {
    return childEstablished;
  }

  /** Retransmitted peer requests answered with the cached answer. */
  public long duplicatesAnswered() {
    return duplicatesAnswered;
  }

  /**
   * Copies of peer messages dropped unanswered: answers to our own requests (which only our timer
   * re-sends), stale messages of a finished exchange, older messages of a running one.
   */
  public long duplicatesDropped() {
    return duplicatesDropped;
  }

  /** Responder SAs whose peer has not echoed our cookie yet. */
  public int halfOpen() {
    return halfOpen;
  }

  /** First messages refused and half-open SAs dropped, by reason. */
  public long halfOpenDrops(HalfOpenDrop reason) {
    return halfOpenDrops[reason.ordinal()];
  }

  long halfOpenDropped() {
    long n = 0;
    for (long d : halfOpenDrops) {
      n += d;
    }
    return n;
  }

  /** The drop counters as text, e.g. {@code per_source=3 evicted=0 ...} (totals since start). */
  String halfOpenSummary() {
    StringBuilder b = new StringBuilder();
    for (HalfOpenDrop d : HalfOpenDrop.values()) {
      b.append(b.isEmpty() ? "" : " ")
          .append(d.name().toLowerCase(Locale.ROOT))
          .append('=')
          .append(halfOpenDrops[d.ordinal()]);
    }
    return b.toString();
  }
}
