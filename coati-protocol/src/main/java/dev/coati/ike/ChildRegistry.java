package dev.coati.ike;

import java.lang.System.Logger.Level;
import java.util.HashSet;
import java.util.Set;

/** Child SAs of all IKE SAs: unique inbound SPIs, registration, removal with key destruction. */
final class ChildRegistry {
  private static final System.Logger LOG = System.getLogger("dev.coati.ike");

  private final IkeContext ctx;
  private final EngineCounters counters;
  private final Set<Integer> spis = new HashSet<>();

  ChildRegistry(IkeContext ctx, EngineCounters counters) {
    this.ctx = ctx;
    this.counters = counters;
  }

  /** What a quick mode of {@code sa} uses to get an SPI and to hand over its finished child. */
  QuickModeTask.ChildSaSink sink(IkeSa sa) {
    return new QuickModeTask.ChildSaSink() {
      @Override
      public int allocateSpi() {
        for (int i = 0; i < 64; i++) {
          int spi = ctx.random().nextInt();
          if (Integer.compareUnsigned(spi, 0x100) >= 0 && spis.add(spi)) {
            return spi;
          }
        }
        throw new IllegalStateException("no free SPI");
      }

      @Override
      public void established(ChildSa child) {
        sa.addChild(child);
        counters.childEstablished++;
        LOG.log(Level.INFO, "{0} {1} established", sa.name(), child);
        ctx.listener().childEstablished(sa, child);
      }
    };
  }

  /** Removes a child: frees its SPI, tells the listener, destroys its keys. */
  void drop(IkeSa sa, ChildSa c) {
    if (sa.removeChild(c)) {
      spis.remove(c.inboundSpi());
      ctx.listener().childDeleted(sa, c);
      c.destroy();
    }
  }
}
