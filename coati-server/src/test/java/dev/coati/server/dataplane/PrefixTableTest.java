package dev.coati.server.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Longest-prefix match against a brute-force oracle that scans every entry. */
class PrefixTableTest {
  /** An entry: an address range and the one source address it accepts (-1: any). */
  record Entry(long lo, long hi, int source, int order) {}

  static final PrefixTable.Match<Entry> SOURCE =
      (e, p, off) -> e.source() == -1 || e.source() == OutboundRoutes.ipv4(p, off + 12);

  /** The length of the largest aligned block holding {@code a} inside [lo, hi] (-1: none). */
  static int blockLength(long a, long lo, long hi) {
    if (a < lo || a > hi) {
      return -1;
    }
    for (int len = 0; len <= 32; len++) {
      long size = 1L << (32 - len);
      long start = a & ~(size - 1) & 0xffffffffL;
      if (start >= lo && start + size - 1 <= hi) {
        return len;
      }
    }
    throw new AssertionError();
  }

  /** Longest block first, then the newest entry (highest order). */
  static Entry oracle(List<Entry> entries, long dst, int src) {
    Entry best = null;
    int bestLen = -1;
    for (Entry e : entries) {
      int len = blockLength(dst, e.lo(), e.hi());
      if (len < 0 || (e.source() != -1 && e.source() != src)) {
        continue;
      }
      if (len > bestLen || (len == bestLen && e.order() > best.order())) {
        best = e;
        bestLen = len;
      }
    }
    return best;
  }

  static byte[] packet(long dst, int src) {
    byte[] p = new byte[20];
    for (int i = 0; i < 4; i++) {
      p[12 + i] = (byte) (src >>> (24 - 8 * i));
      p[16 + i] = (byte) (dst >>> (24 - 8 * i));
    }
    return p;
  }

  static Entry lookup(PrefixTable<Entry> t, long dst, int src) {
    byte[] p = packet(dst, src);
    return t.lookup((int) dst, p, 0, SOURCE);
  }

  @Test
  void twentyThousandRoadWarriorsAndSiteToSiteRanges_matchTheBruteForceOracle() {
    Random rnd = new Random(20_000);
    PrefixTable<Entry> t = new PrefixTable<>();
    List<Entry> entries = new ArrayList<>();
    int order = 0;
    for (int i = 0; i < 20_000; i++) { // road warriors: /32s in 10.96.0.0/12, some twice (rekey)
      long a = 0x0a600000L + rnd.nextInt(1 << 20);
      entries.add(new Entry(a, a, -1, order++));
    }
    for (int i = 0; i < 300; i++) { // site-to-site: prefixes and arbitrary ranges, some filtered
      int len = rnd.nextInt(33);
      long base = (0x0a000000L | rnd.nextInt(1 << 24)) & (0xffffffffL << (32 - len)) & 0xffffffffL;
      long lo = base;
      long hi = base + (1L << (32 - len)) - 1;
      if (i % 3 == 0) { // a range that is not a prefix
        lo = 0x0a000000L + rnd.nextInt(1 << 24);
        hi = Math.min(0x0affffffL, lo + rnd.nextInt(1 << rnd.nextInt(24)));
      }
      int source = i % 4 == 0 ? 0xc0000200 + rnd.nextInt(4) : -1;
      entries.add(new Entry(lo, hi, source, order++));
    }
    entries.add(new Entry(0, 0xffffffffL, 0xc0000201, order++)); // a default route for one source
    for (Entry e : entries) {
      t.add((int) e.lo(), (int) e.hi(), e);
    }
    check(t, entries, rnd, 20_000);

    for (int i = entries.size() - 1; i >= 0; i -= 2) { // remove half, newest-first and scattered
      Entry e = entries.remove(i);
      t.remove((int) e.lo(), (int) e.hi(), e);
    }
    check(t, entries, rnd, 10_000);
    for (Entry e : entries) {
      t.remove((int) e.lo(), (int) e.hi(), e);
    }
    for (int i = 0; i < 1_000; i++) {
      assertNull(lookup(t, rnd.nextInt() & 0xffffffffL, 0xc0000201));
    }
  }

  private static void check(PrefixTable<Entry> t, List<Entry> entries, Random rnd, int queries) {
    for (int q = 0; q < queries; q++) {
      Entry near = entries.get(rnd.nextInt(entries.size()));
      long dst =
          switch (q % 3) {
            case 0 -> near.lo() + (long) (rnd.nextDouble() * (near.hi() - near.lo() + 1));
            case 1 -> Math.max(0, near.lo() - 1 + rnd.nextInt(3)) & 0xffffffffL; // edges
            default -> 0x0a000000L + rnd.nextInt(1 << 24);
          };
      int src = rnd.nextBoolean() ? 0xc0000200 + rnd.nextInt(4) : 0x0a630001;
      assertSame(oracle(entries, dst, src), lookup(t, dst, src), "dst " + Long.toHexString(dst));
    }
  }

  @Test
  void rangesAreCoveredByTheirExactPrefixes() {
    assertEquals(0, PrefixTable.prefixAt(0, 0xffffffffL));
    assertEquals(32, PrefixTable.prefixAt(0x0a000001L, 0x0a000006L));
    assertEquals(31, PrefixTable.prefixAt(0x0a000002L, 0x0a000006L));
    assertEquals(24, PrefixTable.prefixAt(0x0a000000L, 0x0a0000ffL));
    assertEquals(25, PrefixTable.prefixAt(0x0a000000L, 0x0a0000feL));
    PrefixTable<Entry> t = new PrefixTable<>();
    Entry e = new Entry(0x0a000001L, 0x0a000006L, -1, 0);
    t.add(0x0a000001, 0x0a000006, e);
    for (long a = 0x0a000000L; a <= 0x0a000007L; a++) {
      assertEquals(a >= 0x0a000001L && a <= 0x0a000006L ? e : null, lookup(t, a, 0));
    }
  }
}
