package dev.coati.server.log;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * logback's start-up configuration (found through META-INF/services, so no XML is looked for): the
 * text format on standard error until {@code coati run} calls {@link LogSetup#start}.
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {
  @Override
  public ExecutionStatus configure(LoggerContext ctx) {
    LogSetup.install(ctx, LogSetup.Format.TEXT, LogSetup.underJournald(), System.err);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
