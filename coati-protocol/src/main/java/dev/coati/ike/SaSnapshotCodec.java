package dev.coati.ike;

import dev.coati.crypto.DhGroup;
import dev.coati.crypto.EspAuth;
import dev.coati.crypto.EspCipher;
import dev.coati.crypto.HashAlg;
import dev.coati.crypto.IkeCipher;
import dev.coati.crypto.Secret;
import dev.coati.ike.wire.IdPayload;
import dev.coati.util.ByteReader;
import dev.coati.util.ByteWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * The binary form of an {@link SaSnapshot} as a file in the state directory: the magic {@code
 * COATISA1}, the fields in a fixed order (strings and byte strings with a 16-bit length, enums by
 * name), and a CRC-32C of everything before it, so a torn or damaged file is refused as a whole.
 * {@link #decode} never returns a partly read snapshot and its errors never quote the content.
 */
public final class SaSnapshotCodec {
  static final byte[] MAGIC = "COATISA1".getBytes(StandardCharsets.US_ASCII);

  /** Largest file accepted: far above a real SA (about 1 KiB with a few children). */
  public static final int MAX_BYTES = 64 * 1024;

  /** Children kept per ISAKMP SA at most (more are not written; a real client has a few). */
  public static final int MAX_CHILDREN = 64;

  private SaSnapshotCodec() {}

  public static byte[] encode(SaSnapshot s) {
    ByteWriter w = new ByteWriter(1024);
    w.bytes(MAGIC);
    w.u8(s.initiator() ? 1 : 0).i64(s.initiatorCookie()).i64(s.responderCookie());
    address(w, s.local());
    address(w, s.peer());
    w.u8(s.exchangeType());
    Phase1Transform t = s.transform();
    string(w, t.cipher().name()).i32(t.keyBits());
    string(w, t.hash().name());
    string(w, t.group().name()).i32(t.authMethod()).i64(t.lifeSeconds()).i64(t.lifeKilobytes());
    if (s.peerId() == null) {
      blob(w, null);
    } else {
      ByteWriter id = new ByteWriter();
      s.peerId().encodeBody(id);
      blob(w, id.toByteArray());
    }
    w.u16(s.features().size());
    for (PeerFeature f : s.features()) {
      string(w, f.name());
    }
    w.i32(s.microsoftVersion());
    secret(w, s.skeyidD());
    secret(w, s.skeyidA());
    secret(w, s.encryptionKey());
    blob(w, s.phase1Iv());
    w.i64(s.establishedAt());
    string(w, s.natVariant().name());
    w.u8((s.localBehindNat() ? 1 : 0) | (s.peerBehindNat() ? 2 : 0) | (s.phase1Expired() ? 4 : 0));
    blob(w, s.user() == null ? null : s.user().getBytes(StandardCharsets.UTF_8));
    blob(w, s.virtualAddress());
    List<SaSnapshot.Child> children = s.children();
    int n = Math.min(children.size(), MAX_CHILDREN);
    w.u16(n);
    for (int i = 0; i < n; i++) {
      child(w, children.get(i));
    }
    CRC32C crc = new CRC32C();
    byte[] body = w.toByteArray();
    crc.update(body);
    byte[] out =
        new ByteWriter(body.length + 4).bytes(body).i32((int) crc.getValue()).toByteArray();
    Arrays.fill(body, (byte) 0);
    return out;
  }

  private static void child(ByteWriter w, SaSnapshot.Child c) {
    ChildSa sa = c.sa();
    Phase2Transform t = sa.transform();
    w.i32(sa.messageId());
    string(w, t.cipher().name()).i32(t.keyBits());
    string(w, t.auth() == null ? "" : t.auth().name());
    string(w, t.pfsGroup() == null ? "" : t.pfsGroup().name());
    w.u16(t.encapsulationMode()).i64(t.lifeSeconds()).i64(t.lifeKilobytes());
    w.i32(sa.inboundSpi()).i32(sa.outboundSpi());
    secret(w, sa.inboundKeymat());
    secret(w, sa.outboundKeymat());
    selector(w, sa.local());
    selector(w, sa.remote());
    w.i64(sa.lifeSeconds()).i64(sa.lifeKilobytes()).i64(sa.establishedAt());
    w.u8(sa.initiatedByUs() ? 1 : 0);
    blob(w, sa.peerOriginalAddress());
    w.i64(c.outboundSequence()).i64(c.inboundHighest());
  }

  /**
   * Reads a snapshot; {@link IllegalArgumentException} (naming the damage, never the content) for
   * anything not written by {@link #encode}.
   */
  public static SaSnapshot decode(byte[] file) {
    if (file.length > MAX_BYTES || file.length < MAGIC.length + 4) {
      throw new IllegalArgumentException("not an SA file (size " + file.length + ")");
    }
    if (!Arrays.equals(file, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new IllegalArgumentException("not an SA file (no COATISA1 header)");
    }
    CRC32C crc = new CRC32C();
    crc.update(file, 0, file.length - 4);
    if ((int) crc.getValue() != new ByteReader(file, file.length - 4, 4).i32()) {
      throw new IllegalArgumentException("checksum mismatch (torn or damaged file)");
    }
    List<Secret> made = new ArrayList<>();
    try {
      return read(new ByteReader(file, MAGIC.length, file.length - 4 - MAGIC.length), made);
    } catch (RuntimeException e) {
      made.forEach(Secret::destroy);
      throw new IllegalArgumentException("damaged SA file: " + e.getClass().getSimpleName());
    }
  }

  private static SaSnapshot read(ByteReader r, List<Secret> made) {
    boolean initiator = r.u8() == 1;
    long icookie = r.i64();
    long rcookie = r.i64();
    PeerAddress local = address(r);
    PeerAddress peer = address(r);
    int exchange = r.u8();
    Phase1Transform t =
        new Phase1Transform(
            IkeCipher.valueOf(string(r)),
            r.i32(),
            HashAlg.valueOf(string(r)),
            DhGroup.valueOf(string(r)),
            r.i32(),
            r.i64(),
            r.i64());
    byte[] id = blob(r);
    IdPayload peerId = id == null ? null : IdPayload.decodeBody(new ByteReader(id));
    Set<PeerFeature> features = EnumSet.noneOf(PeerFeature.class);
    for (int i = r.u16(); i > 0; i--) {
      features.add(PeerFeature.valueOf(string(r)));
    }
    int ms = r.i32();
    Secret d = secret(r, made);
    Secret a = secret(r, made);
    Secret e = secret(r, made);
    byte[] iv = blob(r);
    long established = r.i64();
    NatVariant nat = NatVariant.valueOf(string(r));
    int flags = r.u8();
    byte[] user = blob(r);
    byte[] vip = blob(r);
    int n = r.u16();
    if (n > MAX_CHILDREN || iv == null) {
      throw new IllegalStateException();
    }
    List<SaSnapshot.Child> children = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      children.add(child(r, made));
    }
    if (r.hasRemaining()) {
      throw new IllegalStateException();
    }
    return new SaSnapshot(
        initiator,
        icookie,
        rcookie,
        local,
        peer,
        exchange,
        t,
        peerId,
        features,
        ms,
        d,
        a,
        e,
        iv,
        established,
        nat,
        (flags & 1) != 0,
        (flags & 2) != 0,
        (flags & 4) != 0,
        user == null ? null : new String(user, StandardCharsets.UTF_8),
        vip,
        children);
  }

  private static SaSnapshot.Child child(ByteReader r, List<Secret> made) {
    int mid = r.i32();
    EspCipher cipher = EspCipher.valueOf(string(r));
    int bits = r.i32();
    String auth = string(r);
    String pfs = string(r);
    Phase2Transform t =
        new Phase2Transform(
            cipher,
            bits,
            auth.isEmpty() ? null : EspAuth.valueOf(auth),
            pfs.isEmpty() ? null : DhGroup.valueOf(pfs),
            r.u16(),
            r.i64(),
            r.i64());
    int in = r.i32();
    int out = r.i32();
    Secret inKeys = secret(r, made);
    Secret outKeys = secret(r, made);
    TrafficSelector local = selector(r);
    TrafficSelector remote = selector(r);
    ChildSa sa =
        new ChildSa(
            mid,
            t,
            in,
            out,
            inKeys,
            outKeys,
            local,
            remote,
            r.i64(),
            r.i64(),
            r.i64(),
            r.u8() == 1,
            blob(r));
    return new SaSnapshot.Child(sa, r.i64(), r.i64());
  }

  private static ByteWriter string(ByteWriter w, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return w.u16(b.length).bytes(b);
  }

  private static String string(ByteReader r) {
    return new String(r.bytes(r.u16()), StandardCharsets.UTF_8);
  }

  /** A byte string, or null (length 0xffff). */
  private static void blob(ByteWriter w, byte[] b) {
    if (b == null) {
      w.u16(0xffff);
    } else {
      w.u16(b.length).bytes(b);
    }
  }

  private static byte[] blob(ByteReader r) {
    int n = r.u16();
    return n == 0xffff ? null : r.bytes(n);
  }

  private static void secret(ByteWriter w, Secret s) {
    byte[] b = s.bytes();
    w.u16(b.length).bytes(b);
    Arrays.fill(b, (byte) 0);
  }

  private static Secret secret(ByteReader r, List<Secret> made) {
    Secret s = Secret.wrap(r.bytes(r.u16()));
    made.add(s);
    return s;
  }

  private static void address(ByteWriter w, PeerAddress a) {
    blob(w, a.address());
    w.u16(a.port());
  }

  private static PeerAddress address(ByteReader r) {
    return new PeerAddress(blob(r), r.u16());
  }

  private static void selector(ByteWriter w, TrafficSelector s) {
    blob(w, s.from());
    blob(w, s.to());
    w.u8(s.protocol()).u16(s.port());
  }

  private static TrafficSelector selector(ByteReader r) {
    return new TrafficSelector(blob(r), blob(r), r.u8(), r.u16());
  }
}
