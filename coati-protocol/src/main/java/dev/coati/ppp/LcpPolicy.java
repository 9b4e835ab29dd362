package dev.coati.ppp;

import dev.coati.ppp.OptionPolicy.Verdict;
import dev.coati.ppp.wire.AuthProtocol;
import dev.coati.ppp.wire.ControlPacket;
import dev.coati.ppp.wire.LcpOptions;
import dev.coati.ppp.wire.PppOption;
import dev.coati.util.RandomSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * LCP's option policy for the gateway (RFC 1661 section 6). We request our MRU (when not the
 * default 1500; a Nak sets it to the peer's value, at least 128), an Authentication-Protocol (in
 * the configured preference, e.g. MS-CHAPv2 then CHAP-MD5 then PAP; a Nak moves to the peer's
 * suggestion if we allow it, else to our next) and a Magic-Number. We accept MRU, ACCM (meaningless
 * on L2TP, tolerated), Magic-Number, PFC and ACFC, so pppd's LCP really opens (SoftEther Q12), and
 * reject Callback/CBCP (Windows), multilink and anything unknown. Echo- Requests are answered with
 * our magic (section 5.8), Identification and Time-Remaining ignored.
 */
public final class LcpPolicy implements OptionPolicy {
  /** Smallest MRU we accept; below it we Nak with the default 1500 (section 6.1). */
  public static final int MIN_MRU = 128;

  public static final int DEFAULT_MRU = 1500;

  private final List<AuthProtocol> preference;
  private final RandomSource random;
  private int ourMru;
  private boolean mruRejected;
  private int authIndex;
  private boolean authRejected;
  private long magic;
  private boolean magicRejected;
  private AuthProtocol negotiatedAuth;
  private int peerMru = DEFAULT_MRU;
  private long peerMagic;

  public LcpPolicy(List<AuthProtocol> preference, RandomSource random) {
    this(preference, random, DEFAULT_MRU);
  }

  /**
   * @param ourMru the MRU we request; 1500 (the default) is not requested at all
   */
  public LcpPolicy(List<AuthProtocol> preference, RandomSource random, int ourMru) {
    if (ourMru < MIN_MRU || ourMru > 0xffff) {
      throw new IllegalArgumentException("MRU out of range: " + ourMru);
    }
    this.preference = List.copyOf(preference);
    this.random = random;
    this.ourMru = ourMru;
    this.magic = newMagic();
  }

  @Override
  public List<PppOption> request() {
    List<PppOption> out = new ArrayList<>();
    if (!mruRejected && ourMru != DEFAULT_MRU) {
      out.add(LcpOptions.mru(ourMru));
    }
    if (!authRejected && authIndex < preference.size()) {
      out.add(preference.get(authIndex).option());
    }
    if (!magicRejected) {
      out.add(LcpOptions.magicNumber(magic));
    }
    return out;
  }

  @Override
  public Verdict judge(PppOption o) {
    return switch (o.type()) {
      case LcpOptions.MRU ->
          LcpOptions.mruOf(o) >= MIN_MRU
              ? Verdict.ack(o)
              : Verdict.nak(LcpOptions.mru(DEFAULT_MRU));
      case LcpOptions.ACCM -> o.data().length == 4 ? Verdict.ack(o) : Verdict.reject(o);
      case LcpOptions.MAGIC_NUMBER -> judgeMagic(o);
      case LcpOptions.PFC, LcpOptions.ACFC ->
          o.data().length == 0 ? Verdict.ack(o) : Verdict.reject(o);
      default -> Verdict.reject(o);
    };
  }

  private Verdict judgeMagic(PppOption o) {
    if (o.data().length != 4) {
      return Verdict.reject(o);
    }
    long m = LcpOptions.magicOf(o);
    if (m == 0 || (!magicRejected && m == magic)) {
      return Verdict.nak(LcpOptions.magicNumber(newMagic()));
    }
    return Verdict.ack(o);
  }

  @Override
  public void peerNak(List<PppOption> suggestions) {
    for (PppOption s : suggestions) {
      if (s.type() == LcpOptions.AUTH_PROTOCOL) {
        int suggested = AuthProtocol.of(s).map(preference::indexOf).orElse(-1);
        authIndex = suggested >= 0 ? suggested : authIndex + 1;
        authRejected = authIndex >= preference.size();
      } else if (s.type() == LcpOptions.MAGIC_NUMBER) {
        magic = newMagic();
      } else if (s.type() == LcpOptions.MRU && s.data().length == 2) {
        ourMru = Math.max(MIN_MRU, LcpOptions.mruOf(s));
      }
    }
  }

  @Override
  public void peerReject(List<PppOption> rejected) {
    for (PppOption r : rejected) {
      if (r.type() == LcpOptions.AUTH_PROTOCOL) {
        authRejected = true;
      } else if (r.type() == LcpOptions.MAGIC_NUMBER) {
        magicRejected = true;
      } else if (r.type() == LcpOptions.MRU) {
        mruRejected = true;
      }
    }
  }

  @Override
  public void peerAck(List<PppOption> ours) {
    negotiatedAuth = null;
    for (PppOption o : ours) {
      AuthProtocol.of(o).ifPresent(a -> negotiatedAuth = a);
    }
  }

  @Override
  public void accepted(List<PppOption> peers) {
    peerMru = DEFAULT_MRU;
    peerMagic = 0;
    for (PppOption o : peers) {
      if (o.type() == LcpOptions.MRU) {
        peerMru = LcpOptions.mruOf(o);
      } else if (o.type() == LcpOptions.MAGIC_NUMBER) {
        peerMagic = LcpOptions.magicOf(o);
      }
    }
  }

  @Override
  public boolean knowsCode(int code) {
    return code >= ControlPacket.PROTOCOL_REJECT && code <= ControlPacket.TIME_REMAINING;
  }

  /** Echo-Request in Opened → Echo-Reply with our magic and the peer's data within its MRU. */
  @Override
  public Optional<ControlPacket> extension(ControlPacket p, boolean opened) {
    if (p.code() != ControlPacket.ECHO_REQUEST || !opened) {
      return Optional.empty();
    }
    byte[] d = p.data();
    p.magicNumber();
    int keep = Math.min(d.length - 4, peerMru - ControlPacket.HEADER_LENGTH - 4);
    byte[] rest = Arrays.copyOfRange(d, 4, 4 + Math.max(0, keep));
    return Optional.of(
        ControlPacket.withMagic(ControlPacket.ECHO_REPLY, p.identifier(), ourMagic(), rest));
  }

  /** Our negotiated Magic-Number, 0 if the peer rejected the option. */
  public long ourMagic() {
    return magicRejected ? 0 : magic;
  }

  /** The authentication protocol the peer acknowledged, empty if none (or not yet). */
  public Optional<AuthProtocol> negotiatedAuth() {
    return Optional.ofNullable(negotiatedAuth);
  }

  /** The MRU we asked for (the peer's Nak may have changed it); 1500 if it rejected the option. */
  public int ourMru() {
    return mruRejected ? DEFAULT_MRU : ourMru;
  }

  /** The peer's MRU: what our frames to it must fit in. */
  @Override
  public int peerMru() {
    return peerMru;
  }

  public long peerMagic() {
    return peerMagic;
  }

  private long newMagic() {
    long m;
    do {
      m = random.nextInt() & 0xffffffffL;
    } while (m == 0 || m == magic);
    return m;
  }
}
