package dev.coati.ike.wire;

import java.util.List;

/** An unencrypted ISAKMP message: header and payloads. */
public record IsakmpMessage(IsakmpHeader header, List<Payload> payloads) {
  public IsakmpMessage {
    payloads = List.copyOf(payloads);
  }

  /** Decodes a plaintext datagram; an encrypted one is refused (its body needs the SA keys). */
  public static IsakmpMessage decode(byte[] datagram) {
    IsakmpHeader h = IsakmpCodec.peekHeader(datagram);
    if (h.isEncrypted()) {
      throw new MalformedPacketException(NotifyType.INVALID_FLAGS, "message is encrypted");
    }
    IsakmpCodec.DecodedBody body =
        IsakmpCodec.decodePayloads(
            h.nextPayload(), datagram, IsakmpHeader.SIZE, h.length() - IsakmpHeader.SIZE);
    return new IsakmpMessage(h, body.payloads());
  }

  public byte[] encode() {
    return IsakmpCodec.assemble(header, payloads);
  }
}
