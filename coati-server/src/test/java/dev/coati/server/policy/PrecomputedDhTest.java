package dev.coati.server.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.crypto.DhFactory;
import dev.coati.crypto.DhGroup;
import dev.coati.crypto.KeyExchange;
import dev.coati.util.Hex;
import dev.coati.util.RandomSource;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrecomputedDhTest {
  private static final DhFactory PEER = DhFactory.using(RandomSource.secure());

  /** Waits (bounded) until the filler has handed at least one pair to the pool. */
  private static KeyExchange pooledPair(PrecomputedDh dh, DhGroup g) throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      long before = dh.pooled();
      KeyExchange k = dh.create(g);
      if (dh.pooled() > before) {
        return k;
      }
      k.destroy();
      Thread.sleep(10);
    }
    throw new AssertionError("the filler never filled the pool");
  }

  @Test
  void pooledPairs_agreeWithAPeer_andAreNeverHandedOutTwice() throws Exception {
    try (PrecomputedDh dh =
        new PrecomputedDh(
            DhFactory.using(RandomSource.secure()),
            List.of(DhGroup.MODP_2048, DhGroup.ECP_256),
            8)) {
      Set<String> seen = new HashSet<>();
      for (DhGroup g : List.of(DhGroup.MODP_2048, DhGroup.ECP_256)) {
        for (int i = 0; i < 12; i++) {
          KeyExchange ours = i == 0 ? pooledPair(dh, g) : dh.create(g);
          KeyExchange peer = PEER.create(g);
          assertEquals(g, ours.group());
          assertArrayEquals(
              ours.agree(peer.publicKey()).bytes(),
              peer.agree(ours.publicKey()).bytes(),
              "both sides derive the same g^xy");
          assertTrue(seen.add(Hex.encode(ours.publicKey())), "a key pair is used once");
          ours.destroy();
        }
      }
      assertTrue(dh.pooled() >= 2, "pairs came from the pool: " + dh.pooled());
    }
  }

  @Test
  void aGroupNotPooled_isGeneratedInline() {
    try (PrecomputedDh dh =
        new PrecomputedDh(DhFactory.using(RandomSource.secure()), List.of(DhGroup.MODP_2048), 4)) {
      KeyExchange k = dh.create(DhGroup.MODP_1024);
      assertEquals(DhGroup.MODP_1024, k.group());
      assertEquals(1, dh.inline());
      assertEquals(0, dh.pooled());
    }
  }

  @Test
  void close_stopsTheFillerAndDestroysTheRest() throws Exception {
    PrecomputedDh dh =
        new PrecomputedDh(DhFactory.using(RandomSource.secure()), List.of(DhGroup.MODP_1024), 4);
    pooledPair(dh, DhGroup.MODP_1024).destroy();
    dh.close();
    assertFalse(
        Thread.getAllStackTraces().keySet().stream()
            .anyMatch(t -> t.getName().equals("coati-dh-precompute") && t.isAlive()),
        "the filler thread ended");
  }
}
