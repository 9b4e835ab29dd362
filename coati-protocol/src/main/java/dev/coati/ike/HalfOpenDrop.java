package dev.coati.ike;

/** Why a first message started no SA, or a half-open SA was dropped (one counter each). */
public enum HalfOpenDrop {
  /** The source already holds {@link HalfOpenLimits#perSource()} half-open SAs. */
  PER_SOURCE,
  /** Busy, and the source already holds a half-open SA. */
  BUSY_SOURCE,
  /** Busy: no aggressive mode for new peers. */
  BUSY_AGGRESSIVE,
  /** The table was full: the oldest half-open SA made room for a new one. */
  EVICTED,
  /** The peer never echoed our cookie within the half-open timeout. */
  TIMEOUT
}
