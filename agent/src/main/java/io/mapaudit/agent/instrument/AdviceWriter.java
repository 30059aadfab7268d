package io.mapaudit.agent.instrument;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.TypePath;
import org.objectweb.asm.TypeReference;

/**
 * Writes the {@link MapAdvice} of one rule around one method, as the method's code streams
 * through (read with {@code ClassReader.EXPAND_FRAMES}).
 *
 * <p>Not thread-safe; one instance per method visit.
 */
final class AdviceWriter extends MethodVisitor {
  /*
   * Layout of an entered method (Byte Buddy's Advice does the same; this is its output written
   * directly, because loading and initialising Byte Buddy cost most of the agent's startup, see
   * BENCHMARKS.md):
   *
   *   prologue: copies of key/arg, token = 0, token = enter(...) in a try block
   *   bodyStart: the original code, its locals beyond the arguments shifted up by `delta` so that
   *              the advice locals sit just after the arguments; each xRETURN becomes
   *              `xSTORE result; GOTO exit`
   *   bodyEnd
   *   exit:      exit(..., result, null, token) in a try block; xLOAD result; xRETURN
   *   onThrow:   handler of [bodyStart, bodyEnd) for Throwable: exit(..., thrown, token); ATHROW
   *
   * Frames: every original frame gets the advice locals inserted after the argument slots
   * (token: LONG, key/arg copies: Object, result and thrown: TOP until assigned), so the token is
   * live and typed everywhere in the body. The frames of the advice's own code declare only what
   * that code reads; everything else is TOP. The JVM verifies the retransformed class, so a
   * mistake here fails the retransformation (reported), never the host.
   */
  private static final String DISPATCHER = "io/mapaudit/bootstrap/MapAccessDispatcher";
  private static final String ERRORS = "io/mapaudit/bootstrap/AdviceErrors";
  private static final String OBJECT = "java/lang/Object";
  private static final String THROWABLE = "java/lang/Throwable";
  private static final String ENTER = "(Ljava/lang/Object;ILjava/lang/Object;Ljava/lang/Object;)J";
  private static final String EXIT = "(Ljava/lang/Object;ILjava/lang/Object;Ljava/lang/Object;"
      + "Ljava/lang/Object;Ljava/lang/Throwable;J)V";
  private static final String HAS_NEXT_EXIT = "(Ljava/lang/Object;Ljava/lang/Object;IZJ)V";
  private static final String NEXT_EXIT = "(Ljava/lang/Object;Ljava/lang/Object;"
      + "Ljava/lang/Throwable;J)V";
  private static final String ONE_OBJECT = "(Ljava/lang/Object;)V";
  private static final String RECORD = "(Ljava/lang/Throwable;)V";
  /** Operand stack the advice needs on top of an empty stack (exit: 6 references + a long). */
  private static final int ADVICE_STACK = 8;

  private final String owner;
  private final AdviceRule rule;
  private final Type[] args;
  private final Type result;
  private final boolean keyed;
  private final boolean entered;
  /** Slots of this and the arguments; original locals at or beyond it move up by delta. */
  private final int argsSize;
  private final int tokenSlot;
  private final int keySlot;
  private final int argSlot;
  private final int resultSlot;
  private final int thrownSlot;
  private final int delta;
  /** The advice locals as frame entries, inserted after the arguments in every frame. */
  private final Object[] inserted;
  private final Object[] argFrame;
  private final Label bodyStart = new Label();
  private final Label bodyEnd = new Label();
  private final Label exit = new Label();
  private final Label onThrow = new Label();
  private boolean bodyHandlerPending;
  private boolean returns;
  /** Handlers written before the original ones (shifts try-catch type annotation indexes). */
  private int handlersBefore;

  AdviceWriter(MethodVisitor mv, String owner, String descriptor, AdviceRule rule) {
    super(Opcodes.ASM9, mv);
    this.owner = owner;
    this.rule = rule;
    this.args = Type.getArgumentTypes(descriptor);
    this.result = Type.getReturnType(descriptor);
    this.keyed = rule.shape == MapAdvice.Shape.KEYED;
    this.entered = rule.shape.entered;
    int size = 1;
    List<Object> frame = new ArrayList<>();
    frame.add(owner);
    for (Type a : args) {
      size += a.getSize();
      frame.add(frameType(a));
    }
    this.argsSize = size;
    this.argFrame = frame.toArray();
    List<Object> ins = new ArrayList<>();
    int next = argsSize;
    if (entered) {
      tokenSlot = next;
      next += 2;
      ins.add(Opcodes.LONG);
      if (keyed) {
        keySlot = next++;
        argSlot = next++;
        ins.add(OBJECT);
        ins.add(OBJECT);
      } else {
        keySlot = -1;
        argSlot = -1;
      }
      resultSlot = next;
      for (int i = 0; i < result.getSize(); i++) {
        ins.add(Opcodes.TOP);
        next++;
      }
      thrownSlot = next++;
      ins.add(Opcodes.TOP);
    } else {
      tokenSlot = -1;
      keySlot = -1;
      argSlot = -1;
      resultSlot = -1;
      thrownSlot = -1;
    }
    this.delta = next - argsSize;
    this.inserted = ins.toArray();
    if (!entered && result.getSort() != Type.VOID) {
      throw new IllegalArgumentException("exit-only advice needs a void method: " + descriptor);
    }
    if (keyed && (args.length == 0 || !isReference(args[0]))) {
      throw new IllegalArgumentException("keyed advice needs a reference key: " + descriptor);
    }
  }

  @Override
  public void visitCode() {
    super.visitCode();
    if (!entered) {
      return;
    }
    Object[] entryLocals = concat(argFrame, inserted);
    if (keyed) {
      super.visitVarInsn(Opcodes.ALOAD, 1);
      super.visitVarInsn(Opcodes.ASTORE, keySlot);
      if (args.length >= 2) {
        int slot = 1 + args[0].getSize();
        super.visitVarInsn(args[1].getOpcode(Opcodes.ILOAD), slot);
        box(args[1]);
      } else {
        super.visitInsn(Opcodes.ACONST_NULL);
      }
      super.visitVarInsn(Opcodes.ASTORE, argSlot);
    }
    super.visitInsn(Opcodes.LCONST_0);
    super.visitVarInsn(Opcodes.LSTORE, tokenSlot);
    Label start = new Label();
    Label end = new Label();
    Label handler = new Label();
    Label join = new Label();
    super.visitTryCatchBlock(start, end, handler, THROWABLE);
    handlersBefore = 1;
    super.visitLabel(start);
    pushMap();
    pushInt(rule.op);
    if (keyed) {
      super.visitVarInsn(Opcodes.ALOAD, keySlot);
      super.visitVarInsn(Opcodes.ALOAD, argSlot);
    } else {
      super.visitInsn(Opcodes.ACONST_NULL);
      super.visitInsn(Opcodes.ACONST_NULL);
    }
    super.visitMethodInsn(Opcodes.INVOKESTATIC, DISPATCHER, "enter", ENTER, false);
    super.visitVarInsn(Opcodes.LSTORE, tokenSlot);
    super.visitLabel(end);
    super.visitJumpInsn(Opcodes.GOTO, join);
    super.visitLabel(handler);
    super.visitFrame(Opcodes.F_NEW, entryLocals.length, entryLocals, 1, new Object[] {THROWABLE});
    super.visitMethodInsn(Opcodes.INVOKESTATIC, ERRORS, "record", RECORD, false);
    super.visitLabel(join);
    super.visitFrame(Opcodes.F_NEW, entryLocals.length, entryLocals, 0, new Object[0]);
    // The original code may start with a frame of its own (a loop back to its first
    // instruction): keep the two at different offsets.
    super.visitInsn(Opcodes.NOP);
    super.visitLabel(bodyStart);
    bodyHandlerPending = true;
  }

  /*
   * The whole-body handler must come after the original handlers in the exception table (they
   * are nested inside it), and ClassReader visits those right after visitCode: so it is added on
   * the first event after them.
   */
  private void bodyHandler() {
    if (bodyHandlerPending) {
      bodyHandlerPending = false;
      super.visitTryCatchBlock(bodyStart, bodyEnd, onThrow, THROWABLE);
    }
  }

  @Override
  public org.objectweb.asm.AnnotationVisitor visitTryCatchAnnotation(int typeRef,
      TypePath typePath, String descriptor, boolean visible) {
    TypeReference ref = new TypeReference(typeRef);
    return super.visitTryCatchAnnotation(
        TypeReference.newTryCatchReference(ref.getTryCatchBlockIndex() + handlersBefore)
            .getValue(), typePath, descriptor, visible);
  }

  @Override
  public void visitLabel(Label label) {
    bodyHandler();
    super.visitLabel(label);
  }

  @Override
  public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
    bodyHandler();
    if (delta == 0) {
      super.visitFrame(type, numLocal, local, numStack, stack);
      return;
    }
    if (type != Opcodes.F_NEW) {
      throw new IllegalStateException("frames must be expanded");
    }
    List<Object> out = new ArrayList<>(numLocal + inserted.length + 2);
    int slot = 0;
    int i = 0;
    while (i < numLocal && slot < argsSize) {
      Object t = local[i++];
      out.add(t);
      slot += Opcodes.LONG.equals(t) || Opcodes.DOUBLE.equals(t) ? 2 : 1;
    }
    if (slot > argsSize) {
      throw new IllegalStateException("a frame splits the argument slots");
    }
    for (; slot < argsSize; slot++) {
      out.add(Opcodes.TOP);
    }
    out.addAll(Arrays.asList(inserted));
    while (i < numLocal) {
      out.add(local[i++]);
    }
    super.visitFrame(Opcodes.F_NEW, out.size(), out.toArray(), numStack, stack);
  }

  @Override
  public void visitInsn(int opcode) {
    bodyHandler();
    if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
      returns = true;
      if (entered && result.getSize() > 0) {
        super.visitVarInsn(result.getOpcode(Opcodes.ISTORE), resultSlot);
      }
      super.visitJumpInsn(Opcodes.GOTO, exit);
      return;
    }
    super.visitInsn(opcode);
  }

  @Override
  public void visitIntInsn(int opcode, int operand) {
    bodyHandler();
    super.visitIntInsn(opcode, operand);
  }

  @Override
  public void visitVarInsn(int opcode, int var) {
    bodyHandler();
    super.visitVarInsn(opcode, remap(var));
  }

  @Override
  public void visitTypeInsn(int opcode, String type) {
    bodyHandler();
    super.visitTypeInsn(opcode, type);
  }

  @Override
  public void visitFieldInsn(int opcode, String fieldOwner, String name, String descriptor) {
    bodyHandler();
    super.visitFieldInsn(opcode, fieldOwner, name, descriptor);
  }

  @Override
  public void visitMethodInsn(int opcode, String methodOwner, String name, String descriptor,
      boolean isInterface) {
    bodyHandler();
    super.visitMethodInsn(opcode, methodOwner, name, descriptor, isInterface);
  }

  @Override
  public void visitInvokeDynamicInsn(String name, String descriptor,
      org.objectweb.asm.Handle bootstrap, Object... bootstrapArguments) {
    bodyHandler();
    super.visitInvokeDynamicInsn(name, descriptor, bootstrap, bootstrapArguments);
  }

  @Override
  public void visitJumpInsn(int opcode, Label label) {
    bodyHandler();
    super.visitJumpInsn(opcode, label);
  }

  @Override
  public void visitLdcInsn(Object value) {
    bodyHandler();
    super.visitLdcInsn(value);
  }

  @Override
  public void visitIincInsn(int var, int increment) {
    bodyHandler();
    super.visitIincInsn(remap(var), increment);
  }

  @Override
  public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
    bodyHandler();
    super.visitTableSwitchInsn(min, max, dflt, labels);
  }

  @Override
  public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
    bodyHandler();
    super.visitLookupSwitchInsn(dflt, keys, labels);
  }

  @Override
  public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
    bodyHandler();
    super.visitMultiANewArrayInsn(descriptor, numDimensions);
  }

  @Override
  public void visitLineNumber(int line, Label start) {
    bodyHandler();
    super.visitLineNumber(line, start);
  }

  @Override
  public void visitLocalVariable(String name, String descriptor, String signature, Label start,
      Label end, int index) {
    bodyHandler();
    super.visitLocalVariable(name, descriptor, signature, start, end, remap(index));
  }

  @Override
  public org.objectweb.asm.AnnotationVisitor visitLocalVariableAnnotation(int typeRef,
      TypePath typePath, Label[] start, Label[] end, int[] index, String descriptor,
      boolean visible) {
    bodyHandler();
    int[] moved = new int[index.length];
    for (int i = 0; i < index.length; i++) {
      moved[i] = remap(index[i]);
    }
    return super.visitLocalVariableAnnotation(typeRef, typePath, start, end, moved, descriptor,
        visible);
  }

  @Override
  public void visitMaxs(int maxStack, int maxLocals) {
    bodyHandler();
    if (entered) {
      super.visitLabel(bodyEnd);
    }
    if (returns) {
      writeExit();
    }
    if (entered) {
      writeOnThrow();
    }
    super.visitMaxs(Math.max(maxStack, ADVICE_STACK + 1), maxLocals + delta + 1);
  }

  /** The normal exit: every return of the body jumps here with its value in resultSlot. */
  private void writeExit() {
    List<Object> exitLocals = new ArrayList<>();
    List<Object> retLocals = new ArrayList<>();
    exitLocals.add(owner);
    if (entered) {
      tops(exitLocals, argsSize - 1);
      exitLocals.add(Opcodes.LONG);
      if (keyed) {
        exitLocals.add(OBJECT);
        exitLocals.add(OBJECT);
      }
      if (result.getSize() > 0) {
        exitLocals.add(frameType(result));
        tops(retLocals, resultSlot);
        retLocals.add(frameType(result));
      }
    }
    super.visitLabel(exit);
    frame(exitLocals);
    Label start = new Label();
    Label end = new Label();
    Label handler = new Label();
    Label ret = new Label();
    super.visitTryCatchBlock(start, end, handler, THROWABLE);
    super.visitLabel(start);
    exitCall(false);
    super.visitLabel(end);
    super.visitJumpInsn(Opcodes.GOTO, ret);
    super.visitLabel(handler);
    super.visitFrame(Opcodes.F_NEW, retLocals.size(), retLocals.toArray(), 1,
        new Object[] {THROWABLE});
    super.visitMethodInsn(Opcodes.INVOKESTATIC, ERRORS, "record", RECORD, false);
    super.visitLabel(ret);
    frame(retLocals);
    if (entered && result.getSize() > 0) {
      super.visitVarInsn(result.getOpcode(Opcodes.ILOAD), resultSlot);
    }
    super.visitInsn(result.getOpcode(Opcodes.IRETURN));
  }

  /** The handler of the whole body: exit advice with the throwable, then rethrow it. */
  private void writeOnThrow() {
    List<Object> locals = new ArrayList<>();
    locals.add(owner);
    tops(locals, argsSize - 1);
    locals.addAll(Arrays.asList(inserted).subList(0, keyed ? 3 : 1));
    List<Object> rethrowLocals = new ArrayList<>();
    tops(rethrowLocals, thrownSlot);
    rethrowLocals.add(THROWABLE);
    super.visitLabel(onThrow);
    super.visitFrame(Opcodes.F_NEW, locals.size(), locals.toArray(), 1, new Object[] {THROWABLE});
    super.visitVarInsn(Opcodes.ASTORE, thrownSlot);
    Label start = new Label();
    Label end = new Label();
    Label handler = new Label();
    Label rethrow = new Label();
    super.visitTryCatchBlock(start, end, handler, THROWABLE);
    super.visitLabel(start);
    exitCall(true);
    super.visitLabel(end);
    super.visitJumpInsn(Opcodes.GOTO, rethrow);
    super.visitLabel(handler);
    super.visitFrame(Opcodes.F_NEW, rethrowLocals.size(), rethrowLocals.toArray(), 1,
        new Object[] {THROWABLE});
    super.visitMethodInsn(Opcodes.INVOKESTATIC, ERRORS, "record", RECORD, false);
    super.visitLabel(rethrow);
    frame(rethrowLocals);
    super.visitVarInsn(Opcodes.ALOAD, thrownSlot);
    super.visitInsn(Opcodes.ATHROW);
  }

  /** Pushes the arguments of the exit entry point and calls it. */
  private void exitCall(boolean threw) {
    switch (rule.shape) {
      case KEYED:
      case UNKEYED:
        pushMap();
        pushInt(rule.op);
        if (keyed) {
          super.visitVarInsn(Opcodes.ALOAD, keySlot);
          super.visitVarInsn(Opcodes.ALOAD, argSlot);
        } else {
          super.visitInsn(Opcodes.ACONST_NULL);
          super.visitInsn(Opcodes.ACONST_NULL);
        }
        if (keyed && !threw && result.getSize() > 0) {
          super.visitVarInsn(result.getOpcode(Opcodes.ILOAD), resultSlot);
          box(result);
        } else {
          super.visitInsn(Opcodes.ACONST_NULL);
        }
        thrown(threw);
        super.visitVarInsn(Opcodes.LLOAD, tokenSlot);
        super.visitMethodInsn(Opcodes.INVOKESTATIC, DISPATCHER, "exit", EXIT, false);
        break;
      case HAS_NEXT:
        pushMap();
        super.visitVarInsn(Opcodes.ALOAD, 0);
        super.visitVarInsn(Opcodes.ALOAD, 0);
        super.visitFieldInsn(Opcodes.GETFIELD, rule.mapField.owner, "expectedModCount", "I");
        if (threw) {
          super.visitInsn(Opcodes.ICONST_0);
        } else {
          super.visitVarInsn(Opcodes.ILOAD, resultSlot);
        }
        super.visitVarInsn(Opcodes.LLOAD, tokenSlot);
        super.visitMethodInsn(Opcodes.INVOKESTATIC, DISPATCHER, "iteratorHasNextExit",
            HAS_NEXT_EXIT, false);
        break;
      case NEXT:
        pushMap();
        super.visitVarInsn(Opcodes.ALOAD, 0);
        thrown(threw);
        super.visitVarInsn(Opcodes.LLOAD, tokenSlot);
        super.visitMethodInsn(Opcodes.INVOKESTATIC, DISPATCHER, "iteratorNextExit", NEXT_EXIT,
            false);
        break;
      case CONSTRUCTED:
        super.visitVarInsn(Opcodes.ALOAD, 0);
        super.visitMethodInsn(Opcodes.INVOKESTATIC, DISPATCHER, "constructed", ONE_OBJECT, false);
        break;
      case ITERATOR_CREATED:
        pushMap();
        super.visitMethodInsn(Opcodes.INVOKESTATIC, DISPATCHER, "iteratorCreated", ONE_OBJECT,
            false);
        break;
      default:
        throw new IllegalStateException(rule.shape.name());
    }
  }

  private void thrown(boolean threw) {
    if (threw) {
      super.visitVarInsn(Opcodes.ALOAD, thrownSlot);
    } else {
      super.visitInsn(Opcodes.ACONST_NULL);
    }
  }

  private void pushMap() {
    super.visitVarInsn(Opcodes.ALOAD, 0);
    if (rule.mapField != null) {
      super.visitFieldInsn(Opcodes.GETFIELD, rule.mapField.owner, rule.mapField.name,
          rule.mapField.descriptor);
    }
  }

  private void pushInt(int value) {
    if (value >= -1 && value <= 5) {
      super.visitInsn(Opcodes.ICONST_0 + value);
    } else {
      super.visitIntInsn(Opcodes.BIPUSH, value);
    }
  }

  /** Boxes the primitive on the stack (as Byte Buddy's dynamic typing does); no-op for refs. */
  private void box(Type t) {
    String boxed;
    switch (t.getSort()) {
      case Type.BOOLEAN: boxed = "java/lang/Boolean"; break;
      case Type.CHAR: boxed = "java/lang/Character"; break;
      case Type.BYTE: boxed = "java/lang/Byte"; break;
      case Type.SHORT: boxed = "java/lang/Short"; break;
      case Type.INT: boxed = "java/lang/Integer"; break;
      case Type.FLOAT: boxed = "java/lang/Float"; break;
      case Type.LONG: boxed = "java/lang/Long"; break;
      case Type.DOUBLE: boxed = "java/lang/Double"; break;
      default: return;
    }
    super.visitMethodInsn(Opcodes.INVOKESTATIC, boxed, "valueOf",
        "(" + t.getDescriptor() + ")L" + boxed + ";", false);
  }

  private void frame(List<Object> locals) {
    super.visitFrame(Opcodes.F_NEW, locals.size(), locals.toArray(), 0, new Object[0]);
  }

  private int remap(int var) {
    return var >= argsSize ? var + delta : var;
  }

  private static void tops(List<Object> out, int slots) {
    for (int i = 0; i < slots; i++) {
      out.add(Opcodes.TOP);
    }
  }

  private static boolean isReference(Type t) {
    return t.getSort() == Type.OBJECT || t.getSort() == Type.ARRAY;
  }

  private static Object frameType(Type t) {
    switch (t.getSort()) {
      case Type.BOOLEAN:
      case Type.CHAR:
      case Type.BYTE:
      case Type.SHORT:
      case Type.INT:
        return Opcodes.INTEGER;
      case Type.FLOAT:
        return Opcodes.FLOAT;
      case Type.LONG:
        return Opcodes.LONG;
      case Type.DOUBLE:
        return Opcodes.DOUBLE;
      default:
        return t.getInternalName();
    }
  }

  private static Object[] concat(Object[] a, Object[] b) {
    Object[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
