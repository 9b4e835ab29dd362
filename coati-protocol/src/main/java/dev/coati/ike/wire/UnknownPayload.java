package dev.coati.ike.wire;

import dev.coati.util.ByteWriter;

/** A payload of a type we do not parse, kept verbatim so the message re-encodes identically. */
public record UnknownPayload(PayloadType type, byte[] body) implements Payload {
  public UnknownPayload {
    body = body.clone();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  @Override
  public void encodeBody(ByteWriter out) {
    out.bytes(body);
  }

  @Override
  public int bodyLength() {
    return body.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UnknownPayload p && p.type.equals(type) && OpaquePayloads.eq(p.body, body);
  }

  @Override
  public int hashCode() {
    return OpaquePayloads.hash(body) + type.code();
  }
}
