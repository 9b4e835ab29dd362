package dev.coati.ike.wire;

import dev.coati.util.ByteReader;
import dev.coati.util.ByteWriter;
import dev.coati.util.TruncatedInputException;

/**
 * ISAKMP header (RFC 2408 section 3.1).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !                          Initiator                            !
 * !                            Cookie                             !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !                          Responder                            !
 * !                            Cookie                             !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !  Next Payload ! MjVer ! MnVer ! Exchange Type !     Flags     !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !                          Message ID                           !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !                            Length                             !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record IsakmpHeader(
    long initiatorSpi,
    long responderSpi,
    PayloadType nextPayload,
    int majorVersion,
    int minorVersion,
    ExchangeType exchangeType,
    int flags,
    int messageId,
    int length) {

  public static final int SIZE = 28;
  public static final int FLAG_ENCRYPTION = 1;
  public static final int FLAG_COMMIT = 2;
  public static final int FLAG_AUTH_ONLY = 4;

  /** Decodes and checks the version; the length field is checked against the datagram later. */
  public static IsakmpHeader decode(ByteReader in) {
    try {
      long ispi = in.i64();
      long rspi = in.i64();
      PayloadType np = PayloadType.valueOf(in.u8());
      int version = in.u8();
      ExchangeType et = ExchangeType.valueOf(in.u8());
      int flags = in.u8();
      int mid = in.i32();
      long len = in.u32();
      int major = version >>> 4;
      if (major != 1) {
        throw new MalformedPacketException(
            NotifyType.INVALID_MAJOR_VERSION, "ISAKMP major version " + major);
      }
      if (len < SIZE || len > Limits.MAX_MESSAGE_SIZE) {
        throw new MalformedPacketException("ISAKMP length " + len);
      }
      return new IsakmpHeader(ispi, rspi, np, major, version & 0xf, et, flags, mid, (int) len);
    } catch (TruncatedInputException e) {
      throw new MalformedPacketException("truncated ISAKMP header");
    }
  }

  public void encode(ByteWriter out) {
    out.i64(initiatorSpi)
        .i64(responderSpi)
        .u8(nextPayload.code())
        .u8((majorVersion << 4) | (minorVersion & 0xf))
        .u8(exchangeType.code())
        .u8(flags)
        .i32(messageId)
        .i32(length);
  }

  public boolean isEncrypted() {
    return (flags & FLAG_ENCRYPTION) != 0;
  }

  public boolean isCommit() {
    return (flags & FLAG_COMMIT) != 0;
  }

  public IsakmpHeader withLength(int len) {
    return new IsakmpHeader(
        initiatorSpi,
        responderSpi,
        nextPayload,
        majorVersion,
        minorVersion,
        exchangeType,
        flags,
        messageId,
        len);
  }

  public IsakmpHeader withNextPayload(PayloadType np) {
    return new IsakmpHeader(
        initiatorSpi,
        responderSpi,
        np,
        majorVersion,
        minorVersion,
        exchangeType,
        flags,
        messageId,
        length);
  }

  public IsakmpHeader withFlags(int f) {
    return new IsakmpHeader(
        initiatorSpi,
        responderSpi,
        nextPayload,
        majorVersion,
        minorVersion,
        exchangeType,
        f,
        messageId,
        length);
  }
}
