package dev.coati.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.config.ConfigLoader;
import dev.coati.config.GatewayConfig;
import dev.coati.crypto.Secret;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoatiCliTest {
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  final List<String> started = new ArrayList<>();

  int run(String... args) {
    return CoatiCli.execute(
        List.of(args),
        new ByteArrayInputStream(new byte[0]),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        (config, once, logFormat, stateDir, o, e) -> {
          started.add(config + (once ? " once" : ""));
          return 0;
        });
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void version_namesTheCommitRecordedAtBuildTime() {
    assertEquals(0, run("--version"));
    assertTrue(out().matches("(?s)coati \\S+ \\(commit [0-9a-f]{10}(-dirty)?\\)\nJava .*"), out());
  }

  @Test
  void runWithConfig_startsTheGatewayOnIt_optionsInEitherForm() {
    assertEquals(0, run("run", "--config=x.yaml", "--once"));
    assertEquals(0, run("run", "--config", "y.yaml"));
    assertEquals(List.of("x.yaml once", "y.yaml"), started);
  }

  @Test
  void unknownOptionOrArgument_exit2_withSuggestion_gatewayNotStarted() {
    assertEquals(2, run("run", "--confg", "x.yaml"));
    assertTrue(err().contains("Unknown option"), err());
    assertTrue(err().contains("--config"), err());
    assertTrue(err().contains("Try 'coati run --help'"), err());
    assertEquals(2, run("run", "stray"));
    assertEquals(2, run("sttus"));
    assertTrue(err().contains("status"), err());
    assertEquals(2, run("run", "--config", "a", "--address", "127.0.0.1"));
    assertEquals(List.of(), started);
  }

  @Test
  void help_onEveryCommand_exit0() {
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
            "completion")) {
      out.reset();
      assertEquals(0, run(verb, "--help"), verb);
      assertTrue(out().startsWith("Usage: coati " + verb), out());
    }
    assertEquals(2, run("user"));
    assertTrue(err().contains("Usage: coati user"), err());
  }

  @Test
  void launcherOnlyVerbs_sayWhereTheyRun() {
    assertEquals(2, run("test"));
    assertTrue(err().contains("./coati test in the repository"), err());
  }

  @Test
  void completion_bashScriptCoversVerbsAndOptions() {
    assertEquals(0, run("completion"));
    String script = out();
    assertTrue(script.contains("complete -F _complete_coati"), script);
    for (String w : List.of("status", "kick", "--password-stdin", "--state-dir", "--p12")) {
      assertTrue(script.contains(w), w);
    }
  }

  @Test
  void capabilities_eachMissingOneNamed() {
    GatewayConfig demo = GatewayConfig.demo(Secret.wrap("k".getBytes(StandardCharsets.UTF_8)));
    assertEquals(List.of(), Capabilities.missing(demo, -1L, false, 1024), "no TUN, all caps");
    List<String> none = Capabilities.missing(demo, 0L, false, 1024);
    assertEquals(1, none.size(), none.toString());
    assertTrue(none.get(0).startsWith("CAP_NET_BIND_SERVICE is missing (to bind UDP 500)"));
    assertEquals(List.of(), Capabilities.missing(demo, 0L, false, 500), "port 500 unprivileged");
  }

  @Test
  void primaryAddress_isTheLowestMetricDefaultRoutesInterface() {
    List<String> table =
        List.of(
            "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT",
            "eth1\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0",
            "eth0\t00000000\t010000C0\t0003\t0\t0\t100\t00000000\t0\t0\t0",
            "eth0\t000000C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0");
    assertEquals(Optional.of("eth0"), EmbeddedDefault.defaultRouteInterface(table));
    assertEquals(Optional.empty(), EmbeddedDefault.defaultRouteInterface(table.subList(3, 4)));
  }

  @Test
  void embeddedDefault_refusesAnotherAddressForTheSameState(@TempDir Path dir) throws Exception {
    Path state = dir.resolve("run");
    assertEquals(
        0, run("run", "--once", "--state-dir", state.toString(), "--address", "127.0.0.1"));
    assertEquals(List.of(state.resolve("coati.yaml") + " once"), started);
    assertEquals(2, run("run", "--state-dir", state.toString(), "--address", "127.0.0.2"));
    assertTrue(err().contains("holds a gateway for 127.0.0.1"), err());
    // the embedded default has a data plane: no TUN device and no capabilities, three reasons
    GatewayConfig withTun = ConfigLoader.load(state.resolve("coati.yaml"));
    List<String> missing = Capabilities.missing(withTun, 0L, false, 1024);
    assertEquals(3, missing.size(), missing.toString());
    assertTrue(missing.get(0).startsWith("the TUN device /dev/net/tun is missing"), missing.get(0));
    assertTrue(missing.get(1).startsWith("CAP_NET_ADMIN is missing (to create TUN coati0)"));
    assertTrue(missing.get(2).startsWith("CAP_NET_BIND_SERVICE is missing (to bind UDP 500)"));
    long netAdmin = 1L << Capabilities.CAP_NET_ADMIN;
    assertEquals(List.of(), Capabilities.missing(withTun, netAdmin, true, 0), "all there");
  }
}
