package dev.coati.interop;

import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private FreeRADIUS 3.2 ({@code freeradius -X}) on 127.0.0.1 with free ports, from a copy of
 * /etc/freeradius/3.0 in {@code dir} (as /work/shared/interop/radius/setup.sh does): users alice
 * (Framed-IP-Address 10.66.0.77) and bob, NAS secret {@code testing123}, logs and accounting detail
 * files under {@code dir/log}. Stopped by PID.
 */
final class FreeRadius implements AutoCloseable {
  static final String SECRET = "testing123";
  final Path dir;
  final int authPort;
  final int acctPort;
  private final String listenAddress;
  private final Process process;

  /** Changes to the copied configuration ({@code raddb}) before the server starts. */
  interface Customizer {
    void apply(Path raddb) throws IOException;
  }

  static boolean available() {
    return Files.isDirectory(Path.of("/etc/freeradius/3.0"))
        && Files.isExecutable(Path.of("/usr/sbin/freeradius"));
  }

  FreeRadius(Path dir) throws IOException, InterruptedException {
    this(dir, null);
  }

  /**
   * In network namespace {@code netns} (null: the host), still on its 127.0.0.1: the gateway in
   * that namespace reaches it there. More users for the gateway tests: carol (Framed-IP-Address
   * 10.99.99.77, Class, Acct-Interim-Interval 600), dave (Session-Timeout 6), erin (Idle-Timeout
   * 5), fred (Acct-Interim-Interval 60, Class).
   */
  FreeRadius(Path dir, String netns) throws IOException, InterruptedException {
    this(dir, netns, "127.0.0.1", "127.0.0.1", r -> {});
  }

  /**
   * In {@code netns} (null: the host), listening on {@code listenAddress} ({@code *}: every
   * address), answering NAS clients from {@code clients} (an address or CIDR) with {@link #SECRET},
   * with {@code custom} applied to the configuration before the start.
   */
  FreeRadius(Path dir, String netns, String listenAddress, String clients, Customizer custom)
      throws IOException, InterruptedException {
    this.dir = dir;
    this.listenAddress = listenAddress;
    Files.createDirectories(dir);
    int[] ports = freePorts(3);
    authPort = ports[0];
    acctPort = ports[1];
    Path r = dir.resolve("raddb");
    run("cp", "-a", "/etc/freeradius/3.0", r.toString());
    Path conf = r.resolve("radiusd.conf");
    String c = Files.readString(conf);
    c = c.replaceAll("(?m)^(\\s*)(user|group)\\s*=.*", "$1#$2 = freerad");
    c = c.replaceAll("(?m)^(\\s*logdir\\s*=).*", "$1 " + dir.resolve("log"));
    c = c.replaceAll("(?m)^(\\s*run_dir\\s*=).*", "$1 " + dir.resolve("run"));
    Files.writeString(conf, c);
    Files.createDirectories(dir.resolve("log"));
    Files.createDirectories(dir.resolve("run"));
    Files.writeString(
        r.resolve("mods-config/files/authorize"),
        """
        alice	Cleartext-Password := "alice-pass"
        	Reply-Message := "Hello alice", Framed-IP-Address := 10.66.0.77, Session-Timeout := 3600, Class := "coati-class"
        bob	Cleartext-Password := "bob-pass"
        carol	Cleartext-Password := "carol-pass"
        	Framed-IP-Address := 10.99.99.77, Class := "carol-class", Acct-Interim-Interval := 600
        dave	Cleartext-Password := "dave-pass"
        	Session-Timeout := 6
        erin	Cleartext-Password := "erin-pass"
        	Idle-Timeout := 5
        fred	Cleartext-Password := "fred-pass"
        	Acct-Interim-Interval := 60, Class := "fred-class"
        """);
    Files.writeString(
        r.resolve("clients.conf"),
        "client localhost {\n\tipaddr = " + clients + "\n\tsecret = " + SECRET + "\n}\n");
    Path site = r.resolve("sites-enabled/default");
    String d = Files.readString(r.resolve("sites-available/default"));
    Files.delete(site);
    Files.writeString(site, withListeners(d));
    Path inner = r.resolve("sites-enabled/inner-tunnel");
    String t = Files.readString(r.resolve("sites-available/inner-tunnel"));
    Files.delete(inner);
    Files.writeString(inner, t.replace("port = 18120", "port = " + ports[2]));
    custom.apply(r);
    List<String> cmd = new java.util.ArrayList<>();
    if (netns != null) {
      cmd.addAll(List.of("ip", "netns", "exec", netns)); // exec: the PID is freeradius's
    }
    cmd.addAll(List.of("/usr/sbin/freeradius", "-X", "-d", r.toString()));
    process =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("radius.log").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!log().contains("Ready to process requests")) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        String l = log();
        close();
        throw new IOException("freeradius did not start:\n" + tail(l, 3000));
      }
      Thread.sleep(50);
    }
  }

  /** The default site with its listen sections replaced by ours (127.0.0.1, our ports). */
  private String withListeners(String site) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (true) {
      int l = site.indexOf("\nlisten {", i);
      if (l < 0) {
        out.append(site.substring(i));
        break;
      }
      out.append(site, i, l + 1);
      int depth = 0;
      int j = l + 1;
      boolean comment = false;
      for (; j < site.length(); j++) {
        char ch = site.charAt(j);
        if (ch == '\n') {
          comment = false;
        } else if (ch == '#') {
          comment = true;
        } else if (!comment && ch == '{') {
          depth++;
        } else if (!comment && ch == '}' && --depth == 0) {
          break;
        }
      }
      i = j + 1;
    }
    String mine =
        "listen {\n\ttype = auth\n\tipaddr = "
            + listenAddress
            + "\n\tport = "
            + authPort
            + "\n}\nlisten {\n\ttype = acct\n\tipaddr = "
            + listenAddress
            + "\n\tport = "
            + acctPort
            + "\n}\n";
    int s = out.indexOf("server default {");
    return out.insert(out.indexOf("\n", s) + 1, mine).toString();
  }

  String log() throws IOException {
    Path p = dir.resolve("radius.log");
    return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
  }

  /**
   * The accounting records in the detail files whose text contains every one of {@code parts} (e.g.
   * {@code "Acct-Status-Type = Stop"}, {@code "User-Name = \"carol\""}).
   */
  List<String> records(String... parts) throws IOException {
    List<String> out = new java.util.ArrayList<>();
    for (String rec : detail().split("\n\n")) {
      if (java.util.Arrays.stream(parts).allMatch(rec::contains)) {
        out.add(rec);
      }
    }
    return out;
  }

  /** The number after {@code "name = "} in {@code record}, or -1. */
  static long value(String record, String name) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\\b" + name + " = (\\d+)").matcher(record);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  /** The accounting detail files' text (radacct/127.0.0.1/detail-*). */
  String detail() throws IOException {
    Path d = dir.resolve("log/radacct/127.0.0.1");
    if (!Files.isDirectory(d)) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    try (var s = Files.list(d)) {
      for (Path p : s.sorted().toList()) {
        sb.append(Files.readString(p));
      }
    }
    return sb.toString();
  }

  static String tail(String s, int n) {
    return s.length() > n ? s.substring(s.length() - n) : s;
  }

  static int[] freePorts(int n) throws IOException {
    int[] out = new int[n];
    List<DatagramSocket> held = new java.util.ArrayList<>();
    try {
      for (int k = 0; k < n; k++) {
        DatagramSocket s = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress());
        held.add(s);
        out[k] = s.getLocalPort();
      }
    } finally {
      held.forEach(DatagramSocket::close);
    }
    return out;
  }

  private static void run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String o = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + o);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
