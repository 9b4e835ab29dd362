package dev.coati.ppp.wire;

import dev.coati.util.ByteWriter;

/**
 * LCP option types (RFC 1661 section 6, RFC 1570 for Callback) and their values. Types not named
 * here are still carried as {@link PppOption}s and judged by the policy.
 */
public final class LcpOptions {
  public static final int MRU = 1;
  public static final int ACCM = 2;
  public static final int AUTH_PROTOCOL = 3;
  public static final int QUALITY_PROTOCOL = 4;
  public static final int MAGIC_NUMBER = 5;
  public static final int PFC = 7;
  public static final int ACFC = 8;
  public static final int CALLBACK = 13;
  public static final int MRRU = 17;

  /** Callback operation 6: CBCP, what Windows asks for (RFC 1570 section 2.3, MS-CBCP). */
  public static final int CALLBACK_CBCP = 6;

  private LcpOptions() {}

  public static PppOption mru(int mru) {
    return new PppOption(MRU, new ByteWriter(2).u16(mru).toByteArray());
  }

  public static PppOption accm(long map) {
    return new PppOption(ACCM, new ByteWriter(4).i32((int) map).toByteArray());
  }

  public static PppOption magicNumber(long magic) {
    return new PppOption(MAGIC_NUMBER, new ByteWriter(4).i32((int) magic).toByteArray());
  }

  public static PppOption pfc() {
    return new PppOption(PFC, new byte[0]);
  }

  public static PppOption acfc() {
    return new PppOption(ACFC, new byte[0]);
  }

  public static PppOption callback(int operation) {
    return new PppOption(CALLBACK, new byte[] {(byte) operation});
  }

  public static PppOption auth(AuthProtocol p) {
    return p.option();
  }

  /** The MRU value (2 octets). */
  public static int mruOf(PppOption o) {
    return (int) o.unsigned(2);
  }

  /** The Magic-Number value (4 octets). */
  public static long magicOf(PppOption o) {
    return o.unsigned(4);
  }
}
