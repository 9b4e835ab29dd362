package dev.coati.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's commands through the real launcher script {@code ./coati} (not {@code Main}): every
 * verb's {@code --help}, {@code --version} with the commit, refusal of unknown options (exit 2),
 * completion, demo, check, user, pki, {@code run --once}, and status, kick and reload against a
 * running gateway; {@code ./coati run} without a configuration serving an unmodified strongSwan
 * client configured from exactly the settings it printed; the missing capability named when started
 * without CAP_NET_ADMIN (setpriv).
 */
class LauncherIT {
  static final Path REPO = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();

  @TempDir Path dir;
  Process gateway;

  @AfterEach
  void teardown() throws Exception {
    if (gateway != null && gateway.isAlive()) {
      gateway.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    Netns.remove(Netns.CLI, Netns.SRV);
  }

  @Test
  void everyCommandWithoutAGateway_throughTheLauncher() throws Exception {
    assertTrue(Files.isExecutable(REPO.resolve("coati")), REPO + "/coati");
    Netns.Result version = coati("", "--version");
    assertEquals(0, version.code(), version.output());
    assertTrue(
        version.output().matches("(?s)coati \\S+ \\(commit [0-9a-f]{10}(-dirty)?\\)\n.*"),
        version.output());
    Netns.Result help = coati("", "--help");
    assertEquals(0, help.code(), help.output());
    for (String verb :
        List.of(
            "run",
            "status",
            "kick",
            "reload",
            "check",
            "user",
            "pki",
            "demo",
            "import",
            "test",
            "build",
            "completion")) {
      assertTrue(help.output().contains("  " + verb + " "), verb + " in " + help.output());
      Netns.Result h = coati("", verb, "--help");
      assertEquals(0, h.code(), verb + ": " + h.output());
      assertTrue(h.output().toLowerCase().contains("usage: "), verb + ": " + h.output());
    }
    for (String[] sub :
        new String[][] {
          {"user", "add"},
          {"user", "passwd"},
          {"user", "del"},
          {"user", "list"},
          {"pki", "ca"},
          {"pki", "server"},
          {"pki", "client"}
        }) {
      Netns.Result h = coati("", sub[0], sub[1], "--help");
      assertEquals(0, h.code(), h.output());
      assertTrue(h.output().contains("Usage: coati " + sub[0] + " " + sub[1]), h.output());
    }
    Netns.Result typo = coati("", "run", "--confg", "x.yaml");
    assertEquals(2, typo.code(), typo.output());
    assertTrue(typo.output().contains("Unknown option"), typo.output());
    assertTrue(typo.output().contains("--config"), "the hint: " + typo.output());
    assertEquals(2, coati("", "frobnicate").code());
    assertEquals(2, coati("", "status", "extra").code());
    Netns.Result completion = coati("", "completion");
    assertEquals(0, completion.code());
    assertTrue(completion.output().contains("complete -F"), completion.output());
    assertTrue(completion.output().contains("--password-stdin"), "user add's options");

    Path demo = dir.resolve("demo");
    Netns.Result made = coati("", "demo", "--dir", demo.toString());
    assertEquals(0, made.code(), made.output());
    Path cfg = demo.resolve("coati.yaml");
    assertOk(coati("", "check", "--config", cfg.toString()), "ok");
    assertOk(coati("", "run", "--config", cfg.toString(), "--once"), "IKEv1 engine ready");
    assertOk(
        coati(
            "pw-of-bob-1\n", "user", "add", "bob", "--config", cfg.toString(), "--password-stdin"),
        "added bob");
    assertOk(coati("", "user", "list", "--config", cfg.toString()), "2 users");
    assertOk(
        coati(
            "pw-of-bob-2\n",
            "user",
            "passwd",
            "bob",
            "--config",
            cfg.toString(),
            "--password-stdin"),
        "new password for bob");
    assertOk(coati("", "user", "del", "bob", "--config", cfg.toString()), "deleted bob");
    Path ca = dir.resolve("ca");
    assertOk(coati("", "pki", "ca", "--out", ca.toString(), "--ec"), "");
    assertOk(
        coati(
            "",
            "pki",
            "server",
            "--ca",
            ca.toString(),
            "--name",
            "vpn.test",
            "--ip=192.0.2.1",
            "--ip",
            "192.0.2.2",
            "--ec"),
        "");
    assertOk(
        coati(
            "",
            "pki",
            "client",
            "--ca",
            ca.toString(),
            "--name",
            "carol",
            "--p12",
            dir.resolve("carol.p12").toString(),
            "--password-file",
            dir.resolve("carol.pw").toString(),
            "--ec"),
        "");
    assertTrue(Files.size(dir.resolve("carol.p12")) > 0);
    String san =
        Netns.run(
            "openssl",
            "x509",
            "-noout",
            "-ext",
            "subjectAltName",
            "-in",
            ca.resolve("vpn.test.pem").toString());
    assertTrue(san.contains("192.0.2.1") && san.contains("192.0.2.2"), "both --ip forms: " + san);
    Path seed = REPO.resolve("coati-server/src/test/resources/import/seed001");
    Path imported = dir.resolve("imported");
    Netns.Result imp =
        coati(
            "",
            "import",
            "--dir",
            imported.toString(),
            seed.resolve("ipsec.conf").toString(),
            seed.resolve("ipsec.secrets").toString(),
            seed.resolve("xl2tpd.conf").toString(),
            seed.resolve("options.xl2tpd").toString(),
            seed.resolve("chap-secrets").toString());
    assertEquals(0, imp.code(), imp.output());
    assertTrue(Files.exists(imported.resolve("coati.yaml")), imp.output());
    Netns.Result noGateway = coati("", "status", "--socket", dir.resolve("none.sock").toString());
    assertEquals(1, noGateway.code(), noGateway.output());
    assertTrue(noGateway.output().contains("not running"), noGateway.output());
  }

  /**
   * {@code ./coati run} with no configuration in a namespace whose default route makes 10.97.0.1
   * the primary address: strongSwan, with the swanctl.conf the gateway printed, gets an address,
   * pings the gateway through the tunnel; status, kick and reload through the launcher; a second
   * start keeps the PSK.
   */
  @Test
  void runWithoutConfig_servesStrongSwanWithThePrintedSettings() throws Exception {
    assumeFalse("1".equals(System.getenv("COATI_SKIP_INTEROP")), "COATI_SKIP_INTEROP=1");
    assertTrue(Netns.available(), "needs root and strongSwan, or COATI_SKIP_INTEROP=1");
    topology();
    Path state = dir.resolve("run");
    Path log = dir.resolve("gateway.log");
    gateway = start(log, "run", "--state-dir", state.toString());
    String printed = awaitRunning(log);
    assertTrue(printed.contains("UDP 500/4500 on [" + Netns.SRV_ADDR + "]"), printed);
    String swanctl = swanctlBlock(printed);
    assertTrue(swanctl.contains("remote_addrs = " + Netns.SRV_ADDR), swanctl);
    try (Charon c = new Charon(Netns.CLI, dir.resolve("charon"), swanctl, "")) {
      Netns.Result up = c.swanctl("--initiate", "--child", "coati-demo");
      assertEquals(0, up.code(), up.output() + Files.readString(log) + c.log());
      Matcher vip =
          Pattern.compile("(10\\.99\\.99\\.\\d+)/32").matcher(c.swanctl("--list-sas").output());
      assertTrue(vip.find(), c.swanctl("--list-sas").output());
      Netns.Result ping = TunnelTrafficIT.ping(Netns.CLI, vip.group(1), "10.99.99.1", 3, "56");
      assertEquals(3, TunnelTrafficIT.received(ping.output()), ping.output());

      String sock = "--state-dir=" + state;
      assertOk(coati("", "status", sock), "demo");
      assertOk(coati("", "status", "--json", sock), "\"user\":\"demo\"");
      assertOk(coati("", "reload", sock), "");
      assertOk(coati("", "kick", "demo", sock), "");
      Netns.Result after = coati("", "status", "--json", sock);
      assertFalse(after.output().contains("\"user\":\"demo\""), after.output());
    }
    gateway.destroy();
    assertTrue(gateway.waitFor(15, TimeUnit.SECONDS), "stops on SIGTERM");
    assertEquals(143, gateway.exitValue(), Files.readString(log));
    String psk = Files.readString(state.resolve("psk.txt")).strip();
    Netns.Result again = coati("", "run", "--once", "--state-dir", state.toString());
    assertEquals(0, again.code(), again.output());
    assertEquals(swanctl, swanctlBlock(again.output()), "a second start prints the same settings");
    assertEquals(psk, Files.readString(state.resolve("psk.txt")).strip());
  }

  /** Without CAP_NET_ADMIN (setpriv drops it) run names the missing capability and exits 1. */
  @Test
  void runWithoutCapNetAdmin_namesIt() throws Exception {
    assertTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv (util-linux)");
    assertTrue("root".equals(System.getProperty("user.name")), "starts as root, then drops");
    // in a namespace of its own: ip_unprivileged_port_start is per network namespace
    Netns.remove(Netns.SRV);
    Netns.run("ip", "netns", "add", Netns.SRV);
    Netns.run(
        Netns.inNs(Netns.SRV, "sysctl", "-qw", "net.ipv4.ip_unprivileged_port_start=1024")
            .toArray(String[]::new));
    Netns.Result r =
        run(
            "",
            Netns.inNs(
                Netns.SRV,
                "setpriv",
                "--bounding-set",
                "-net_admin,-net_bind_service",
                "--inh-caps",
                "-all",
                REPO.resolve("coati").toString(),
                "run",
                "--state-dir",
                dir.resolve("run").toString(),
                "--address",
                "127.0.0.1"));
    assertEquals(1, r.code(), r.output());
    assertTrue(
        r.output().contains("cannot start: CAP_NET_ADMIN is missing (to create TUN coati0)"),
        r.output());
    assertTrue(
        r.output().contains("CAP_NET_BIND_SERVICE is missing (to bind UDP 500)"), r.output());
  }

  /**
   * The set-up step of {@code ./coati test} ({@code interop/setup.sh}): as a user who is not root
   * it installs nothing and stops, naming what it needs; with the interop tests skipped it asks
   * only for the unit tests' packages (installed here). As root it installs (what CI runs).
   */
  @Test
  void testSetup_withoutRoot_namesWhatIsMissingAndStops() throws Exception {
    Path setup = REPO.resolve("interop/setup.sh");
    List<String> nobody =
        List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "env");
    List<String> cmd = new ArrayList<>(nobody);
    cmd.add(setup.toString());
    Netns.Result r = run("", cmd);
    assertEquals(1, r.code(), r.output());
    assertTrue(r.output().contains("the interop tests need root"), r.output());
    assertTrue(r.output().contains("COATI_SKIP_INTEROP=1 ./coati test"), r.output());
    cmd = new ArrayList<>(nobody);
    cmd.addAll(List.of("COATI_SKIP_INTEROP=1", setup.toString()));
    Netns.Result unitOnly = run("", cmd);
    assertEquals(0, unitOnly.code(), unitOnly.output());
    String list = run("", List.of(setup.toString(), "--list")).output();
    for (String p : List.of("tshark", "openssl", "strongswan-charon", "freeradius", "iperf3")) {
      assertTrue(list.lines().anyMatch(p::equals), p + " in the one package list: " + list);
    }
  }

  void topology() throws Exception {
    Netns.remove(Netns.CLI, Netns.SRV);
    Netns.run("ip", "netns", "add", Netns.CLI);
    Netns.run("ip", "netns", "add", Netns.SRV);
    Netns.veth(Netns.CLI, "rdl-c", Netns.CLI_ADDR, Netns.SRV, "rdl-s", Netns.SRV_ADDR);
    for (String ns : List.of(Netns.CLI, Netns.SRV)) {
      Netns.run("ip", "-n", ns, "link", "set", "lo", "up");
    }
    Netns.run("ip", "-n", Netns.SRV, "route", "add", "default", "via", Netns.CLI_ADDR);
  }

  Process start(Path log, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(Netns.inNs(Netns.SRV, REPO.resolve("coati").toString()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd)
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  String awaitRunning(Path log) throws Exception {
    for (int i = 0; i < 1200 && !Files.readString(log).contains("running;"); i++) {
      assertTrue(gateway.isAlive(), "exited: " + Files.readString(log));
      Thread.sleep(100);
    }
    String text = Files.readString(log);
    assertTrue(text.contains("running;"), "not running after 120 s: " + text);
    return text;
  }

  /** The swanctl.conf the gateway printed: from "connections {" to the end of "secrets { }". */
  static String swanctlBlock(String printed) {
    int a = printed.indexOf("  connections {");
    int s = printed.indexOf("  secrets {", a);
    int b = printed.indexOf("\n  }\n", s);
    assertTrue(a > 0 && s > a && b > s, printed);
    return printed.substring(a, b + 4);
  }

  static void assertOk(Netns.Result r, String expected) {
    assertEquals(0, r.code(), r.output());
    assertTrue(r.output().contains(expected), expected + " in " + r.output());
  }

  /** {@code ./coati ARGS} with {@code stdin}, 120 s at most: exit code and output. */
  Netns.Result coati(String stdin, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(REPO.resolve("coati").toString()));
    cmd.addAll(List.of(args));
    return run(stdin, cmd);
  }

  Netns.Result run(String stdin, List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // the command did not read its input
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(cmd + " hangs");
    }
    return new Netns.Result(p.exitValue(), out);
  }
}
