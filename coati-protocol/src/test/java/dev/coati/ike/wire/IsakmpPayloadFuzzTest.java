package dev.coati.ike.wire;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.coati.ike.Phase1Transform;
import dev.coati.ike.Phase2Transform;
import dev.coati.ike.TrafficSelector;
import dev.coati.util.ByteWriter;
import java.util.Arrays;
import java.util.List;

/**
 * Jazzer target for each payload decoder: the first byte picks the payload type (one of {@link
 * #TYPES}), the rest is the payload body, decoded through the same chain walk the engine uses and
 * then read the way the engine reads it (transforms, selectors, fragments). Only {@link
 * IkeProtocolException} may escape.
 */
class IsakmpPayloadFuzzTest {
  static final int[] TYPES = {1, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 20, 21, 130, 131, 132};

  @FuzzTest
  void decodeBody(byte[] input) {
    if (input.length < 1 || input.length > 0xffff - 4) {
      return;
    }
    PayloadType type = new PayloadType(TYPES[(input[0] & 0xff) % TYPES.length]);
    ByteWriter w = new ByteWriter(input.length + 3);
    w.u8(0).u8(0).u16(input.length + 3).bytes(Arrays.copyOfRange(input, 1, input.length));
    byte[] buf = w.toByteArray();
    try {
      Payload p = IsakmpCodec.decodePayloads(type, buf, 0, buf.length).payloads().get(0);
      interpret(p);
      IsakmpCodec.encodePayloads(List.of(p));
    } catch (IkeProtocolException expected) {
      // the documented parse failure
    }
  }

  private static void interpret(Payload p) {
    switch (p) {
      case SaPayload sa -> {
        for (Proposal prop : sa.proposals()) {
          for (Transform t : prop.transforms()) {
            Phase1Transform.parse(t);
            Phase2Transform.parse(t);
          }
        }
      }
      case IdPayload id -> TrafficSelector.fromId(id);
      case FragmentPayload f -> new FragmentReassembler().add(f);
      default -> {}
    }
  }
}
