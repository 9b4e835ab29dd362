package dev.coati.server.dataplane;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EarlyEspTest {
  static final long SECOND = 1_000_000_000L;

  /** The data plane as the parked packets see it: knows some first bytes ("SPIs"), takes those. */
  static final class Plane implements EarlyEsp.Inbound {
    final Set<Byte> known = new HashSet<>();
    final List<byte[]> taken = new ArrayList<>();

    @Override
    public boolean inbound(byte[] pkt, int off, int len) {
      if (!known.contains(pkt[off])) {
        return false;
      }
      taken.add(Arrays.copyOfRange(pkt, off, off + len));
      return true;
    }
  }

  static byte[] packet(int tag, int len) {
    byte[] p = new byte[len];
    Arrays.fill(p, (byte) tag);
    return p;
  }

  @Test
  void parkedPacket_isDecryptedOnceItsSaIsInstalled_inArrivalOrder() {
    EarlyEsp early = new EarlyEsp();
    DropCounters drops = new DropCounters();
    Plane plane = new Plane();
    byte[] framed = new byte[110];
    System.arraycopy(packet(7, 100), 0, framed, 10, 100);
    assertTrue(early.park(framed, 10, 100, 0, drops));
    assertTrue(early.park(packet(7, 60), 0, 60, 1, drops));
    early.replay(plane, SECOND / 10, drops); // an IKE message that did not install the SA
    assertTrue(plane.taken.isEmpty());
    assertFalse(early.isEmpty());
    plane.known.add((byte) 7); // the quick mode answer installed it
    early.replay(plane, SECOND / 5, drops);
    assertEquals(2, plane.taken.size());
    assertArrayEquals(packet(7, 100), plane.taken.get(0));
    assertArrayEquals(packet(7, 60), plane.taken.get(1));
    assertTrue(early.isEmpty());
    assertEquals(0, drops.get(DropCounters.Reason.EARLY_EXPIRED));
  }

  @Test
  void packetsNeverInstalled_expireAndAreCounted() {
    EarlyEsp early = new EarlyEsp();
    DropCounters drops = new DropCounters();
    Plane plane = new Plane();
    early.park(packet(1, 80), 0, 80, 0, drops);
    early.replay(plane, EarlyEsp.MAX_AGE_NANOS, drops);
    assertFalse(early.isEmpty(), "kept up to its age");
    early.replay(plane, EarlyEsp.MAX_AGE_NANOS + 1, drops);
    assertTrue(early.isEmpty());
    assertEquals(1, drops.get(DropCounters.Reason.EARLY_EXPIRED));
  }

  @Test
  void fullSlots_theOldestGivesWay_andLongPacketsAreNotParked() {
    EarlyEsp early = new EarlyEsp();
    DropCounters drops = new DropCounters();
    for (int i = 0; i < EarlyEsp.SLOTS + 3; i++) {
      assertTrue(early.park(packet(i, 40), 0, 40, i, drops));
    }
    assertEquals(3, drops.get(DropCounters.Reason.EARLY_EXPIRED));
    assertFalse(
        early.park(packet(99, EarlyEsp.MAX_LENGTH + 1), 0, EarlyEsp.MAX_LENGTH + 1, 20, drops));
    Plane plane = new Plane();
    for (int i = 0; i < EarlyEsp.SLOTS + 3; i++) {
      plane.known.add((byte) i);
    }
    early.replay(plane, 30, drops);
    assertEquals(EarlyEsp.SLOTS, plane.taken.size());
    for (int i = 0; i < EarlyEsp.SLOTS; i++) {
      assertEquals(i + 3, plane.taken.get(i)[0], "the three oldest gave way, the rest in order");
    }
    assertTrue(early.isEmpty());
  }
}
