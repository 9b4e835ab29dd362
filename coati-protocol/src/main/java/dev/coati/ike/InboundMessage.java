package dev.coati.ike;

import dev.coati.ike.wire.IsakmpCodec;
import dev.coati.ike.wire.IsakmpHeader;
import dev.coati.ike.wire.Payload;
import dev.coati.ike.wire.PayloadRules;
import dev.coati.ike.wire.PayloadType;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** A received message after decryption, decoding and the payload-rule check. */
record InboundMessage(
    IsakmpHeader header, IsakmpCodec.DecodedBody body, PeerAddress from, boolean encrypted) {

  /**
   * Decrypts (if flagged), decodes and rule-checks a datagram of {@code sa}. The IV of an encrypted
   * message stays pending until the caller confirms it.
   */
  static InboundMessage read(IkeSa sa, IsakmpHeader hdr, byte[] datagram, PeerAddress from) {
    byte[] body = Arrays.copyOfRange(datagram, IsakmpHeader.SIZE, hdr.length());
    if (hdr.isEncrypted()) {
      body = sa.decrypt(hdr.messageId(), body);
    }
    IsakmpCodec.DecodedBody decoded =
        IsakmpCodec.decodePayloads(hdr.nextPayload(), body, 0, body.length);
    PayloadRules.check(hdr.exchangeType(), decoded.payloads(), hdr.isEncrypted());
    return new InboundMessage(hdr, decoded, from, hdr.isEncrypted());
  }

  List<Payload> payloads() {
    return body.payloads();
  }

  <T extends Payload> Optional<T> first(Class<T> type) {
    for (Payload p : body.payloads()) {
      if (type.isInstance(p)) {
        return Optional.of(type.cast(p));
      }
    }
    return Optional.empty();
  }

  <T extends Payload> List<T> all(Class<T> type) {
    return body.payloads().stream().filter(type::isInstance).map(type::cast).toList();
  }

  int indexOf(PayloadType type) {
    List<Payload> ps = body.payloads();
    for (int i = 0; i < ps.size(); i++) {
      if (ps.get(i).type().equals(type)) {
        return i;
      }
    }
    return -1;
  }

  /** The body of payload {@code index} exactly as received (without its generic header). */
  byte[] rawBody(int index) {
    int start = body.starts()[index] + 4;
    int end = index + 1 < body.starts().length ? body.starts()[index + 1] : body.end();
    return Arrays.copyOfRange(body.raw(), start, end);
  }
}
