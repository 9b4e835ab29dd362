package dev.coati.ike;

import dev.coati.ike.wire.Attribute;
import dev.coati.ike.wire.IkeProtocolException;
import dev.coati.ike.wire.IpsecAttr;
import dev.coati.ike.wire.NotifyPayload;
import dev.coati.ike.wire.NotifyType;
import dev.coati.ike.wire.ProtocolId;
import dev.coati.util.ByteReader;
import dev.coati.util.ByteWriter;

/** The RESPONDER-LIFETIME notify (RFC 2407 section 4.6.3.1): SA attributes of lifetimes. */
final class ResponderLifetime {
  private ResponderLifetime() {}

  static NotifyPayload notify(byte[] spi, long seconds, long kilobytes) {
    ByteWriter w = new ByteWriter(32);
    if (seconds > 0) {
      Attribute.tv(IpsecAttr.SA_LIFE_TYPE, 1).encode(w);
      Attribute.ofLong(IpsecAttr.SA_LIFE_DURATION, seconds).encode(w);
    }
    if (kilobytes > 0) {
      Attribute.tv(IpsecAttr.SA_LIFE_TYPE, 2).encode(w);
      Attribute.ofLong(IpsecAttr.SA_LIFE_DURATION, kilobytes).encode(w);
    }
    return new NotifyPayload(
        Informational.DOI_IPSEC,
        ProtocolId.IPSEC_ESP,
        NotifyType.RESPONDER_LIFETIME,
        spi,
        w.toByteArray());
  }

  /** A responder's choice: {seconds, kilobytes}, the offer capped by our maxima (0: none). */
  static long[] choose(Phase2Transform offer, long maxSeconds, long maxKilobytes) {
    long s = offer.lifeSeconds() == 0 ? maxSeconds : Math.min(offer.lifeSeconds(), maxSeconds);
    long k =
        maxKilobytes == 0
            ? offer.lifeKilobytes()
            : Math.min(
                offer.lifeKilobytes() == 0 ? Long.MAX_VALUE : offer.lifeKilobytes(), maxKilobytes);
    return new long[] {s, k};
  }

  /** The smaller of two limits where 0 means none. */
  static long lower(long a, long b) {
    return a == 0 ? b : b == 0 ? a : Math.min(a, b);
  }

  /** Returns {seconds, kilobytes}, each lowered to the responder's value when it names one. */
  static long[] parse(byte[] data, long seconds, long kilobytes) {
    ByteReader r = new ByteReader(data);
    int type = -1;
    int guard = 0;
    try {
      while (r.hasRemaining() && guard++ < 16) {
        Attribute a = Attribute.decode(r);
        if (a.type() == IpsecAttr.SA_LIFE_TYPE) {
          type = a.intValue();
        } else if (a.type() == IpsecAttr.SA_LIFE_DURATION) {
          long v = a.longValue();
          if (type == 1) {
            seconds = seconds == 0 ? v : Math.min(seconds, v);
          } else if (type == 2) {
            kilobytes = kilobytes == 0 ? v : Math.min(kilobytes, v);
          }
        }
      }
    } catch (IkeProtocolException e) {
      // a malformed lifetime notify changes nothing
    }
    return new long[] {seconds, kilobytes};
  }
}
