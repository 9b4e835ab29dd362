package dev.coati.server.dataplane;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IntBucketsTest {
  @Test
  void twentyThousandKeys_withChurn_matchAHashMapOracle_andTheTableTracksLiveKeysNotChurn() {
    IntBuckets<String> m = new IntBuckets<>();
    Map<Integer, String> oracle = new HashMap<>();
    Random rnd = new Random(15);
    List<Integer> keys = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      int k = i % 2 == 0 ? 0x0a630000 + i : rnd.nextInt(); // pool addresses and random SPIs
      if (oracle.containsKey(k)) {
        continue;
      }
      String v = "v" + i;
      assertNull(m.put(k, v));
      oracle.put(k, v);
      keys.add(k);
    }
    assertEquals(oracle.size(), m.size());
    for (int round = 0; round < 200_000; round++) {
      int k = keys.get(rnd.nextInt(keys.size()));
      if (oracle.containsKey(k)) {
        assertSame(oracle.remove(k), m.removeAll(k));
      } else {
        String v = "r" + round;
        m.put(k, v);
        oracle.put(k, v);
      }
    }
    assertEquals(oracle.size(), m.size());
    for (int k : keys) {
      assertSame(oracle.get(k), m.value(k), "key " + k);
    }
    for (int i = 0; i < 10_000; i++) {
      int k = rnd.nextInt();
      assertSame(oracle.get(k), m.value(k));
    }
    assertTrue(m.capacity() <= 131_072, "capacity " + m.capacity() + " for <= 20,000 keys");
  }

  @Test
  void bucketsKeepTheNewestFirst_andRemoveByIdentity() {
    IntBuckets<String> m = new IntBuckets<>();
    String a = new String("x");
    String b = new String("x");
    String c = "c";
    m.add(7, a);
    m.add(7, b);
    m.add(7, c);
    assertArrayEquals(new Object[] {c, b, a}, m.get(7));
    assertTrue(m.remove(7, b));
    assertFalse(m.remove(7, b), "already gone");
    assertFalse(m.remove(8, a), "no such key");
    assertArrayEquals(new Object[] {c, a}, m.get(7));
    assertSame(a, m.get(7)[1], "identity, not equals");
    assertTrue(m.remove(7, c));
    assertTrue(m.remove(7, a));
    assertNull(m.get(7));
    assertEquals(0, m.size());
    assertNull(m.removeAll(7));
  }

  @Test
  void aReaderOnAnotherThread_alwaysSeesAWholeBucket_whileTheWriterChurnsAndResizes()
      throws Exception {
    IntBuckets<Integer> m = new IntBuckets<>();
    Integer stable = 42;
    m.put(1, stable);
    Thread writer =
        new Thread(
            () -> {
              for (int i = 2; i < 50_000; i++) {
                m.put(i, i);
                if (i % 3 == 0) {
                  m.removeAll(i - 1);
                }
              }
            });
    writer.start();
    long checks = 0;
    while (writer.isAlive() && checks < 50_000_000) {
      assertSame(stable, m.value(1), "a key never touched is always found");
      checks++;
    }
    writer.join(60_000);
    assertSame(stable, m.value(1));
  }
}
