package dev.coati.ike.wire;

import dev.coati.util.ByteReader;
import dev.coati.util.ByteWriter;

/**
 * Vendor ID payload (RFC 2408 section 3.16).
 *
 * <pre>
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * ~                          data (variable)                         ~
 * </pre>
 */
public record VendorIdPayload(byte[] data) implements Payload {
  public VendorIdPayload {
    data = data.clone();
  }

  public static VendorIdPayload decodeBody(ByteReader body) {
    return new VendorIdPayload(body.rest());
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  @Override
  public PayloadType type() {
    return PayloadType.VENDOR_ID;
  }

  @Override
  public void encodeBody(ByteWriter out) {
    out.bytes(data);
  }

  @Override
  public int bodyLength() {
    return data.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VendorIdPayload p && OpaquePayloads.eq(p.data, data);
  }

  @Override
  public int hashCode() {
    return OpaquePayloads.hash(data);
  }

  @Override
  public String toString() {
    return "VendorIdPayload[" + OpaquePayloads.hex(data) + "]";
  }
}
