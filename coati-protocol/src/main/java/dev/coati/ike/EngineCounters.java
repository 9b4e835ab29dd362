package dev.coati.ike;

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
}
