package dev.coati.ppp;

import dev.coati.ppp.wire.ControlPacket;
import dev.coati.ppp.wire.PppOption;
import java.util.List;
import java.util.Optional;

/**
 * What one control protocol (LCP, IPCP) wants from the shared {@link OptionAutomaton}: the options
 * we request, and a verdict on each option of the peer's Configure-Request (RFC 1661 section 5.1-
 * 5.4).
 */
public interface OptionPolicy {
  /** The verdict on one of the peer's options. */
  enum Kind {
    ACK,
    NAK,
    REJECT
  }

  /** {@code value} is the option to put in a Configure-Nak (our suggestion), else unused. */
  record Verdict(Kind kind, PppOption value) {
    public static Verdict ack(PppOption o) {
      return new Verdict(Kind.ACK, o);
    }

    public static Verdict nak(PppOption suggestion) {
      return new Verdict(Kind.NAK, suggestion);
    }

    public static Verdict reject(PppOption o) {
      return new Verdict(Kind.REJECT, o);
    }
  }

  /** The options of our next Configure-Request. */
  List<PppOption> request();

  /** Judges one option of the peer's Configure-Request. */
  Verdict judge(PppOption peerOption);

  /**
   * Options the peer did not include but must, sent in a Configure-Nak (RFC 1661 section 5.3 allows
   * that); IPCP asks for an IP-Address this way (SoftEther Q13).
   */
  default List<PppOption> missing(List<PppOption> peerOptions) {
    return List.of();
  }

  /** The peer Nak'd our request with these suggestions: adjust {@link #request()}. */
  void peerNak(List<PppOption> suggestions);

  /** The peer rejected these options of ours: stop requesting them. */
  void peerReject(List<PppOption> rejected);

  /** The peer acknowledged our request: these are our negotiated options. */
  void peerAck(List<PppOption> ours);

  /** We acknowledged the peer's request: these are the peer's negotiated options. */
  void accepted(List<PppOption> peers);

  /** True for codes beyond 1-7 this protocol knows (LCP 9-13); the others are Code-Rejected. */
  default boolean knowsCode(int code) {
    return false;
  }

  /** Handles a known code beyond 7; returns the reply to send, if any. */
  default Optional<ControlPacket> extension(ControlPacket packet, boolean opened) {
    return Optional.empty();
  }

  /** Largest packet the peer takes, bounding our Code-Rejects (LCP: its MRU, section 5.6). */
  default int peerMru() {
    return 1500;
  }
}
