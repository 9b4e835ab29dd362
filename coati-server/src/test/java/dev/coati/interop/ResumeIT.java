package dev.coati.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #13 deliver 7, finding 9: {@code kill -9} and a restart with the same state directory lose
 * nothing for clients without DPD. strongSwan (dpd off, no rekey in the window) and vpnc ({@code
 * DPD idle timeout 0}) ping every 0.2 s through the gateway; it is killed, restarted, resumes their
 * ISAKMP and ESP SAs from {@code --state-dir}, and the pings go on within a few seconds of the
 * restart (the numbers are printed). The resumed ISAKMP SA still works: {@code coati kick} sends an
 * encrypted Delete the client acts on. With {@code state.resume_sas: false} (the "before") the same
 * clients stay black-holed.
 */
class ResumeIT {
  @TempDir Path dir;

  /** How soon after the restarted gateway is up the pings must come back. */
  static final double RESUME_WITHIN_SECONDS = 3.0;

  @BeforeEach
  void needsRoot() {
    assumeFalse("1".equals(System.getenv("COATI_SKIP_INTEROP")), "COATI_SKIP_INTEROP=1");
    assertTrue(Netns.available(), "needs root and strongSwan, or COATI_SKIP_INTEROP=1");
  }

  /** strongSwan without DPD, ESP rekey and IKE reauth at their defaults (1 h, 4 h). */
  static String strongSwanWithoutDpd(String psk) {
    return RemoteAccessIT.client(psk, false, "alice", "alice-pass")
        .replace("dpd_delay = 2s", "dpd_delay = 0s");
  }

  /** A ping every 0.2 s in the background, with timestamps ({@code ping -D}). */
  static final class Pinger implements AutoCloseable {
    final Process process;
    final Path out;

    Pinger(Path out, String ns, String... source) throws IOException {
      this.out = out;
      List<String> cmd =
          new ArrayList<>(Netns.inNs(ns, "ping", "-D", "-n", "-i", "0.2", "-W", "1"));
      cmd.addAll(List.of(source));
      process =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }

    /** Epoch ms of every echo reply so far (a duplicate counts once). */
    List<Long> replies() throws IOException {
      List<Long> at = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      Matcher m =
          Pattern.compile("(?m)^\\[(\\d+)\\.(\\d{6})\\] \\d+ bytes from .* icmp_seq=(\\d+) ")
              .matcher(Files.readString(out));
      while (m.find()) {
        if (seen.add(m.group(3))) {
          at.add(Long.parseLong(m.group(1)) * 1000 + Long.parseLong(m.group(2)) / 1000);
        }
      }
      return at;
    }

    /** Replies ping flagged as duplicates (a replayed or twice-delivered packet). */
    long duplicates() throws IOException {
      return Files.readString(out).lines().filter(l -> l.contains("(DUP!)")).count();
    }

    /** The first reply at or after {@code fromMillis}, or -1 (waiting up to {@code waitMillis}). */
    long firstReplyAfter(long fromMillis, long waitMillis) throws Exception {
      long deadline = System.currentTimeMillis() + waitMillis;
      while (true) {
        for (long t : replies()) {
          if (t >= fromMillis) {
            return t;
          }
        }
        if (System.currentTimeMillis() > deadline) {
          return -1;
        }
        Thread.sleep(100);
      }
    }

    /** Replies in [from, to) (epoch ms). */
    long count(long from, long to) throws IOException {
      return replies().stream().filter(t -> t >= from && t < to).count();
    }

    @Override
    public void close() throws Exception {
      process.destroy();
      process.waitFor(5, TimeUnit.SECONDS);
      process.destroyForcibly();
    }
  }

  static List<Path> saFiles(Path state) throws IOException {
    Path sas = state.resolve("sas");
    if (!Files.isDirectory(sas)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(sas)) {
      return s.filter(p -> p.getFileName().toString().startsWith("sa-")).toList();
    }
  }

  static void awaitSaFile(Path state, CoatiProcess coati) throws Exception {
    for (int i = 0; i < 50 && saFiles(state).isEmpty(); i++) {
      Thread.sleep(100);
    }
    List<Path> files = saFiles(state);
    String listing;
    try (Stream<Path> all = Files.walk(state)) {
      listing = all.map(Path::toString).toList().toString();
    }
    assertEquals(1, files.size(), "one SA saved: " + listing + "\n" + coati.log());
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(files.get(0))));
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("sas"))));
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

  @Test
  void strongSwanWithoutDpd_survivesKillNine() throws Exception {
    strongSwan(true);
  }

  /** The "before": with resume off the same client is black-holed (no DPD, no rekey for 1 h). */
  @Test
  void strongSwanWithoutDpd_resumeOff_isBlackHoled() throws Exception {
    strongSwan(false);
  }

  void strongSwan(boolean resume) throws Exception {
    addUser("alice", "alice-pass");
    Path state = dir.resolve("state");
    List<String> args = List.of("--state-dir", state.toString());
    String yaml = RemoteAccessIT.GATEWAY + (resume ? "" : "state:\n  resume_sas: false\n");
    String psk = "rs-psk-1";
    try (Netns ns = new Netns().addLan();
        Charon alice = new Charon(dir.resolve("alice"), strongSwanWithoutDpd(psk))) {
      try (CoatiProcess first = new CoatiProcess(dir, psk, yaml, "", List.of(), args)) {
        strongSwan(resume, first, alice, state, yaml, psk);
      }
    }
  }

  private void strongSwan(
      boolean resume, CoatiProcess first, Charon alice, Path state, String yaml, String psk)
      throws Exception {
    List<String> args = List.of("--state-dir", state.toString());
    Netns.Result up = alice.swanctl("--initiate", "--child", "rw");
    assertEquals(0, up.code(), up.output() + first.log() + alice.log());
    String vip = RemoteAccessIT.virtualIp(alice.swanctl("--list-sas").output());
    try (Pinger ping = new Pinger(dir.resolve("ping.txt"), Netns.CLI, "-I", vip, Netns.LAN_HOST)) {
      long start = System.currentTimeMillis();
      assertTrue(ping.firstReplyAfter(start, 5000) > 0, "pings before the kill: " + first.log());
      if (resume) {
        awaitSaFile(state, first);
      } else {
        Thread.sleep(1500);
        assertEquals(List.of(), saFiles(state), "resume_sas: false saves nothing");
      }
      String firstLog = first.log();
      long killed = System.currentTimeMillis();
      first.close(); // SIGKILL: no Delete reaches the client
      List<Path> filesAtKill = saFiles(state);
      if (resume) {
        assertEquals(1, filesAtKill.size(), "kill -9 leaves the SA file: " + firstLog);
      }
      Thread.sleep(1000);
      try (CoatiProcess second = new CoatiProcess(dir, psk, yaml, "", List.of(), args)) {
        long ready = System.currentTimeMillis();
        String log = second.log();
        long back = ping.firstReplyAfter(ready, resume ? 10_000 : 12_000);
        if (!resume) {
          assertEquals(
              -1,
              back,
              "without resume the client without DPD stays black-holed: " + log + alice.log());
          assertTrue(ping.process.isAlive(), "the pinger kept trying");
          System.out.printf(
              "ResumeIT: strongSwan (no DPD), resume_sas off: no reply for %.1f s after the"
                  + " restart (%d replies since the kill)%n",
              (System.currentTimeMillis() - ready) / 1e3, ping.count(killed, Long.MAX_VALUE));
          return;
        }
        assertTrue(
            back > 0,
            "pings never came back: SA files at the kill "
                + filesAtKill
                + "\nbefore:\n"
                + firstLog
                + "\nafter:\n"
                + second.log()
                + alice.log());
        assertTrue(log.contains("coati: resumed 1 SA from before the restart"), log);
        assertTrue(log.contains("session resumed user=alice address=" + vip), log);
        double afterReady = (back - ready) / 1e3;
        Thread.sleep(3000);
        long steady = ping.count(back, back + 3000);
        System.out.printf(
            "ResumeIT: strongSwan (no DPD) after kill -9: black hole %.1f s from the kill,"
                + " pings back %.2f s after the restarted gateway was up; %d distinct replies in"
                + " the next 3 s, %d duplicates%n",
            (back - killed) / 1e3, afterReady, steady, ping.duplicates());
        assertTrue(afterReady <= RESUME_WITHIN_SECONDS, "back after " + afterReady + " s");
        assertTrue(steady >= 13, "steady after the resume: " + steady + " of about 15");
        assertEquals(vip, RemoteAccessIT.virtualIp(alice.swanctl("--list-sas").output()));
        Netns.Result status =
            CoatiProcess.cli("", "status", "--socket", dir.resolve("coati.sock").toString());
        assertTrue(status.output().contains("alice"), status.output());

        // the resumed ISAKMP SA works: the kick's encrypted Delete reaches strongSwan
        Netns.Result kick =
            CoatiProcess.cli("", "kick", "alice", "--socket", dir.resolve("coati.sock").toString());
        assertEquals(0, kick.code(), kick.output());
        String sas = "";
        for (int i = 0; i < 50; i++) {
          sas = alice.swanctl("--list-sas").output();
          if (!sas.contains("ESTABLISHED")) {
            break;
          }
          Thread.sleep(100);
        }
        assertFalse(sas.contains("ESTABLISHED"), "strongSwan acted on the Delete: " + sas);
        assertTrue(
            alice.log().contains("received DELETE for IKE_SA"),
            "charon verified the resumed SA's Delete: " + alice.log());
        for (int i = 0; i < 30 && !saFiles(state).isEmpty(); i++) {
          Thread.sleep(100);
        }
        assertEquals(List.of(), saFiles(state), "the kicked SA's file is gone");
        assertFalse(firstLog.contains("alice-pass") || second.log().contains("alice-pass"));
      }
    }
  }

  @Test
  void vpncWithoutDpd_survivesKillNine() throws Exception {
    vpnc(true);
  }

  /** The "before" for vpnc: resume off, and vpnc is black-holed for good. */
  @Test
  void vpncWithoutDpd_resumeOff_isBlackHoled() throws Exception {
    vpnc(false);
  }

  void vpnc(boolean resume) throws Exception {
    addUser("alice", "alice-pass");
    Path conf = Vpnc.config(dir, "rs-psk-2", "rsvpnc0");
    Path state = dir.resolve("state");
    List<String> args = List.of("--state-dir", state.toString());
    String yaml = RemoteAccessIT.GATEWAY + (resume ? "" : "state:\n  resume_sas: false\n");
    Process vpnc = null;
    try (Netns ns = new Netns()) {
      try (CoatiProcess first = new CoatiProcess(dir, "rs-psk-2", yaml, "", List.of(), args)) {
        vpnc =
            new ProcessBuilder(Netns.inNs(Netns.CLI, "vpnc", conf.toString()))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("vpnc.log").toFile())
                .start();
        String vip = Vpnc.awaitConnect(dir, first);
        try (Pinger ping = new Pinger(dir.resolve("ping.txt"), Netns.CLI, "10.99.99.1")) {
          assertTrue(
              ping.firstReplyAfter(System.currentTimeMillis(), 5000) > 0,
              "vpnc pings before the kill: " + first.log() + Vpnc.log(dir));
          if (resume) {
            awaitSaFile(state, first);
          }
          long killed = System.currentTimeMillis();
          first.close(); // SIGKILL
          Thread.sleep(1000);
          try (CoatiProcess second = new CoatiProcess(dir, "rs-psk-2", yaml, "", List.of(), args)) {
            long ready = System.currentTimeMillis();
            long back = ping.firstReplyAfter(ready, resume ? 10_000 : 12_000);
            if (!resume) {
              assertEquals(-1, back, "vpnc without DPD stays black-holed: " + second.log());
              assertTrue(ping.process.isAlive(), "the pinger kept trying");
              assertTrue(vpnc.isAlive(), "and does not even notice");
              System.out.printf(
                  "ResumeIT: vpnc (no DPD), resume_sas off: no reply for %.1f s after the"
                      + " restart%n",
                  (System.currentTimeMillis() - ready) / 1e3);
              return;
            }
            assertTrue(back > 0, "vpnc's pings never came back: " + second.log());
            double afterReady = (back - ready) / 1e3;
            Thread.sleep(3000);
            long steady = ping.count(back, back + 3000);
            System.out.printf(
                "ResumeIT: vpnc (no DPD) after kill -9: black hole %.1f s from the kill, pings"
                    + " back %.2f s after the restarted gateway was up; %d distinct replies in the"
                    + " next 3 s, %d duplicates%n",
                (back - killed) / 1e3, afterReady, steady, ping.duplicates());
            assertTrue(afterReady <= RESUME_WITHIN_SECONDS, "back after " + afterReady + " s");
            assertTrue(steady >= 13, "steady after the resume: " + steady + " of about 15");
            assertTrue(second.log().contains("session resumed user=alice address=" + vip));

            Netns.Result kick =
                CoatiProcess.cli(
                    "", "kick", "alice", "--socket", dir.resolve("coati.sock").toString());
            assertEquals(0, kick.code(), kick.output());
            assertTrue(
                vpnc.waitFor(10, TimeUnit.SECONDS),
                "vpnc verified the resumed SA's Delete and quit: " + Vpnc.log(dir));
          }
        }
      }
    } finally {
      if (vpnc != null) {
        vpnc.destroy();
        vpnc.waitFor(5, TimeUnit.SECONDS);
        vpnc.destroyForcibly();
      }
    }
  }
}
