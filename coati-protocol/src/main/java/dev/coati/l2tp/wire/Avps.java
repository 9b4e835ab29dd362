package dev.coati.l2tp.wire;

import dev.coati.util.ByteReader;
import dev.coati.util.ByteWriter;
import java.nio.charset.StandardCharsets;

/**
 * Builders and typed readers for the AVPs of RFC 2661 section 4.4. The M bit follows the RFC for
 * each type. Proxy authentication AVPs (26-33), Call Errors and ACCM are kept opaque: build them
 * with {@link #opaque} and read {@link Avp#value()}.
 */
public final class Avps {
  private Avps() {}

  // Framing Capabilities / Framing Type bits (section 4.4.3, 4.4.5)
  public static final int FRAMING_SYNC = 1;
  public static final int FRAMING_ASYNC = 2;
  // Bearer Capabilities / Bearer Type bits
  public static final int BEARER_DIGITAL = 1;
  public static final int BEARER_ANALOG = 2;

  /** Protocol Version AVP value: version 1, revision 0 for RFC 2661. */
  public record ProtocolVersion(int version, int revision) {}

  /** Q.931 Cause Code AVP value (section 4.4.5). */
  public record Q931Cause(int causeCode, int causeMsg, String advisory) {}

  public static Avp messageType(MessageType t) {
    return u16(true, AvpType.MESSAGE_TYPE, t.code());
  }

  public static Avp resultCode(ResultCode rc) {
    return new Avp(true, AvpType.RESULT_CODE, rc.encode());
  }

  public static Avp protocolVersion(int version, int revision) {
    return new Avp(true, AvpType.PROTOCOL_VERSION, new byte[] {(byte) version, (byte) revision});
  }

  public static Avp framingCapabilities(int bits) {
    return u32(true, AvpType.FRAMING_CAPABILITIES, bits);
  }

  public static Avp bearerCapabilities(int bits) {
    return u32(true, AvpType.BEARER_CAPABILITIES, bits);
  }

  public static Avp tieBreaker(long value) {
    return new Avp(false, AvpType.TIE_BREAKER, new ByteWriter(8).i64(value).toByteArray());
  }

  public static Avp firmwareRevision(int revision) {
    return u16(false, AvpType.FIRMWARE_REVISION, revision);
  }

  public static Avp hostName(String name) {
    return text(true, AvpType.HOST_NAME, name);
  }

  public static Avp vendorName(String name) {
    return text(false, AvpType.VENDOR_NAME, name);
  }

  public static Avp assignedTunnelId(int id) {
    return u16(true, AvpType.ASSIGNED_TUNNEL_ID, id);
  }

  public static Avp receiveWindowSize(int size) {
    return u16(true, AvpType.RECEIVE_WINDOW_SIZE, size);
  }

  public static Avp challenge(byte[] challenge) {
    return new Avp(true, AvpType.CHALLENGE, challenge);
  }

  public static Avp challengeResponse(byte[] response) {
    return new Avp(true, AvpType.CHALLENGE_RESPONSE, response);
  }

  public static Avp q931Cause(Q931Cause c) {
    ByteWriter w = new ByteWriter(8).u16(c.causeCode()).u8(c.causeMsg());
    w.bytes(c.advisory().getBytes(StandardCharsets.UTF_8));
    return new Avp(true, AvpType.Q931_CAUSE_CODE, w.toByteArray());
  }

  public static Avp assignedSessionId(int id) {
    return u16(true, AvpType.ASSIGNED_SESSION_ID, id);
  }

  public static Avp callSerialNumber(long serial) {
    return u32(true, AvpType.CALL_SERIAL_NUMBER, (int) serial);
  }

  public static Avp minimumBps(long bps) {
    return u32(true, AvpType.MINIMUM_BPS, (int) bps);
  }

  public static Avp maximumBps(long bps) {
    return u32(true, AvpType.MAXIMUM_BPS, (int) bps);
  }

  public static Avp bearerType(int bits) {
    return u32(true, AvpType.BEARER_TYPE, bits);
  }

  public static Avp framingType(int bits) {
    return u32(true, AvpType.FRAMING_TYPE, bits);
  }

  public static Avp calledNumber(String number) {
    return text(true, AvpType.CALLED_NUMBER, number);
  }

  public static Avp callingNumber(String number) {
    return text(true, AvpType.CALLING_NUMBER, number);
  }

  public static Avp subAddress(String address) {
    return text(true, AvpType.SUB_ADDRESS, address);
  }

  public static Avp txConnectSpeed(long bps) {
    return u32(true, AvpType.TX_CONNECT_SPEED, (int) bps);
  }

  public static Avp rxConnectSpeed(long bps) {
    return u32(false, AvpType.RX_CONNECT_SPEED, (int) bps);
  }

  public static Avp physicalChannelId(long id) {
    return u32(false, AvpType.PHYSICAL_CHANNEL_ID, (int) id);
  }

  public static Avp privateGroupId(byte[] id) {
    return new Avp(false, AvpType.PRIVATE_GROUP_ID, id);
  }

  public static Avp sequencingRequired() {
    return new Avp(true, AvpType.SEQUENCING_REQUIRED, new byte[0]);
  }

  public static Avp randomVector(byte[] rv) {
    return new Avp(true, AvpType.RANDOM_VECTOR, rv);
  }

  public static Avp opaque(boolean mandatory, AvpType type, byte[] value) {
    return new Avp(mandatory, type, value);
  }

  public static ProtocolVersion protocolVersion(Avp a) {
    byte[] v = a.value();
    a.u16(); // length check
    return new ProtocolVersion(v[0] & 0xff, v[1] & 0xff);
  }

  public static ResultCode resultCode(Avp a) {
    return ResultCode.decode(a.value());
  }

  public static Q931Cause q931Cause(Avp a) {
    if (a.value().length < 3) {
      throw L2tpProtocolException.general(ResultCode.LENGTH_WRONG, "Q.931 Cause Code too short");
    }
    ByteReader r = new ByteReader(a.value());
    return new Q931Cause(r.u16(), r.u8(), new String(r.rest(), StandardCharsets.UTF_8));
  }

  private static Avp u16(boolean m, AvpType t, int v) {
    return new Avp(m, t, new byte[] {(byte) (v >>> 8), (byte) v});
  }

  private static Avp u32(boolean m, AvpType t, int v) {
    return new Avp(m, t, new ByteWriter(4).i32(v).toByteArray());
  }

  private static Avp text(boolean m, AvpType t, String s) {
    return new Avp(m, t, s.getBytes(StandardCharsets.UTF_8));
  }
}
