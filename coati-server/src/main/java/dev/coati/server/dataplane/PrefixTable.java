package dev.coati.server.dataplane;

/**
 * Longest-prefix match over IPv4 address ranges: one {@link IntBuckets} per prefix length in use,
 * probed longest first, so a road warrior's /32 is found with one hash probe and a site-to-site
 * subnet with one probe per distinct prefix length installed (at most 33). A range that is not a
 * prefix is stored as the few prefixes that cover it exactly. Within one prefix the newest value
 * comes first. One writer at a time (the caller synchronises); readers are lock-free and allocate
 * nothing.
 */
final class PrefixTable<V> {
  /** Whether a candidate found by the destination also fits the rest of the packet. */
  interface Match<V> {
    boolean test(V candidate, byte[] packet, int off);
  }

  @SuppressWarnings("unchecked")
  private final IntBuckets<V>[] byLength = new IntBuckets[33];

  private final int[] entries = new int[33]; // values stored per prefix length (writer only)
  private volatile int[] lengths = new int[0]; // prefix lengths in use, longest first

  /** Adds {@code v} for the addresses {@code from..to} (unsigned, inclusive). */
  void add(int from, int to, V v) {
    long lo = Integer.toUnsignedLong(from);
    long hi = Integer.toUnsignedLong(to);
    boolean newLength = false;
    for (int n = 0; lo <= hi && n < 64; n++) {
      int len = prefixAt(lo, hi);
      if (byLength[len] == null) {
        byLength[len] = new IntBuckets<>();
      }
      byLength[len].add((int) lo, v);
      newLength |= entries[len]++ == 0;
      lo += 1L << (32 - len);
    }
    if (newLength) {
      publishLengths();
    }
  }

  /** Removes what {@link #add} stored for the same range and value. */
  void remove(int from, int to, V v) {
    long lo = Integer.toUnsignedLong(from);
    long hi = Integer.toUnsignedLong(to);
    boolean lengthGone = false;
    for (int n = 0; lo <= hi && n < 64; n++) {
      int len = prefixAt(lo, hi);
      if (byLength[len] != null && byLength[len].remove((int) lo, v)) {
        lengthGone |= --entries[len] == 0;
      }
      lo += 1L << (32 - len);
    }
    if (lengthGone) {
      publishLengths();
    }
  }

  /**
   * The value of the longest prefix holding {@code address} that {@code match} accepts (newest
   * first within a prefix), or null.
   */
  V lookup(int address, byte[] packet, int off, Match<V> match) {
    int[] ls = lengths;
    for (int len : ls) {
      Object[] values = byLength[len].get(len == 0 ? 0 : address & (-1 << (32 - len)));
      if (values == null) {
        continue;
      }
      for (Object o : values) {
        @SuppressWarnings("unchecked")
        V v = (V) o;
        if (match.test(v, packet, off)) {
          return v;
        }
      }
    }
    return null;
  }

  /**
   * The longest prefix length whose block starts at {@code lo} and ends at or before {@code hi}.
   */
  static int prefixAt(long lo, long hi) {
    int aligned = lo == 0 ? 32 : Math.min(32, Long.numberOfTrailingZeros(lo));
    int fits = 63 - Long.numberOfLeadingZeros(hi - lo + 1);
    return 32 - Math.min(aligned, fits);
  }

  private void publishLengths() {
    int count = 0;
    for (int e : entries) {
      count += e > 0 ? 1 : 0;
    }
    int[] next = new int[count];
    int i = 0;
    for (int len = 32; len >= 0; len--) {
      if (entries[len] > 0) {
        next[i++] = len;
      }
    }
    lengths = next;
  }
}
