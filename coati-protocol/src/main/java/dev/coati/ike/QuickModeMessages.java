package dev.coati.ike;

import dev.coati.ike.wire.HashPayload;
import dev.coati.ike.wire.IkeProtocolException;
import dev.coati.ike.wire.IsakmpCodec;
import dev.coati.ike.wire.NotifyType;
import dev.coati.ike.wire.Payload;
import java.security.MessageDigest;
import java.util.List;

/** Quick mode's HASH handling: the HASH payload comes first and covers the rest (RFC 2409 5.5). */
final class QuickModeMessages {
  private QuickModeMessages() {}

  static void verifyHash(InboundMessage in, byte[] expected) {
    if (in.payloads().isEmpty() || !(in.payloads().get(0) instanceof HashPayload h)) {
      throw new IkeProtocolException(NotifyType.INVALID_HASH_INFORMATION, "HASH must be first");
    }
    if (!MessageDigest.isEqual(expected, h.data())) {
      throw new IkeProtocolException(NotifyType.INVALID_HASH_INFORMATION, "quick mode HASH");
    }
  }

  static byte[] rest(InboundMessage in) {
    return in.payloads().size() > 1 ? in.body().bytesFrom(1) : new byte[0];
  }

  static byte[] encode(List<Payload> ps) {
    return IsakmpCodec.encodePayloads(ps);
  }
}
