package dev.coati.ike.wire;

import dev.coati.util.ByteReader;
import dev.coati.util.ByteWriter;

/**
 * IKEv1 fragment payload, type 132 (Cisco's format, also racoon's, strongSwan's and Windows'): a
 * whole ISAKMP message split into numbered pieces, each sent after a plain ISAKMP header.
 *
 * <pre>
 * ! Next Payload  !   RESERVED    !        Payload Length         !
 * !          Fragment ID          !  Fragment Num !     Flags     !
 * ~                         Fragment Data                         ~
 * </pre>
 */
public record FragmentPayload(int fragmentId, int number, int flags, byte[] data)
    implements Payload {
  public static final int FLAG_LAST = 1;

  public FragmentPayload {
    data = data.clone();
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  public boolean last() {
    return (flags & FLAG_LAST) != 0;
  }

  public static FragmentPayload decodeBody(ByteReader body) {
    return new FragmentPayload(body.u16(), body.u8(), body.u8(), body.rest());
  }

  @Override
  public PayloadType type() {
    return PayloadType.FRAGMENT;
  }

  @Override
  public void encodeBody(ByteWriter out) {
    out.u16(fragmentId).u8(number).u8(flags).bytes(data);
  }

  @Override
  public int bodyLength() {
    return 4 + data.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FragmentPayload p
        && p.fragmentId == fragmentId
        && p.number == number
        && p.flags == flags
        && OpaquePayloads.eq(p.data, data);
  }

  @Override
  public int hashCode() {
    return fragmentId * 31 + number + OpaquePayloads.hash(data);
  }
}
