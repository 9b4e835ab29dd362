package dev.coati.server.sessions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.config.GatewayConfig;
import dev.coati.crypto.DhFactory;
import dev.coati.crypto.DhGroup;
import dev.coati.crypto.EspAuth;
import dev.coati.crypto.EspCipher;
import dev.coati.crypto.HashAlg;
import dev.coati.crypto.IkeCipher;
import dev.coati.crypto.Secret;
import dev.coati.ike.ChildSa;
import dev.coati.ike.IkeContext;
import dev.coati.ike.IkeEngine;
import dev.coati.ike.IkeListener;
import dev.coati.ike.IkeSa;
import dev.coati.ike.IkeSaView;
import dev.coati.ike.NatVariant;
import dev.coati.ike.PeerAddress;
import dev.coati.ike.Phase1Transform;
import dev.coati.ike.Phase2Transform;
import dev.coati.ike.RetransmitPolicy;
import dev.coati.ike.SaSnapshot;
import dev.coati.ike.SaSnapshotCodec;
import dev.coati.ike.TrafficSelector;
import dev.coati.ike.wire.ExchangeType;
import dev.coati.ike.wire.IpsecAttr;
import dev.coati.server.policy.ConfiguredPolicy;
import dev.coati.util.Hex;
import dev.coati.util.RandomSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SA state directory: files of mode 0600 in a 0700 directory, the outbound sequence reservation
 * (a restart never reuses a sequence number, and packets write nothing), the restore of live SAs
 * and the removal (with a log line, never a crash) of damaged and expired ones.
 */
class SaStateStoreTest {
  @TempDir Path dir;

  Path sas() {
    return dir.resolve("sas");
  }

  final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
  final Map<Integer, Long> seq = new HashMap<>();
  final Map<Integer, Long> got = new HashMap<>();
  final List<ChildSa> installed = new ArrayList<>();
  long now = System.currentTimeMillis();

  IkeEngine engine() {
    GatewayConfig config = GatewayConfig.demo(Secret.wrap("k".getBytes(StandardCharsets.UTF_8)));
    return new IkeEngine(
        new IkeContext(
            () -> now,
            RandomSource.secure(),
            DhFactory.using(RandomSource.secure()),
            new ConfiguredPolicy(config),
            (from, to, d) -> {},
            new IkeListener() {
              @Override
              public void childEstablished(IkeSaView sa, ChildSa child) {
                installed.add(child);
              }
            },
            RetransmitPolicy.DEFAULT));
  }

  static Secret random(int n, Random r) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return Secret.wrap(b);
  }

  /** An established road warrior's SA with one tunnel-mode child, keys made up. */
  SaSnapshot snapshot(long cookie, int spi, long establishedAt) {
    Random r = new Random(cookie);
    Phase2Transform t =
        new Phase2Transform(
            EspCipher.ESP_AES_CBC, 128, EspAuth.HMAC_SHA1_96, null, IpsecAttr.UDP_TUNNEL, 3600, 0);
    ChildSa child =
        new ChildSa(
            7,
            t,
            spi,
            spi + 1,
            random(t.keymatLength(), r),
            random(t.keymatLength(), r),
            TrafficSelector.subnet(new byte[] {0, 0, 0, 0}, 0, 0, 0),
            TrafficSelector.host(new byte[] {10, 99, 99, 10}, 0, 0),
            3600,
            0,
            establishedAt,
            false,
            null);
    return new SaSnapshot(
        false,
        cookie,
        cookie + 1,
        new PeerAddress(new byte[] {10, 0, 0, 1}, 4500),
        new PeerAddress(new byte[] {10, 0, 0, 2}, 4500),
        ExchangeType.IDENTITY_PROTECTION.code(),
        new Phase1Transform(
            IkeCipher.AES_CBC, 128, HashAlg.SHA1, DhGroup.MODP_2048, 65001, 28800, 0),
        null,
        Set.of(),
        -1,
        random(20, r),
        random(20, r),
        random(16, r),
        new byte[16],
        establishedAt,
        NatVariant.RFC3947,
        false,
        false,
        false,
        "alice",
        new byte[] {10, 99, 99, 10},
        List.of(new SaSnapshot.Child(child, 1, 0)));
  }

  SaStateStore store() throws Exception {
    return SaStateStore.open(
        dir,
        true,
        c -> seq.getOrDefault(c.inboundSpi(), 1L),
        c -> got.getOrDefault(c.inboundSpi(), 0L),
        log);
  }

  static long reserved(Path file) throws Exception {
    SaSnapshot s = SaSnapshotCodec.decode(Files.readAllBytes(file));
    long r = s.children().get(0).outboundSequence();
    s.destroy();
    return r;
  }

  @Test
  void sync_writesA0600FileIn0700Dir_andRemovesItWhenTheSaGoes() throws Exception {
    SaStateStore store = store();
    IkeEngine engine = engine();
    IkeSa sa = engine.resume(snapshot(0x1234, 0x1000, now));
    store.sync(engine.sas());
    store.awaitWrites();
    Path file = sas().resolve("sa-0000000000001234");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sas())));
    SaSnapshot back = SaSnapshotCodec.decode(Files.readAllBytes(file));
    assertEquals("alice", back.user());
    assertEquals(1 + SaStateStore.RESERVATION, back.children().get(0).outboundSequence());
    assertArrayEquals(
        sa.children().get(0).outboundKeymat().bytes(),
        back.children().get(0).sa().outboundKeymat().bytes());
    engine.kick(sa, "test");
    store.sync(engine.sas());
    store.close(engine.sas());
    assertFalse(Files.exists(file), "gone with its SA");
    assertFalse(logBytes.toString().contains(Hex.encode(back.skeyidD().bytes())));
  }

  /**
   * Packets go out in random bursts; at random moments the process "dies" (the file as written then
   * counts): the restored sequence is always above every number sent, and the file is rewritten
   * only when half the reservation is used up.
   */
  @Test
  void sequenceReservation_neverReusesANumber_andWritesRarely() throws Exception {
    SaStateStore store = store();
    IkeEngine engine = engine();
    engine.resume(snapshot(0x77, 0x2000, now));
    Path file = sas().resolve("sa-0000000000000077");
    Random r = new Random(5);
    long next = 1;
    int writes = 0;
    long last = -1;
    for (int tick = 0; tick < 2000; tick++) {
      next += r.nextInt(200_000); // packets sent in one second
      seq.put(0x2000, next);
      store.sync(engine.sas());
      store.awaitWrites();
      long saved = reserved(file);
      assertTrue(saved >= next, "tick " + tick + ": saved " + saved + " < next " + next);
      if (saved != last) {
        writes++;
        last = saved;
      }
    }
    assertTrue(writes <= next / (SaStateStore.RESERVATION / 2) + 2, "writes " + writes);
    assertTrue(writes > 10, "the reservation was renewed: " + writes);
  }

  @Test
  void restore_resumesLiveSas_dropsDamagedAndExpired_withALineEach() throws Exception {
    SaStateStore first = store();
    IkeEngine before = engine();
    before.resume(snapshot(0x10, 0x3000, now));
    before.resume(snapshot(0x11, 0x3100, now - 7200_000)); // child of 1 h: expired by now+1h
    seq.put(0x3000, 5000L);
    got.put(0x3000, 777L);
    first.sync(before.sas());
    first.awaitWrites();
    long reservation = reserved(sas().resolve("sa-0000000000000010"));
    Files.write(sas().resolve("sa-00000000000000ff"), "COATISA1 but not really".getBytes());
    Files.write(sas().resolve("sa-0000000000000010.tmp"), new byte[] {1, 2, 3});
    byte[] good = Files.readAllBytes(sas().resolve("sa-0000000000000011"));
    good[good.length / 2] ^= 1;
    Files.write(sas().resolve("sa-00000000000000fe"), good);

    now += 3_700_000; // restart an hour later: 0x11's child and phase 1 (8 h) ... phase 1 lives
    seq.clear();
    Map<Integer, Long> resumedAt = new HashMap<>();
    Map<Integer, Long> floorAt = new HashMap<>();
    SaStateStore second = store();
    IkeEngine after = engine();
    List<IkeSa> back =
        SaRestore.restore(
            second,
            after,
            (c, s, h) -> {
              resumedAt.put(c.inboundSpi(), s);
              floorAt.put(c.inboundSpi(), h);
              seq.put(c.inboundSpi(), s); // as the data plane's EspSa.resumeAt
            },
            sa -> true,
            now);
    String text = logBytes.toString();
    assertEquals(2, back.size(), text);
    assertEquals(reservation, resumedAt.get(0x3000), "continues at the saved reservation");
    assertEquals(777L, floorAt.get(0x3000), "inbound up to the saved highest is a replay");
    assertTrue(text.contains("sa-00000000000000ff: unreadable SA state"), text);
    assertTrue(text.contains("sa-00000000000000fe: unreadable SA state (checksum"), text);
    assertFalse(Files.exists(sas().resolve("sa-00000000000000ff")));
    assertFalse(Files.exists(sas().resolve("sa-0000000000000010.tmp")));
    assertTrue(text.contains("resumed 2 SAs from before the restart (2 dropped)"), text);
    assertTrue(
        reserved(sas().resolve("sa-0000000000000010"))
            >= reservation + SaStateStore.RESERVATION / 2,
        "a fresh reservation above the restored one is on disk before any packet: "
            + reserved(sas().resolve("sa-0000000000000010"))
            + " after "
            + reservation);
    assertEquals(4, installed.size(), "2 children before, the same 2 installed again after");
  }

  @Test
  void restore_dropsAnSaWhoseEverythingExpired() throws Exception {
    SaStateStore first = store();
    IkeEngine before = engine();
    before.resume(snapshot(0x21, 0x4000, now));
    first.sync(before.sas());
    first.awaitWrites();
    now += 9 * 3600_000L; // past the 8 h phase 1 and the 1 h child
    List<IkeSa> back = SaRestore.restore(store(), engine(), (c, s, h) -> {}, sa -> true, now);
    assertEquals(List.of(), back);
    assertTrue(logBytes.toString().contains("saved SA expired during the restart"));
    assertFalse(Files.exists(sas().resolve("sa-0000000000000021")));
  }

  @Test
  void resumeOff_removesOldFiles() throws Exception {
    Files.createDirectories(sas());
    Files.write(sas().resolve("sa-0000000000000042"), new byte[] {1});
    assertEquals(null, SaStateStore.open(dir, false, c -> 1, c -> 0, log));
    assertFalse(Files.exists(sas().resolve("sa-0000000000000042")));
  }
}
