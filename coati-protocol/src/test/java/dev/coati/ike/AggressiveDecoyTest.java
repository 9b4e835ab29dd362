package dev.coati.ike;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.ike.wire.ExchangeType;
import dev.coati.ike.wire.IdPayload;
import dev.coati.ike.wire.IsakmpCodec;
import dev.coati.ike.wire.IsakmpHeader;
import dev.coati.util.RandomSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue #13 finding 5: aggressive mode is no ID oracle. A group the gateway knows and one it does
 * not (or one it knows but does not allow aggressive mode for) get answers of the same shape and
 * size, each with a HASH_R; the difference is only which key the HASH_R is under.
 */
class AggressiveDecoyTest {
  /** The responder's answer to an aggressive mode first message from {@code group}. */
  private static byte[] answer(String group, boolean listed, long seed) {
    EnginePair p = new EnginePair("aes256-sha256-modp2048", "aes128-sha1", seed);
    p.iPolicy.localId = IdPayload.keyId(group.getBytes());
    p.iPolicy.psks.put("any", "client-guess");
    p.iPolicy.fragmentSize = 0; // no IKE fragmentation offered: the answer is one datagram
    p.rPolicy.psks.put("any", "the-real-group-secret");
    if (listed) {
      p.rPolicy.aggressiveIds.add(group);
    }
    p.connect(ExchangeType.AGGRESSIVE);
    p.responder.receive(EnginePair.R_ADDR, EnginePair.I_ADDR, p.toResponder.poll().bytes());
    assertEquals(1, p.toInitiator.size(), "one answer");
    return p.toInitiator.poll().bytes();
  }

  /** The payload types of a plain ISAKMP message in order, with each payload's length. */
  private static List<String> shape(byte[] msg) {
    IsakmpHeader h = IsakmpCodec.peekHeader(msg);
    List<String> out = new ArrayList<>();
    out.add(h.exchangeType() + " len " + msg.length);
    int next = msg[16] & 0xff;
    int off = IsakmpHeader.SIZE;
    while (next != 0) {
      int len = ((msg[off + 2] & 0xff) << 8) | (msg[off + 3] & 0xff);
      out.add(next + ":" + len);
      next = msg[off] & 0xff;
      off += len;
    }
    return out;
  }

  @Test
  void unknownAndRefusedGroupsAreAnsweredExactlyLikeAKnownOne() {
    List<String> known = shape(answer("vpngroup", true, 7));
    assertEquals(known, shape(answer("vpngrouq", false, 7)), "unknown group");
    assertEquals(known, shape(answer("vpngroup", false, 7)), "known group, aggressive mode off");
    assertTrue(known.stream().anyMatch(s -> s.startsWith("8:")), "a HASH payload: " + known);
    assertFalse(known.stream().anyMatch(s -> s.startsWith("11:")), "no notify: " + known);
  }

  @Test
  void theDecoyKeyIsStablePerIdentityAndSecretPerProcess() {
    DecoyKeys a = new DecoyKeys(RandomSource.deterministic(1));
    DecoyKeys b = new DecoyKeys(RandomSource.deterministic(2));
    byte[] id = IdPayload.keyId("other".getBytes()).body();
    assertArrayEquals(a.forIdentity(id).bytes(), a.forIdentity(id).bytes());
    assertFalse(
        Arrays.equals(a.forIdentity(id).bytes(), b.forIdentity(id).bytes()),
        "another boot, another key");
    assertFalse(
        Arrays.equals(
            a.forIdentity(id).bytes(),
            a.forIdentity(IdPayload.keyId("x".getBytes()).body()).bytes()));
  }
}
