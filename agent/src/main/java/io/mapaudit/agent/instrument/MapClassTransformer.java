package io.mapaudit.agent.instrument;

import io.mapaudit.bootstrap.ReentrancyGuard;
import io.mapaudit.bootstrap.ThreadState;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * The agent's class file transformer: writes the {@link MapAdvice} into the boot-loaded map and
 * iterator classes named by the rules, and leaves every other class alone.
 *
 * <p>Called by the JVM on whatever thread loads or retransforms a class, concurrently; it holds
 * no mutable state apart from the thread-safe record of what it did. It never throws: a failure
 * is recorded in {@link #errors()} and the class keeps its bytecode.
 */
public final class MapClassTransformer implements ClassFileTransformer {
  /*
   * transform() runs for every class the JVM loads while the agent is attached, on application
   * threads: the check that rejects a class uses no java.util map (an instrumented map used here
   * would be audited, or recurse), only a scan of a few names.
   */
  private final String[] types;
  private final List<List<AdviceRule>> rules;
  private final List<String> transformed = new CopyOnWriteArrayList<>();
  private final List<String> errors = new CopyOnWriteArrayList<>();

  MapClassTransformer(String[] types, List<List<AdviceRule>> rules) {
    this.types = types.clone();
    this.rules = rules;
  }

  /** Names (dotted) of the classes whose advice was written, in order. */
  public List<String> transformed() {
    return transformed;
  }

  /** What failed, one line per class. */
  public List<String> errors() {
    return errors;
  }

  /** Internal names of the classes this transformer instruments. */
  String[] types() {
    return types.clone();
  }

  @Override
  public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain, byte[] classfileBuffer) {
    if (loader != null || className == null) {
      return null;
    }
    int index = -1;
    for (int i = 0; i < types.length; i++) {
      if (types[i].equals(className)) {
        index = i;
        break;
      }
    }
    if (index < 0) {
      return null;
    }
    // Byte Buddy's AgentBuilder did the same: map operations of the transformation itself (class
    // loading of the agent's own classes) are never recorded.
    ThreadState state = ReentrancyGuard.state();
    state.enterAgent();
    try {
      byte[] out = instrument(className, rules.get(index), classfileBuffer);
      String name = className.replace('/', '.');
      if (!transformed.contains(name)) {
        transformed.add(name);
      }
      return out;
    } catch (Throwable e) {
      errors.add(className.replace('/', '.') + ": " + e);
      return null;
    } finally {
      state.exitAgent();
    }
  }

  /** Records a failure found after transformation (the JVM rejected the class). */
  void failed(String className, Throwable e) {
    transformed.remove(className);
    errors.add(className + ": " + e);
  }

  static byte[] instrument(String owner, List<AdviceRule> classRules, byte[] bytes) {
    ClassReader reader = new ClassReader(bytes);
    // Sharing the reader's constant pool lets the writer copy every method it is not asked to
    // change as raw bytes: only the advised methods are parsed.
    ClassWriter writer = new ClassWriter(reader, 0);
    reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
      @Override
      public MethodVisitor visitMethod(int access, String name, String descriptor,
          String signature, String[] exceptions) {
        MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
        if ((access & (Opcodes.ACC_STATIC | Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
          return mv;
        }
        int argCount = Type.getArgumentTypes(descriptor).length;
        for (AdviceRule rule : classRules) {
          if (rule.matches(name, argCount)) {
            return new AdviceWriter(mv, owner, descriptor, rule);
          }
        }
        return mv;
      }
    }, ClassReader.EXPAND_FRAMES);
    return writer.toByteArray();
  }
}
