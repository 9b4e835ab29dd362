package dev.coati.ike;

import dev.coati.crypto.CbcCipher;
import dev.coati.crypto.Prf;
import dev.coati.crypto.Secret;
import dev.coati.ike.wire.ExchangeType;
import dev.coati.ike.wire.IdPayload;
import dev.coati.ike.wire.IkeProtocolException;
import dev.coati.ike.wire.NotifyType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One ISAKMP SA: cookies, negotiated phase-1 transform, keys, IV chains and its child SAs. Tasks
 * fill it in; the {@link ExchangeManager} owns its messages.
 */
public final class IkeSa implements IkeSaView {
  private long authenticatedMessages;

  /** Life cycle of the SA. */
  public enum State {
    CONNECTING,
    ESTABLISHED,
    DELETED
  }

  private final boolean initiator;
  private final long initiatorCookie;
  private long responderCookie;
  private PeerAddress local;
  private PeerAddress peer;
  private final PeerAddress firstLocal;
  private final PeerAddress firstPeer;
  private final ExchangeType mode;
  private State state = State.CONNECTING;
  private Phase1Transform transform;
  private IdPayload peerId;
  private final Set<PeerFeature> features = EnumSet.noneOf(PeerFeature.class);
  private int microsoftVersion = -1;
  private Secret skeyidD;
  private Secret skeyidA;
  private Secret encryptionKey;
  private CbcCipher cipher;
  private final IvManager ivs = new IvManager();
  private final List<ChildSa> children = new ArrayList<>();
  private final ExchangeManager exchanges;
  private long establishedAt;
  private NatVariant natVariant = NatVariant.NONE;
  private boolean localBehindNat;
  private boolean peerBehindNat;
  private long lastSeen;
  private long lastKeepalive;
  private boolean reauthentication;
  private boolean phase1Expired;
  private String user;
  private byte[] virtualAddress;
  private final DeadPeerDetection dpd;
  private boolean halfOpen;
  private boolean resentUnverified;

  IkeSa(
      boolean initiator,
      long initiatorCookie,
      long responderCookie,
      PeerAddress local,
      PeerAddress peer,
      ExchangeType mode,
      IkeContext ctx) {
    this.initiator = initiator;
    this.initiatorCookie = initiatorCookie;
    this.responderCookie = responderCookie;
    this.local = local;
    this.peer = peer;
    this.firstLocal = local;
    this.firstPeer = peer;
    this.mode = mode;
    this.exchanges = new ExchangeManager(this, ctx);
    this.dpd = new DeadPeerDetection(ctx.random().nextInt());
    this.lastSeen = ctx.clock().millis();
  }

  DeadPeerDetection dpd() {
    return dpd;
  }

  /** A responder SA whose peer has not echoed our cookie yet (see {@link HalfOpenTable}). */
  public boolean halfOpen() {
    return halfOpen;
  }

  void halfOpen(boolean value) {
    this.halfOpen = value;
  }

  /**
   * Whether a cached answer may be sent again for a retransmitted request: always once the peer is
   * verified; towards a half-open (possibly spoofed) source only once, and only because it sent its
   * first message again, so we never send more packets than we received.
   */
  boolean resendAllowed() {
    if (!halfOpen) {
      return true;
    }
    boolean first = !resentUnverified;
    resentUnverified = true;
    return first;
  }

  @Override
  public String name() {
    return String.format("ike[%016x]", initiatorCookie);
  }

  @Override
  public PeerAddress peer() {
    return peer;
  }

  @Override
  public PeerAddress local() {
    return local;
  }

  /** Our address and port when phase 1 began (before any NAT-T float). */
  PeerAddress firstLocal() {
    return firstLocal;
  }

  /** The peer's address and port when phase 1 began (before any NAT-T float). */
  PeerAddress firstPeer() {
    return firstPeer;
  }

  /** The peer's port changed (NAT-T float or a new NAT mapping). */
  void updatePeer(PeerAddress newPeer) {
    this.peer = newPeer;
  }

  /** Our port changed (NAT-T float to 4500). */
  void updateLocal(PeerAddress newLocal) {
    this.local = newLocal;
  }

  /** The NAT traversal dialect both sides announced (NONE if either did not). */
  public NatVariant natVariant() {
    return natVariant;
  }

  void setNatVariant(NatVariant v) {
    this.natVariant = v;
  }

  void setNat(boolean local, boolean peer) {
    this.localBehindNat = local;
    this.peerBehindNat = peer;
  }

  @Override
  public boolean localBehindNat() {
    return localBehindNat;
  }

  @Override
  public boolean peerBehindNat() {
    return peerBehindNat;
  }

  /** ESP must be UDP-encapsulated: a NAT was detected (or faked by policy) on either side. */
  public boolean udpEncapsulation() {
    return natVariant != NatVariant.NONE && (localBehindNat || peerBehindNat);
  }

  /** When we last heard from the peer (authenticated IKE message or inbound ESP). */
  public long lastSeen() {
    return lastSeen;
  }

  void touch(long now) {
    this.lastSeen = now;
  }

  /** A message from the peer passed its integrity check (decrypted and hashed, or HASH_I/R). */
  void authenticated() {
    authenticatedMessages++;
  }

  /** How many messages passed {@link #authenticated}: whether one did during a receive. */
  long authenticatedMessages() {
    return authenticatedMessages;
  }

  /** True (and the clock reset) when a NAT keepalive is due: we are behind a NAT, every 20 s. */
  boolean keepaliveDue(long now, long intervalMillis) {
    if (!localBehindNat || natVariant == NatVariant.NONE || now - lastKeepalive < intervalMillis) {
      return false;
    }
    lastKeepalive = now;
    return true;
  }

  @Override
  public boolean isInitiator() {
    return initiator;
  }

  @Override
  public Optional<String> user() {
    return Optional.ofNullable(user);
  }

  void setUser(String u) {
    this.user = u;
  }

  @Override
  public int authMethod() {
    return transform == null ? 0 : transform.authMethod();
  }

  @Override
  public boolean aggressiveMode() {
    return mode.equals(ExchangeType.AGGRESSIVE);
  }

  @Override
  public Optional<byte[]> virtualAddress() {
    return Optional.ofNullable(virtualAddress).map(byte[]::clone);
  }

  void setVirtualAddress(byte[] a) {
    this.virtualAddress = a.clone();
  }

  /**
   * The ISAKMP SA reached its lifetime while IPsec SAs it negotiated still live: it takes part in
   * no exchange any more and only holds those children (RFC 2409 section 5.7: they are independent
   * of phase 1) until their own lifetime ends or a new phase 1 adopts them.
   */
  public boolean phase1Expired() {
    return phase1Expired;
  }

  void expirePhase1() {
    this.phase1Expired = true;
  }

  /** A re-authentication of an SA we already have with this peer (no INITIAL-CONTACT then). */
  boolean reauthentication() {
    return reauthentication;
  }

  void reauthentication(boolean r) {
    this.reauthentication = r;
  }

  @Override
  public Optional<IdPayload> peerId() {
    return Optional.ofNullable(peerId);
  }

  void setPeerId(IdPayload id) {
    this.peerId = id;
  }

  @Override
  public Set<PeerFeature> peerFeatures() {
    return Collections.unmodifiableSet(features);
  }

  void addFeatures(Set<PeerFeature> f, int msVersion) {
    features.addAll(f);
    if (msVersion >= 0) {
      microsoftVersion = msVersion;
    }
  }

  @Override
  public int microsoftVersion() {
    return microsoftVersion;
  }

  @Override
  public State state() {
    return state;
  }

  void setState(State s) {
    this.state = s;
    if (s == State.ESTABLISHED) {
      establishedAt = exchanges.now();
      // RFC 3948 section 4: the first keepalive one interval after the SA is up, not at once
      lastKeepalive = establishedAt;
    }
  }

  /** Restored after a restart ({@link SaResumption}): established since {@code at}. */
  void resumed(long at) {
    setState(State.ESTABLISHED);
    this.establishedAt = at;
  }

  public long establishedAt() {
    return establishedAt;
  }

  public long initiatorCookie() {
    return initiatorCookie;
  }

  public long responderCookie() {
    return responderCookie;
  }

  void setResponderCookie(long c) {
    this.responderCookie = c;
  }

  @Override
  public ExchangeType mode() {
    return mode;
  }

  @Override
  public boolean awaitsXauth() {
    return !isInitiator()
        && user == null // a resumed SA's Xauth was done before the restart
        && transform().map(t -> IkeAuth.initiatorIsXauthClient(t.authMethod())).orElse(false);
  }

  @Override
  public Optional<Phase1Transform> transform() {
    return Optional.ofNullable(transform);
  }

  void setTransform(Phase1Transform t) {
    this.transform = t;
  }

  Prf prf() {
    return transform.hash().prf();
  }

  /** Installs the phase-1 keys (takes ownership of the secrets). */
  void setKeys(Secret skeyidD, Secret skeyidA, Secret encryptionKey, byte[] phase1Iv) {
    this.skeyidD = skeyidD;
    this.skeyidA = skeyidA;
    this.encryptionKey = encryptionKey;
    this.cipher = transform.cipher().create(encryptionKey);
    ivs.setHash(transform.hash(), transform.cipher().blockSize());
    ivs.setPhase1Iv(phase1Iv);
  }

  boolean hasKeys() {
    return cipher != null;
  }

  Secret skeyidD() {
    return skeyidD;
  }

  Secret skeyidA() {
    return skeyidA;
  }

  /** The phase-1 cipher key (for the key log a debugging operator may enable, and tests). */
  Secret encryptionKey() {
    return encryptionKey;
  }

  IvManager ivs() {
    return ivs;
  }

  ExchangeManager exchanges() {
    return exchanges;
  }

  /** Encrypts a padded body for message {@code mid}, advancing and committing the IV chain. */
  byte[] encrypt(int messageId, byte[] plain) {
    int bs = cipher.blockSize();
    byte[] padded = Arrays.copyOf(plain, (plain.length + bs - 1) / bs * bs);
    byte[] ct = cipher.encrypt(ivs.ivFor(messageId), padded);
    ivs.update(messageId, Arrays.copyOfRange(ct, ct.length - bs, ct.length));
    ivs.confirm(messageId);
    return ct;
  }

  /**
   * Decrypts a received body. The IV chain advances only as pending state: {@link
   * IvManager#confirm} is called once the message verified.
   */
  byte[] decrypt(int messageId, byte[] ct) {
    if (!hasKeys()) {
      throw new IkeProtocolException(NotifyType.INVALID_FLAGS, "encrypted message before keys");
    }
    int bs = cipher.blockSize();
    if (ct.length == 0 || ct.length % bs != 0) {
      throw new IkeProtocolException(
          NotifyType.PAYLOAD_MALFORMED, "encrypted body not a multiple of the block size");
    }
    byte[] plain = cipher.decrypt(ivs.ivFor(messageId), ct);
    ivs.update(messageId, Arrays.copyOfRange(ct, ct.length - bs, ct.length));
    return plain;
  }

  public List<ChildSa> children() {
    return List.copyOf(children);
  }

  void addChild(ChildSa c) {
    children.add(c);
  }

  boolean removeChild(ChildSa c) {
    return children.remove(c);
  }

  /** Destroys every key of this SA and its children. */
  void destroyKeys() {
    for (Secret s : new Secret[] {skeyidD, skeyidA, encryptionKey}) {
      if (s != null && !s.isDestroyed()) {
        s.destroy();
      }
    }
    cipher = null;
  }

  @Override
  public String toString() {
    return name() + " " + peer + " " + state;
  }
}
