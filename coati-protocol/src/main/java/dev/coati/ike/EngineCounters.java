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
}
