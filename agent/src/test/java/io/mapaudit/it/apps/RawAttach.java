package io.mapaudit.it.apps;

import com.sun.tools.attach.VirtualMachine;

/**
 * Loads the agent jar into a JVM with {@code VirtualMachine.loadAgent} directly, bypassing the
 * CLI's option check (SecurityIT): {@code main(pid, jar, agentArgs)}. Prints {@code LOADED} or
 * what the attach API threw.
 */
public final class RawAttach {
  private RawAttach() {}

  public static void main(String[] args) throws Exception {
    VirtualMachine vm = VirtualMachine.attach(args[0]);
    try {
      vm.loadAgent(args[1], args[2]);
      System.out.println("LOADED");
    } catch (Exception e) {
      System.out.println("FAILED " + e);
    } finally {
      vm.detach();
    }
  }
}
