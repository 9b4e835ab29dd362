package dev.coati.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.coati.testing.Tshark;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #13 Deliver 8, the network-level mutation test: strongSwan road warriors' exchanges through
 * the NAT box (main and aggressive mode PSK + Xauth, mode config, quick mode, ESP in UDP) are
 * captured at a live coati gateway, then 5,000 mutations of them ({@link UdpMutator}: bit flips,
 * edge values in length fields, truncation, extension, splices) are replayed at it from the
 * client's namespace while the captured aggressive-mode SA is still up and a second, legitimate
 * client connects and pings the LAN; afterwards the captured SA still carries pings, and a fresh
 * client connects.
 */
class MutatedReplayIT {
  static final int MUTATIONS = 5000;

  @TempDir Path dir;

  @BeforeEach
  void requirements() {
    assumeFalse("1".equals(System.getenv("COATI_SKIP_INTEROP")), "COATI_SKIP_INTEROP=1");
    assertTrue(Netns.available(), "needs root and strongSwan, or COATI_SKIP_INTEROP=1");
  }

  void addUser(String name, String password) throws Exception {
    RemoteAccessIT.coati(
        password + "\n",
        "user",
        "add",
        name,
        "--file",
        dir.resolve("users.txt").toString(),
        "--password-stdin");
  }

  /** Connects a road warrior in {@code ns}, pings the LAN 3 times; returns its address. */
  static String connectAndPing(Charon c, String ns, CoatiProcess coati) throws Exception {
    Netns.Result up = c.swanctl("--initiate", "--child", "rw");
    assertEquals(0, up.code(), up.output() + coati.log() + c.log());
    String vip = RemoteAccessIT.virtualIp(c.swanctl("--list-sas").output());
    Netns.Result ping = TunnelTrafficIT.ping(ns, vip, Netns.LAN_HOST, 3, "56");
    assertEquals(3, TunnelTrafficIT.received(ping.output()), ping.output() + coati.log());
    return vip;
  }

  private int captureSize;

  /** The mutator in the client's namespace (behind the NAT), replaying {@code captured}. */
  private static Process mutator(Path captured) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(Netns.inNs(Netns.CLI));
    cmd.addAll(
        List.of(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            UdpMutator.class.getName(),
            Netns.SRV_ADDR,
            captured.toString(),
            "13",
            Integer.toString(MUTATIONS),
            "1"));
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }

  @Test
  void mutatedCapturedExchanges_gatewaySurvives_legitimateClientsConnectDuringAndAfter()
      throws Exception {
    addUser("alice", "alice-pass");
    addUser("bob", "bob-pass");
    String psk = "mutation-psk";
    Path pcap = dir.resolve("rg-capture.pcap");
    try (Netns ns = new Netns(true).addLan().addSecondClient();
        CoatiProcess coati = new CoatiProcess(dir, psk, RemoteAccessIT.GATEWAY)) {
      Process capture =
          new ProcessBuilder(
                  Netns.inNs(Netns.SRV, "tcpdump", "-i", "sit0", "-U", "-n", "-w", pcap.toString()))
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("tcpdump.log").toFile())
              .start();
      Charon live = null;
      try {
        // tcpdump takes its time to start on a busy machine: the first messages must be in the
        // capture, so wait for it to say it listens
        Path tlog = dir.resolve("tcpdump.log");
        for (int i = 0;
            i < 100 && !(Files.exists(tlog) && Files.readString(tlog).contains("listening"));
            i++) {
          Thread.sleep(100);
        }
        Thread.sleep(200);
        try (Charon mm =
            new Charon(
                dir.resolve("mm"), RemoteAccessIT.client(psk, false, "alice", "alice-pass"))) {
          connectAndPing(mm, Netns.CLI, coati);
          mm.swanctl("--terminate", "--ike", "rw");
        }
        live =
            new Charon(dir.resolve("am"), RemoteAccessIT.client(psk, true, "alice", "alice-pass"));
        String vipA = connectAndPing(live, Netns.CLI, coati);
        capture.destroy();
        capture.waitFor(5, TimeUnit.SECONDS);
        Path captured = dir.resolve("captured.txt");
        List<String> lines = new ArrayList<>();
        for (List<String> row :
            Tshark.fields(
                pcap,
                List.of("-Y", "ip.src == " + Netns.NAT_OUTSIDE + " && udp"),
                "udp.dstport",
                "udp.payload")) {
          lines.add(row.get(0) + " " + row.get(1).replace(":", ""));
        }
        Files.write(captured, lines);
        long esp =
            lines.stream()
                .filter(l -> l.startsWith("4500 ") && !l.startsWith("4500 00000000"))
                .count();
        // enough to mutate: both phase 1 modes, Xauth, mode config, quick mode, and ESP (with
        // no duplicate storms, a clean connect is about 8 IKE datagrams from the client)
        assertTrue(
            lines.size() >= 12 && esp >= 3, "IKE and ESP-in-UDP: " + lines.size() + ", " + esp);
        captureSize = lines.size();

        Process mutator = mutator(captured);
        try (BufferedReader out =
                new BufferedReader(
                    new InputStreamReader(mutator.getInputStream(), StandardCharsets.UTF_8));
            Charon b =
                new Charon(
                    Netns.CLI2,
                    dir.resolve("b"),
                    RemoteAccessIT.client(psk, false, "bob", "bob-pass"),
                    "")) {
          assertEquals("started", out.readLine(), "the mutator runs");
          String vipB = connectAndPing(b, Netns.CLI2, coati);
          assertTrue(mutator.isAlive(), "bob connected while the mutations were still arriving");
          assertTrue(mutator.waitFor(120, TimeUnit.SECONDS), "5,000 datagrams within 2 minutes");
          assertEquals("sent " + MUTATIONS, out.readLine());
          Netns.Result ping = TunnelTrafficIT.ping(Netns.CLI2, vipB, Netns.LAN_HOST, 3, "56");
          assertEquals(3, TunnelTrafficIT.received(ping.output()), "bob's tunnel survived");
        } finally {
          mutator.destroyForcibly();
        }
        Netns.Result ping = TunnelTrafficIT.ping(Netns.CLI, vipA, Netns.LAN_HOST, 3, "56");
        assertEquals(
            3,
            TunnelTrafficIT.received(ping.output()),
            "the captured SA survived mutations of its own packets: "
                + ping.output()
                + coati.log());
        live.swanctl("--terminate", "--ike", "rw");
      } finally {
        capture.destroyForcibly();
        if (live != null) {
          live.close();
        }
      }
      // from another address: the mutated first messages left the flood's own source at the
      // per-source half-open limit (5, until their short timeout), as the half-open defence means
      try (Charon after =
          new Charon(
              Netns.CLI2,
              dir.resolve("after"),
              RemoteAccessIT.client(psk, true, "bob", "bob-pass"),
              "")) {
        connectAndPing(after, Netns.CLI2, coati);
      }
      String log = coati.log();
      assertFalse(log.contains("Exception in thread"), log);
      System.out.println(
          "MutatedReplayIT: "
              + captureSize
              + " captured datagrams, "
              + MUTATIONS
              + " mutations replayed; bob connected during, alice after; coati log "
              + log.lines().count()
              + " lines");
    }
  }
}
