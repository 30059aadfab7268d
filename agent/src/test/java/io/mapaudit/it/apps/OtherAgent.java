package io.mapaudit.it.apps;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.lang.instrument.Instrumentation;
import java.util.concurrent.atomic.AtomicLong;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * Another Byte Buddy agent (CoexistenceIT packs it into a jar of its own, with Byte Buddy not
 * relocated): it rewrites an application method's return value and counts
 * {@code java.util.HashMap.put} calls on the main thread with advice of its own, in the counter it leaves in the
 * system properties (a boot-visible place for inlined advice).
 */
public final class OtherAgent {
  public static final String COUNTER = "other.agent.puts";

  private OtherAgent() {}

  public static void premain(String args, Instrumentation inst) {
    System.getProperties().put(COUNTER, new AtomicLong());
    new AgentBuilder.Default()
        .disableClassFormatChanges()
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .ignore(none())
        .type(named("java.util.HashMap"))
        .transform((b, type, loader, module, domain) -> b.visit(Advice.to(CountPut.class)
            .on(named("put").and(takesArguments(2)))))
        .type(named("io.mapaudit.it.apps.CoexistProgram$Greeter"))
        .transform((b, type, loader, module, domain) -> b.visit(Advice.to(Tag.class)
            .on(named("greet"))))
        .installOn(inst);
  }

  static final class CountPut {
    private CountPut() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter() {
      // The application's worker thread only: agents' own threads put into maps too.
      Object c = Thread.currentThread().getName().equals("app-worker")
          ? System.getProperties().get("other.agent.puts") : null;
      if (c instanceof AtomicLong) {
        ((AtomicLong) c).incrementAndGet();
      }
    }
  }

  static final class Tag {
    private Tag() {}

    @Advice.OnMethodExit
    static void exit(@Advice.Return(readOnly = false) String value) {
      value = value + " [other agent]";
    }
  }
}
