package dev.coati.ike;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.ike.wire.ExchangeType;
import dev.coati.ike.wire.IdPayload;
import dev.coati.ike.wire.IpsecAttr;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our initiator against our responder in memory, main mode and aggressive mode with every DH group
 * and IKE cipher/hash, each followed by quick mode with and without PFS. Both sides must derive
 * identical keys: the initiator's inbound keymat is the responder's outbound and vice versa.
 */
class PhaseOneEnginePairTest {

  static Stream<Arguments> groups() {
    return Stream.of(
            "modp768",
            "modp1024",
            "modp1536",
            "modp2048",
            "modp3072",
            "modp4096",
            "modp6144",
            "modp8192",
            "ecp256",
            "ecp384",
            "ecp521",
            "curve25519")
        .map(g -> Arguments.of("aes128-sha256-" + g));
  }

  static Stream<Arguments> ciphersAndHashes() {
    return Stream.of(
            "aes128-sha1",
            "aes192-sha1",
            "aes256-sha1",
            "aes256-sha256",
            "aes256-sha384",
            "aes256-sha512",
            "aes128-md5",
            "3des-sha1",
            "3des-md5",
            "des-sha1")
        .map(c -> Arguments.of(c + "-modp1024"));
  }

  static Stream<Arguments> all() {
    return Stream.concat(groups(), ciphersAndHashes());
  }

  @ParameterizedTest(name = "main mode {0}")
  @MethodSource("all")
  void mainMode_thenQuickMode_deriveIdenticalKeys(String ike) {
    runPair(ExchangeType.IDENTITY_PROTECTION, ike, "aes128-sha1", false, ike.hashCode());
  }

  @ParameterizedTest(name = "aggressive mode {0}")
  @MethodSource("all")
  void aggressiveMode_thenQuickMode_deriveIdenticalKeys(String ike) {
    runPair(ExchangeType.AGGRESSIVE, ike, "aes256gcm16", false, ike.hashCode() + 7);
  }

  @ParameterizedTest(name = "quick mode with PFS after {0}")
  @MethodSource("groups")
  void quickModeWithPfs_deriveIdenticalKeys(String ike) {
    String group = ike.substring(ike.lastIndexOf('-') + 1);
    runPair(ExchangeType.IDENTITY_PROTECTION, ike, "aes256-sha256-" + group, true, 99);
  }

  static void runPair(ExchangeType mode, String ike, String esp, boolean pfs, long seed) {
    runPair(new EnginePair(ike, esp, seed), mode, pfs);
  }

  /** Phase 1 and one quick mode over {@code p}; asserts both sides agree on every key. */
  static void runPair(EnginePair p, ExchangeType mode, boolean pfs) {
    if (mode.equals(ExchangeType.AGGRESSIVE)) {
      p.iPolicy.localId = IdPayload.fqdn("client.example.org");
      p.rPolicy.aggressiveIds.add("client.example.org");
    }
    if (pfs) {
      p.iPolicy.pfs = IkePolicy.PfsPolicy.REQUIRED;
      p.rPolicy.pfs = IkePolicy.PfsPolicy.REQUIRED;
    }
    IkeSa i = p.connect(mode);
    p.initiator.initiateChild(
        i,
        new ChildRequest(
            TrafficSelector.subnet(new byte[] {10, 1, 0, 0}, 16, 0, 0),
            TrafficSelector.subnet(new byte[] {10, 2, 0, 0}, 16, 0, 0),
            IpsecAttr.TUNNEL));
    p.pump();

    IkeSa r = p.responderSa();
    assertNotNull(r, "responder has an SA");
    assertEquals(IkeSa.State.ESTABLISHED, i.state());
    assertEquals(IkeSa.State.ESTABLISHED, r.state());
    assertEquals(i.responderCookie(), r.responderCookie());
    assertEquals(i.transform().orElseThrow(), r.transform().orElseThrow());
    assertEquals(p.rPolicy.localId, i.peerId().orElseThrow());
    assertEquals(p.iPolicy.localId, r.peerId().orElseThrow());
    assertEquals(1, p.rEvents.initialContacts, "initiator sent INITIAL-CONTACT");

    assertEquals(1, p.iEvents.children.size(), "initiator child");
    assertEquals(1, p.rEvents.children.size(), "responder child");
    ChildSa ci = p.iEvents.children.get(0);
    ChildSa cr = p.rEvents.children.get(0);
    assertEquals(ci.inboundSpi(), cr.outboundSpi());
    assertEquals(ci.outboundSpi(), cr.inboundSpi());
    assertArrayEquals(ci.inboundKeymat().bytes(), cr.outboundKeymat().bytes());
    assertArrayEquals(ci.outboundKeymat().bytes(), cr.inboundKeymat().bytes());
    assertNotEquals(
        java.util.HexFormat.of().formatHex(ci.inboundKeymat().bytes()),
        java.util.HexFormat.of().formatHex(ci.outboundKeymat().bytes()));
    assertEquals(ci.transform().keymatLength(), ci.inboundKeymat().length());
    assertEquals(ci.transform(), cr.transform());
    assertEquals(pfs, ci.transform().pfsGroup() != null);
    assertEquals(ci.local(), cr.remote());
    assertEquals(ci.remote(), cr.local());
    assertTrue(ci.transform().tunnel());
  }
}
