package dev.coati.ike;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.crypto.HashAlg;
import dev.coati.util.Hex;
import org.junit.jupiter.api.Test;

class IvManagerTest {
  static IvManager withPhase1(byte[] iv) {
    IvManager m = new IvManager();
    m.setHash(HashAlg.SHA1, 16);
    m.setPhase1Iv(iv);
    return m;
  }

  @Test
  void phase1Chain_advancesOnlyOnConfirm() {
    byte[] iv0 = Hex.decode("000102030405060708090a0b0c0d0e0f");
    byte[] b1 = Hex.decode("101112131415161718191a1b1c1d1e1f");
    IvManager m = withPhase1(iv0);
    m.update(0, b1);
    assertArrayEquals(iv0, m.ivFor(0), "a message that did not verify leaves the IV alone");
    m.confirm(0);
    assertArrayEquals(b1, m.ivFor(0));
  }

  @Test
  void phase2Iv_isHashOfLastPhase1BlockAndMessageId() {
    byte[] last = Hex.decode("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
    IvManager m = withPhase1(last);
    int mid = 0x0badcafe;
    assertArrayEquals(Keymat.phase2Iv(HashAlg.SHA1, last, mid, 16), m.ivFor(mid));
    byte[] next = Hex.decode("b0b1b2b3b4b5b6b7b8b9babbbcbdbebf");
    m.update(mid, next);
    m.confirm(mid);
    assertArrayEquals(next, m.ivFor(mid));
    assertArrayEquals(last, m.ivFor(0), "phase-2 chains leave phase 1 alone");
  }

  @Test
  void chains_areBounded_phase1Kept() {
    IvManager m = withPhase1(new byte[16]);
    for (int mid = 1; mid <= 200; mid++) {
      m.ivFor(mid);
    }
    assertTrue(m.size() <= IvManager.MAX_CHAINS + 1);
    assertArrayEquals(new byte[16], m.current(0));
  }
}
