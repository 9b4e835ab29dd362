package dev.coati.bench.load;

import dev.coati.ike.RemoteAccess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The IKEv1 remote-access load generator (bench/load/run.sh starts it in the clients' namespace):
 * {@code --sessions} road warriors, one source address each, each doing main mode PSK + Xauth +
 * mode config pull + quick mode at {@code --rate} set-ups per second, then holding the sessions for
 * {@code --hold} seconds. Prints one line a second and a summary (handshakes/s, set-up latency
 * percentiles, failures by reason, the gateway's CPU, RSS, threads and heap after GC).
 */
public final class LoadGen {
  // the engine's per-SA INFO lines would cost the generator more than its handshakes
  private static final Logger ENGINE_LOG = Logger.getLogger("dev.coati");

  private LoadGen() {}

  public static void main(String[] args) throws Exception {
    ENGINE_LOG.setLevel(Level.WARNING);
    LoadConfig cfg;
    try {
      cfg = LoadConfig.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    byte[] psk = Files.readString(Path.of(cfg.pskFile())).strip().getBytes(StandardCharsets.UTF_8);
    List<List<RoadWarrior>> shares = new ArrayList<>();
    for (int t = 0; t < cfg.threads(); t++) {
      shares.add(new ArrayList<>());
    }
    int base = toInt(Worker.peer(cfg.clientBase(), 0).address());
    byte[] password = ClientPolicy.utf8(cfg.password());
    for (int i = 0; i < cfg.sessions(); i++) {
      RemoteAccess.Credentials creds =
          new RemoteAccess.Credentials(
              ClientPolicy.utf8(cfg.userPrefix() + (cfg.first() + i)), password);
      shares.get(i % cfg.threads()).add(new RoadWarrior(i, toBytes(base + i), creds));
    }
    Counters counters = new Counters();
    List<Worker> workers = new ArrayList<>();
    for (int t = 0; t < cfg.threads(); t++) {
      workers.add(
          new Worker(
              cfg, shares.get(t), cfg.rate() / cfg.threads(), 7919L * (t + 1), psk, counters));
    }
    new LoadGen.Run(cfg, counters, workers).go();
  }

  static int toInt(byte[] a) {
    return ((a[0] & 0xff) << 24) | ((a[1] & 0xff) << 16) | ((a[2] & 0xff) << 8) | (a[3] & 0xff);
  }

  static byte[] toBytes(int v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }

  /** One run: start the workers, sample every second, stop, summarise. */
  private record Run(LoadConfig cfg, Counters counters, List<Worker> workers) {
    void go() throws InterruptedException, IOException {
      GatewaySampler gw = new GatewaySampler(cfg.gatewayPid());
      GatewaySampler self = new GatewaySampler((int) ProcessHandle.current().pid());
      double prevSelf = self.sample().cpuSeconds();
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < workers.size(); i++) {
        threads.add(Thread.ofPlatform().name("load-" + i).start(workers.get(i)));
      }
      long t0 = System.nanoTime();
      GatewaySampler.Sample first = gw.sample();
      Map<String, Double> threadsBefore = gw.cpuByThread();
      Map<String, Double> threadsRamp = Map.of();
      GatewaySampler.Sample peakSample = null;
      double rampSeconds = 0;
      long heapKib = -1;
      long maxRss = 0;
      int maxThreads = 0;
      long prevEst = 0;
      double prevCpu = first.cpuSeconds();
      long bestSecond = 0;
      long maxSeconds = (long) (cfg.sessions() / cfg.rate()) + cfg.timeoutSeconds() + 60;
      List<String> timeline = new ArrayList<>();
      long holdUntil = Long.MAX_VALUE;
      System.out.println(
          "   t  started  estab  failed  active  hs/s  gw-cpu%  gw-rss-MB  gw-thr  gen-cpu%");
      for (long s = 1; s <= maxSeconds + cfg.holdSeconds() && System.nanoTime() < holdUntil; s++) {
        Thread.sleep(Math.max(0, t0 + s * 1_000_000_000L - System.nanoTime()) / 1_000_000);
        GatewaySampler.Sample g = gw.sample();
        double selfCpu = self.sample().cpuSeconds();
        long est = counters.established.sum();
        long done = est + counters.failed.sum() - counters.lostAfterEstablished.sum();
        String line =
            String.format(
                Locale.ROOT,
                "%4d %8d %6d %7d %7d %5d %8.0f %10.1f %7d %9.0f",
                s,
                counters.started.sum(),
                est,
                counters.failed.sum(),
                counters.active.get(),
                est - prevEst,
                (g.cpuSeconds() - prevCpu) * 100,
                g.rssKib() / 1024.0,
                g.threads(),
                (selfCpu - prevSelf) * 100);
        prevSelf = selfCpu;
        System.out.println(line);
        timeline.add(line);
        bestSecond = Math.max(bestSecond, est - prevEst);
        prevEst = est;
        prevCpu = g.cpuSeconds();
        maxRss = Math.max(maxRss, g.rssKib());
        maxThreads = Math.max(maxThreads, g.threads());
        if (peakSample == null && done >= cfg.sessions()) {
          peakSample = g;
          threadsRamp = delta(threadsBefore, gw.cpuByThread());
          rampSeconds = (System.nanoTime() - t0) / 1e9;
          heapKib = gw.heapAfterGcKib(cfg.jcmd());
          holdUntil = System.nanoTime() + cfg.holdSeconds() * 1_000_000_000L;
        }
      }
      for (Worker w : workers) {
        w.stop = true;
      }
      for (Thread t : threads) {
        t.join(30_000);
      }
      if (peakSample == null) {
        peakSample = gw.sample();
        rampSeconds = (System.nanoTime() - t0) / 1e9;
      }
      summary(first, peakSample, rampSeconds, heapKib, maxRss, maxThreads, bestSecond, timeline);
      System.out.println("gateway CPU seconds by thread during the ramp: " + threadsRamp);
      if (cfg.out() != null) {
        Files.writeString(Path.of(cfg.out() + ".threads"), threadsRamp + "\n");
      }
    }

    private static Map<String, Double> delta(
        Map<String, Double> before, Map<String, Double> after) {
      Map<String, Double> d = new TreeMap<>();
      after.forEach(
          (k, v) -> {
            double x = v - before.getOrDefault(k, 0.0);
            if (x >= 0.05) {
              d.put(k, Math.round(x * 100) / 100.0);
            }
          });
      return d;
    }

    private void summary(
        GatewaySampler.Sample first,
        GatewaySampler.Sample peak,
        double rampSeconds,
        long heapKib,
        long maxRss,
        int maxThreads,
        long bestSecond,
        List<String> timeline)
        throws IOException {
      long[] all = latencies();
      long est = counters.established.sum();
      double gwCpu = peak.cpuSeconds() - first.cpuSeconds();
      Map<String, Long> failures = new TreeMap<>();
      counters.failures.forEach((k, v) -> failures.put(k, v.sum()));
      String json =
          String.format(
              Locale.ROOT,
              "{\"sessions\":%d,\"rate\":%.1f,\"threads\":%d,\"established\":%d,\"failed\":%d,"
                  + "\"lost_after_setup\":%d,\"ramp_seconds\":%.2f,\"handshakes_per_s\":%.1f,"
                  + "\"best_second\":%d,\"gw_cpu_seconds_ramp\":%.2f,"
                  + "\"handshakes_per_gw_cpu_second\":%.1f,\"latency_ms\":{\"p50\":%.1f,"
                  + "\"p90\":%.1f,\"p99\":%.1f,\"max\":%.1f},\"gw_rss_max_mib\":%.1f,"
                  + "\"gw_heap_after_gc_mib\":%.1f,\"gw_threads_max\":%d,\"failures\":%s,"
                  + "\"datagrams_in\":%d,\"datagrams_out\":%d,\"send_errors\":%d}",
              cfg.sessions(),
              cfg.rate(),
              cfg.threads(),
              est,
              counters.failed.sum(),
              counters.lostAfterEstablished.sum(),
              rampSeconds,
              est / rampSeconds,
              bestSecond,
              gwCpu,
              gwCpu > 0 ? est / gwCpu : 0,
              pct(all, 50),
              pct(all, 90),
              pct(all, 99),
              pct(all, 100),
              maxRss / 1024.0,
              heapKib < 0 ? -1 : heapKib / 1024.0,
              maxThreads,
              jsonMap(failures),
              counters.datagramsIn.sum(),
              counters.datagramsOut.sum(),
              counters.sendErrors.sum());
      System.out.println(json);
      if (cfg.out() != null) {
        Files.writeString(Path.of(cfg.out()), json + "\n");
        Files.write(Path.of(cfg.out() + ".timeline"), timeline);
        StringBuilder lat = new StringBuilder();
        for (long l : all) {
          lat.append(l / 1000).append('\n'); // microseconds, for merging several generators
        }
        Files.writeString(Path.of(cfg.out() + ".latencies"), lat);
      }
    }

    private long[] latencies() {
      int n = 0;
      for (Worker w : workers) {
        n += w.latencyCount;
      }
      long[] all = new long[n];
      int at = 0;
      for (Worker w : workers) {
        System.arraycopy(w.latenciesNanos, 0, all, at, w.latencyCount);
        at += w.latencyCount;
      }
      Arrays.sort(all);
      return all;
    }

    private static double pct(long[] sorted, int p) {
      if (sorted.length == 0) {
        return -1;
      }
      int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
      return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    private static String jsonMap(Map<String, Long> m) {
      StringBuilder b = new StringBuilder("{");
      m.forEach(
          (k, v) -> {
            if (b.length() > 1) {
              b.append(',');
            }
            b.append('"')
                .append(k.replace("\\", "\\\\").replace("\"", "'"))
                .append("\":")
                .append(v);
          });
      return b.append('}').toString();
    }
  }
}
