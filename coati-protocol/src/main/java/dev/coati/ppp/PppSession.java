package dev.coati.ppp;

import dev.coati.auth.AuthRequest;
import dev.coati.auth.AuthResult;
import dev.coati.ppp.OptionAutomaton.State;
import dev.coati.ppp.wire.AuthProtocol;
import dev.coati.ppp.wire.ControlPacket;
import dev.coati.ppp.wire.PppFrame;
import dev.coati.ppp.wire.PppProtocol;
import dev.coati.ppp.wire.PppProtocolException;
import dev.coati.util.Ipv4Address;
import dev.coati.util.RandomSource;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The server (LNS) side of one PPP link over an L2TP session: LCP, then authentication, then IPCP,
 * then IPv4 (RFC 1661 section 3 phases). No I/O, threads or clock: frames come in through {@link
 * #receive} and go out through {@link Host#transmit}, time comes in as {@code now} and the owner
 * calls {@link #tick} once {@link #deadline()} has passed. Every method runs on the owner's thread.
 *
 * <p>What real clients (Windows RAS, pppd on Linux/macOS/iOS/Android) need, and why:
 *
 * <ul>
 *   <li>LCP must really open before we authenticate (SoftEther Q12): pppd discards every non-LCP
 *       packet, our CHAP Challenge included, until its own Configure-Request is acked. {@link
 *       LcpPolicy} accepts MRU, Magic-Number, ACCM, PFC and ACFC and rejects Callback (Windows'
 *       CBCP), and the Challenge only goes out once our LCP is Opened, i.e. after our Ack.
 *   <li>A PAP Authenticate-Request that arrives before our LCP is Opened (the peer opened first and
 *       our copy of its Configure-Ack is late or lost) is kept, the latest one only, and handled as
 *       soon as LCP opens; it is not discarded, which would cost a 3 s PAP retransmission. CHAP
 *       packets before Opened are dropped: a Response cannot answer a Challenge we have not sent.
 *   <li>An IPCP Configure-Request during authentication (reordering) is kept the same way and
 *       replayed once IPCP starts; IPCP packets before LCP is Opened are dropped (RFC 1661 3.5).
 *   <li>Delayed IPCP Ack (Q14): not done. IPCP starts when authentication succeeds, so our
 *       Configure-Request always goes out first (before a kept request is replayed), but the peer's
 *       acceptable request is acked at once as RFC 1661 wants. Holding the Ack back until ours is
 *       acked served one Android app (VPN Client Pro); Windows, pppd and Apple accept either order.
 *   <li>IPCP without IP-Address or with 0.0.0.0 is Nak'd with the lease (Q13, {@link IpcpPolicy});
 *       a peer insisting on another address is Nak'd until Max-Failure, then the option is
 *       rejected; if IPCP opens without the lease acked the session ends.
 *   <li>Reordered and duplicated control packets (Q18): the automaton already ignores Acks whose
 *       identifier or options do not match our last request; {@link ControlLayer} keeps late copies
 *       from renegotiating an Opened LCP or IPCP.
 *   <li>CCP (Windows sends it even with "require encryption": over IPsec a Protocol-Reject of CCP
 *       is accepted), IPV6CP, CBCP and any other protocol get an LCP Protocol-Reject while LCP is
 *       Opened; IPv4 before IPCP is Opened is dropped and counted ({@link #droppedIpPackets()}).
 *   <li>LCP renegotiation by the peer after Opened ends the session instead of re-running
 *       authentication: no client does it on purpose, and a fresh L2TP session is cheap.
 * </ul>
 *
 * {@link Host#down} is called exactly once, whatever ends the link; the first cause is its reason.
 * After our Terminate-Request (a {@link #close}, failed authentication, no lease) it comes when the
 * peer acks or the Terminate retries run out; a peer's Terminate-Request is acked and ends the link
 * at once, as do the LCP echo timeout and {@link #lowerDown}.
 */
public final class PppSession {
  /** What the session needs from the server around it. */
  public interface Host {
    /** One PPP frame to the peer (FF 03, protocol, information); the caller wraps it in L2TP. */
    void transmit(byte[] frame, int off, int len);

    /** Verify off-thread, then call {@link PppSession#authenticated} on the session's thread. */
    void authenticate(AuthRequest request);

    /** After a successful authentication: the addresses for IPCP, empty if none (terminates). */
    Optional<IpcpGrant> lease(AuthResult user);

    /** An IPv4 packet from the peer, only while IPCP is Opened; off/len are the IP packet. */
    void ipPacket(byte[] buf, int off, int len);

    /** IPCP opened (called once). */
    void up(Ipv4Address peerAddress, String user);

    /** The link is finished, for any reason (called exactly once). */
    void down(String reason);
  }

  /**
   * @param authPreference the authentication protocols we offer in LCP, best first
   * @param ourName our name in CHAP Challenges
   * @param echoIntervalMillis LCP echo interval when nothing is heard, 0 for none
   * @param echoFailures unanswered Echo-Requests in a row that end the link
   * @param ourMru the MRU we request (1500 is not requested)
   */
  public record Config(
      List<AuthProtocol> authPreference,
      String ourName,
      RestartConfig restart,
      long echoIntervalMillis,
      int echoFailures,
      int ourMru) {
    public Config {
      authPreference = List.copyOf(authPreference);
      if (authPreference.isEmpty()) {
        throw new IllegalArgumentException("no authentication protocol to offer");
      }
      if (echoIntervalMillis < 0 || echoFailures < 1) {
        throw new IllegalArgumentException("echo interval must be >= 0, failures >= 1");
      }
    }
  }

  private static final long NONE = Transmitter.NO_DEADLINE;

  private final Host host;
  private final LcpPolicy lcpPolicy;
  private final ControlLayer lcp;
  private final LinkKeepalive keepalive;
  private final SessionAuth auth;
  private final SessionNetwork network;
  private AuthResult user;
  private boolean started;
  private boolean upSent;
  private boolean finished;
  private boolean closePending;
  private int lcpDepth;
  private String reason;
  private long now;
  private long droppedIp;
  private long malformed;

  public PppSession(Config c, RandomSource random, Host host) {
    this.host = host;
    this.lcpPolicy = new LcpPolicy(c.authPreference(), random, c.ourMru());
    this.lcp = new ControlLayer(PppProtocol.LCP, lcpPolicy, c.restart(), this::send, new Lcp());
    this.keepalive = new LinkKeepalive(c.echoIntervalMillis(), c.echoFailures());
    this.auth =
        new SessionAuth(
            c.ourName(),
            random,
            c.restart(),
            this::send,
            host::authenticate,
            this::authenticatedUser,
            this::terminate);
    this.network = new SessionNetwork(c.restart(), this::send, this::ipcpOpened, this::terminate);
  }

  /** The L2TP session is up: LCP Open and Up, our Configure-Request goes out. */
  public void start(long now) {
    if (started || finished) {
      return;
    }
    this.now = now;
    started = true;
    lcpCall(() -> lcp.start(now));
  }

  /** One PPP frame from L2TP (ACFC and PFC forms accepted); malformed frames are counted. */
  public void receive(byte[] frame, int off, int len, long now) {
    if (!started || finished) {
      return;
    }
    this.now = now;
    PppFrame.Header h;
    try {
      h = PppFrame.header(frame, off, len);
    } catch (PppProtocolException e) {
      malformed++;
      return;
    }
    keepalive.heard(now);
    int info = off + h.length();
    PppProtocol protocol = h.protocol();
    if (protocol.equals(PppProtocol.IPV4)) {
      if (network.isOpened()) {
        host.ipPacket(frame, info, off + len - info);
      } else {
        droppedIp++;
      }
      return;
    }
    PppFrame f = new PppFrame(protocol, Arrays.copyOfRange(frame, info, off + len));
    try {
      dispatch(f);
    } catch (PppProtocolException e) {
      malformed++;
    }
  }

  private void dispatch(PppFrame f) {
    PppProtocol p = f.protocol();
    if (p.equals(PppProtocol.LCP)) {
      ControlPacket c = ControlPacket.decode(f.information());
      if (c.code() == ControlPacket.TERMINATE_REQUEST) {
        reasonIfNone("peer terminated the link");
        lcpCall(() -> lcp.receive(c, now));
        finish(reason);
        return;
      }
      lcpCall(() -> lcp.receive(c, now));
    } else if (p.equals(PppProtocol.PAP) || p.equals(PppProtocol.CHAP)) {
      ControlPacket c = ControlPacket.decode(f.information());
      if (reason == null && (auth.started() || !lcp.isOpened())) {
        auth.packet(p, c, now);
      }
    } else if (p.equals(PppProtocol.IPCP)) {
      network.packet(ControlPacket.decode(f.information()), lcp.isOpened(), now);
    } else {
      lcpCall(() -> lcp.automaton().protocolReject(f, lcpPolicy.peerMru()));
    }
  }

  /** The verdict on the request given to {@link Host#authenticate}; late verdicts are ignored. */
  public void authenticated(AuthResult result, long now) {
    if (!finished && reason == null) {
      this.now = now;
      auth.verdict(result);
    }
  }

  /** Restart timers, the authentication limit and the LCP echo keepalive. */
  public void tick(long now) {
    if (!started || finished) {
      return;
    }
    this.now = now;
    lcpCall(() -> lcp.tick(now));
    if (!finished && reason == null) {
      auth.tick(now);
    }
    if (!finished) {
      network.tick(now);
    }
    if (finished) {
      return;
    }
    switch (keepalive.tick(now)) {
      case ECHO -> send(PppProtocol.LCP, keepalive.echoRequest(lcpPolicy.ourMagic()));
      case DEAD -> {
        terminate("LCP echo timeout");
        finish(reason);
      }
      case NONE -> {}
    }
  }

  /** Ends the link with an LCP Terminate-Request (a kick, a shutdown). */
  public void close(String why, long now) {
    if (finished) {
      return;
    }
    this.now = now;
    if (!started) {
      finish(why);
      return;
    }
    terminate(why);
  }

  /** The L2TP session is gone under us (CDN, StopCCN, tunnel lost): finished, nothing is sent. */
  public void lowerDown(String why) {
    finish(why);
  }

  /** When {@link #tick} next has work, {@code Long.MAX_VALUE} if none. */
  public long deadline() {
    if (!started || finished) {
      return NONE;
    }
    long d = Math.min(lcp.deadline(), keepalive.deadline());
    if (reason == null) {
      d = Math.min(d, auth.deadline());
    }
    return Math.min(d, network.deadline());
  }

  /** Whether IPv4 flows: IPCP is Opened and the link not finished. */
  public boolean networkOpen() {
    return !finished && network.isOpened();
  }

  public boolean isFinished() {
    return finished;
  }

  /** The peer's MRU from LCP: IP packets to it must fit (MSS clamping). */
  public int peerMru() {
    return lcpPolicy.peerMru();
  }

  /** IPv4 frames dropped because IPCP was not Opened. */
  public long droppedIpPackets() {
    return droppedIp;
  }

  /** Frames and control packets discarded as malformed (RFC 1661 section 5). */
  public long malformedFrames() {
    return malformed;
  }

  private void send(PppProtocol protocol, ControlPacket p) {
    byte[] f = p.toFrame(protocol).encode();
    host.transmit(f, 0, f.length);
  }

  /**
   * Runs an LCP event. A close wanted while the automaton is busy is done when it returns, so the
   * automaton never re-enters itself from its own callbacks.
   */
  private void lcpCall(Runnable r) {
    lcpDepth++;
    try {
      r.run();
    } finally {
      lcpDepth--;
    }
    if (lcpDepth == 0 && closePending && !finished) {
      closePending = false;
      terminate(reason);
    }
  }

  /** LCP Close with a reason; finished at once if LCP has no Terminate to run. */
  private void terminate(String why) {
    reasonIfNone(why);
    if (lcpDepth > 0) {
      closePending = true;
      return;
    }
    lcpCall(() -> lcp.close(now));
    if (!finished && lcp.state() != State.CLOSING) {
      finish(reason);
    }
  }

  private void reasonIfNone(String why) {
    reason = reason == null ? why : reason;
  }

  private void finish(String why) {
    if (finished) {
      return;
    }
    reasonIfNone(why);
    finished = true;
    keepalive.stop();
    host.down(reason);
  }

  /** LCP's layer events: Opened starts authentication; leaving Opened ends the session. */
  private final class Lcp implements ControlLayer.Events {
    @Override
    public void up() {
      keepalive.start(now);
      Optional<AuthProtocol> negotiated = lcpPolicy.negotiatedAuth();
      if (auth.started() || reason != null) {
        return;
      } else if (negotiated.isEmpty()) {
        terminate("peer refused to authenticate");
      } else {
        auth.start(negotiated.get(), now);
      }
    }

    @Override
    public void down() {
      keepalive.stop();
      network.lowerDown();
      terminate("LCP left the Opened state (peer renegotiation or reject)");
    }

    @Override
    public void finished() {
      finish("LCP negotiation failed");
    }

    @Override
    public void rejected(PppProtocol protocol) {
      if (protocol.equals(PppProtocol.IPCP) || auth.runs(protocol)) {
        terminate("peer rejected " + protocol);
      }
    }
  }

  /** Authentication succeeded: a lease from the host, then IPCP. */
  private void authenticatedUser(AuthResult result) {
    user = result;
    Optional<IpcpGrant> grant = host.lease(result);
    if (grant.isEmpty()) {
      terminate("no address to lease to " + result.user());
    } else {
      network.start(grant.get(), now);
    }
  }

  private void ipcpOpened(Ipv4Address peer) {
    if (!upSent) {
      upSent = true;
      host.up(peer, user.user());
    }
  }
}
