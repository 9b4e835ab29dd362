package dev.coati.ip;

/**
 * IPv4 fragmentation (RFC 791 section 3.2, "Fragmentation"; RFC 815's reassembly is the
 * receiver's): cuts one packet into fragments of at most {@code mtu} bytes each, so a tunnel can
 * send small inner packets instead of letting the path fragment the outer UDP. Fragment data is a
 * multiple of 8 bytes except in the last; the first fragment keeps every option, the others only
 * those with the copied flag; offsets and the More Fragments flag continue those of a packet that
 * is itself a fragment. Pure and allocation-free: {@link #count} says how many fragments there are
 * (or why none), {@link #fragment} writes fragment {@code i} into a caller's buffer.
 */
public final class Ipv4Fragmenter {
  /** The packet fits: send it as it is. */
  public static final int FITS = 1;

  /** Don't Fragment is set: answer with ICMP fragmentation needed ({@link IcmpError}). */
  public static final int DONT_FRAGMENT = -1;

  /** Not a well-formed IPv4 packet, or options leave no room for 8 data bytes in {@code mtu}. */
  public static final int MALFORMED = -2;

  /** The smallest MTU every IPv4 link must carry (RFC 791: 68 octets). */
  public static final int MIN_MTU = 68;

  private static final int DF = 0x40;
  private static final int MF = 0x20;
  private static final int OPT_END = 0;
  private static final int OPT_NOP = 1;
  private static final int COPIED = 0x80;

  private Ipv4Fragmenter() {}

  /**
   * How many fragments of at most {@code mtu} bytes the IPv4 packet {@code p[off, off+len)} needs:
   * {@link #FITS} when its total length is within {@code mtu}, else the number of fragments, or
   * {@link #DONT_FRAGMENT} / {@link #MALFORMED}.
   */
  public static int count(byte[] p, int off, int len, int mtu) {
    int total = totalLength(p, off, len);
    if (total < 0 || mtu < MIN_MTU) {
      return MALFORMED;
    }
    if (total <= mtu) {
      return FITS;
    }
    if ((p[off + 6] & DF) != 0) {
      return DONT_FRAGMENT;
    }
    int ihl = (p[off] & 0x0f) * 4;
    int first = (mtu - ihl) & ~7;
    int rest = (mtu - ihl(copiedOptions(p, off, ihl))) & ~7;
    if (first < 8 || rest < 8) {
      return MALFORMED;
    }
    int data = total - ihl;
    return 1 + (data - first + rest - 1) / rest;
  }

  /**
   * Writes fragment {@code i} (0-based, below {@link #count}) of the packet into {@code out} at
   * {@code outOff} (room for {@code mtu} bytes; not overlapping the packet); returns its length.
   */
  public static int fragment(byte[] p, int off, int len, int mtu, int i, byte[] out, int outOff) {
    int total = totalLength(p, off, len);
    int ihl = (p[off] & 0x0f) * 4;
    int copied = copiedOptions(p, off, ihl);
    int first = (mtu - ihl) & ~7;
    int rest = (mtu - ihl(copied)) & ~7;
    int start = i == 0 ? 0 : first + (i - 1) * rest;
    int size = Math.min(i == 0 ? first : rest, total - ihl - start);
    int hl;
    if (i == 0) {
      System.arraycopy(p, off, out, outOff, ihl);
      hl = ihl;
    } else {
      hl = writeCopiedHeader(p, off, ihl, copied, out, outOff);
    }
    System.arraycopy(p, off + ihl + start, out, outOff + hl, size);
    int flags = ((p[off + 6] & 0xff) << 8) | (p[off + 7] & 0xff);
    boolean last = ihl + start + size == total;
    int fragOff = (flags & 0x1fff) + start / 8;
    int mf = last ? flags & (MF << 8) : MF << 8;
    int newFlags = (flags & (DF << 8)) | mf | fragOff;
    out[outOff] = (byte) (0x40 | hl / 4);
    out[outOff + 2] = (byte) ((hl + size) >>> 8);
    out[outOff + 3] = (byte) (hl + size);
    out[outOff + 6] = (byte) (newFlags >>> 8);
    out[outOff + 7] = (byte) newFlags;
    InternetChecksum.ipv4Header(out, outOff, hl);
    return hl + size;
  }

  /** The packet's total length, or -1 if it is not a consistent IPv4 packet within len bytes. */
  private static int totalLength(byte[] p, int off, int len) {
    if (len < 20 || (p[off] & 0xf0) != 0x40) {
      return -1;
    }
    int ihl = (p[off] & 0x0f) * 4;
    int total = ((p[off + 2] & 0xff) << 8) | (p[off + 3] & 0xff);
    return ihl < 20 || total < ihl || total > len ? -1 : total;
  }

  /** Bytes of the options with the copied flag (before padding to a 4-byte boundary). */
  private static int copiedOptions(byte[] p, int off, int ihl) {
    int n = 0;
    for (int i = off + 20; i < off + ihl; ) {
      int type = p[i] & 0xff;
      if (type == OPT_END) {
        break;
      }
      int olen = type == OPT_NOP ? 1 : i + 1 < off + ihl ? p[i + 1] & 0xff : 0;
      if (olen < 1 || (type != OPT_NOP && olen < 2) || i + olen > off + ihl) {
        break; // a malformed option list: the rest is not copied
      }
      if ((type & COPIED) != 0) {
        n += olen;
      }
      i += olen;
    }
    return n;
  }

  private static int ihl(int copied) {
    return 20 + (copied + 3) / 4 * 4;
  }

  /** The base header plus only the copied options, padded with End of Option List. */
  private static int writeCopiedHeader(
      byte[] p, int off, int ihl, int copied, byte[] out, int outOff) {
    System.arraycopy(p, off, out, outOff, 20);
    int at = outOff + 20;
    for (int i = off + 20; i < off + ihl && at < outOff + 20 + copied; ) {
      int type = p[i] & 0xff;
      int olen = type == OPT_NOP ? 1 : p[i + 1] & 0xff;
      if ((type & COPIED) != 0) {
        System.arraycopy(p, i, out, at, olen);
        at += olen;
      }
      i += olen;
    }
    int hl = ihl(copied);
    while (at < outOff + hl) {
      out[at++] = OPT_END;
    }
    return hl;
  }
}
