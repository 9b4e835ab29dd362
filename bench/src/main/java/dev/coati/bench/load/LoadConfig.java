package dev.coati.bench.load;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line options of the load generator ({@code --name value} pairs; every option has a
 * default except the gateway address and the PSK file).
 */
record LoadConfig(
    String gateway,
    String clientBase,
    int sessions,
    double rate,
    int holdSeconds,
    int timeoutSeconds,
    int threads,
    String ike,
    String esp,
    String remoteTs,
    String pskFile,
    String userPrefix,
    int first,
    String password,
    int dpdSeconds,
    int gatewayPid,
    String jcmd,
    String out) {

  static final String USAGE =
      """
      usage: LoadGen --gateway ADDR --psk-file FILE [options]
        --client-base A.B.C.D  first client address; client i uses base+i (default 10.64.0.1)
        --sessions N           road warriors to start (default 1000)
        --rate R               new handshakes started per second (default 100)
        --hold S               seconds to hold the sessions after the last start (default 10)
        --timeout S            a set-up not done after S seconds counts as failed (default 30)
        --threads T            worker threads, each with its own engine (default 1)
        --ike P --esp P        proposals (default aes128-sha256-modp2048, aes128-sha1)
        --remote-ts CIDR       the quick mode's remote selector (default 10.200.0.0/24)
        --user-prefix U        Xauth user of client i is U<i> (default rw)
        --first K              client i is user U<K+i> (several generators: default 0)
        --password PW          Xauth password of every user (default bench-pass)
        --dpd S                client DPD delay in seconds, 0 off (default 30)
        --gateway-pid PID      sample this process's CPU, RSS and threads every second
        --jcmd PATH            with --gateway-pid of a JVM: heap after a full GC at the peak
        --out FILE             JSON summary (default: stdout only)
      """;

  static LoadConfig parse(String[] args) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("bad argument " + args[i] + "\n" + USAGE);
      }
      m.put(args[i].substring(2), args[++i]);
    }
    List<String> known =
        List.of(
            "gateway",
            "client-base",
            "sessions",
            "rate",
            "hold",
            "timeout",
            "threads",
            "ike",
            "esp",
            "remote-ts",
            "psk-file",
            "user-prefix",
            "first",
            "password",
            "dpd",
            "gateway-pid",
            "jcmd",
            "out");
    for (String k : m.keySet()) {
      if (!known.contains(k)) {
        throw new IllegalArgumentException("unknown option --" + k + "\n" + USAGE);
      }
    }
    if (!m.containsKey("gateway") || !m.containsKey("psk-file")) {
      throw new IllegalArgumentException("--gateway and --psk-file are required\n" + USAGE);
    }
    return new LoadConfig(
        m.get("gateway"),
        m.getOrDefault("client-base", "10.64.0.1"),
        Integer.parseInt(m.getOrDefault("sessions", "1000")),
        Double.parseDouble(m.getOrDefault("rate", "100")),
        Integer.parseInt(m.getOrDefault("hold", "10")),
        Integer.parseInt(m.getOrDefault("timeout", "30")),
        Integer.parseInt(m.getOrDefault("threads", "1")),
        m.getOrDefault("ike", "aes128-sha256-modp2048"),
        m.getOrDefault("esp", "aes128-sha1"),
        m.getOrDefault("remote-ts", "10.200.0.0/24"),
        m.get("psk-file"),
        m.getOrDefault("user-prefix", "rw"),
        Integer.parseInt(m.getOrDefault("first", "0")),
        m.getOrDefault("password", "bench-pass"),
        Integer.parseInt(m.getOrDefault("dpd", "30")),
        Integer.parseInt(m.getOrDefault("gateway-pid", "0")),
        m.get("jcmd"),
        m.get("out"));
  }
}
