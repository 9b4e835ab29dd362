package dev.coati.nativeio.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The FFM TUN device for real: {@link TunEcho} creates and configures ctun0 inside a network
 * namespace made here, and ping through it gets its answers. Needs root (CAP_NET_ADMIN).
 */
class LinuxTunIT {
  static final String NS = "coati-tun-it";

  static int sh(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }

  @Test
  void pingThroughTheTunDevice_isAnsweredByOurReadAndWrite() throws Exception {
    assumeFalse("1".equals(System.getenv("COATI_SKIP_INTEROP")), "COATI_SKIP_INTEROP=1");
    assertEquals("root", System.getProperty("user.name"), "needs root for TUN and netns");
    sh("ip", "netns", "del", NS);
    assertEquals(0, sh("ip", "netns", "add", NS));
    Process echo = null;
    try {
      sh("ip", "-n", NS, "link", "set", "lo", "up");
      String java = ProcessHandle.current().info().command().orElse("java");
      echo =
          new ProcessBuilder(
                  List.of(
                      "ip",
                      "netns",
                      "exec",
                      NS,
                      java,
                      "--enable-native-access=ALL-UNNAMED",
                      "-cp",
                      System.getProperty("java.class.path"),
                      TunEcho.class.getName(),
                      "ctun0",
                      "10.96.0.1",
                      "24",
                      "3"))
              .redirectErrorStream(true)
              .start();
      BufferedReader out =
          new BufferedReader(new InputStreamReader(echo.getInputStream(), StandardCharsets.UTF_8));
      String first = out.readLine();
      assertEquals("ready ctun0", first);
      Process ping =
          new ProcessBuilder(
                  "ip", "netns", "exec", NS, "ping", "-c", "3", "-i", "0.2", "-W", "2", "10.96.0.2")
              .redirectErrorStream(true)
              .start();
      String pingOut = new String(ping.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(ping.waitFor(20, TimeUnit.SECONDS));
      assertTrue(pingOut.contains("3 received"), pingOut);
      assertEquals("answered 3", out.readLine());
      assertTrue(echo.waitFor(10, TimeUnit.SECONDS));
      assertEquals(0, echo.exitValue());
    } finally {
      if (echo != null && echo.isAlive()) {
        echo.destroyForcibly();
      }
      sh("ip", "netns", "del", NS);
    }
  }

  @Test
  void badName_isAClearError() {
    Exception e =
        org.junit.jupiter.api.Assertions.assertThrows(
            java.io.IOException.class,
            () -> LinuxTun.open("a-name-far-too-long-for-linux", new byte[4], 24, 1400));
    assertTrue(e.getMessage().contains("too long"), e.getMessage());
  }
}
