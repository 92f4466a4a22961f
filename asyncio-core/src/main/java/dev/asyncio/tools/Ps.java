package dev.asyncio.tools;

import com.sun.tools.attach.VirtualMachine;

import javax.management.InstanceNotFoundException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.PrintStream;
import java.util.Set;

/**
 * Prints the tasks of a running JVM's event loops, from outside it, without stopping them; the counterpart of
 * {@code python -m asyncio ps PID} and {@code pstree PID}.
 *
 * <pre>
 * java -cp asyncio-core.jar dev.asyncio.tools.Ps pstree 12345
 * </pre>
 *
 * <p>Commands: {@code ps} (a line per task), {@code pstree} (who awaits whom), {@code dump} (every task with
 * its stack), {@code stats} (a line of figures per loop). The target JVM must run with
 * {@code -Dasyncio.inspect.jmx=true} (see {@code docs/guides/inspecting.md}), as the same user, on a JDK
 * whose attach mechanism is on (the default). The tool attaches ({@code jdk.attach}), starts the target's
 * local JMX agent (as {@code jcmd PID ManagementAgent.start_local} does), and calls the
 * {@code dev.asyncio:type=AsyncLoops} MXBean; each loop answers on its own thread between two steps.
 */
public final class Ps {
    private static final Set<String> COMMANDS = Set.of("ps", "pstree", "dump", "stats");

    private Ps() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the tool: {@code args} are a command and a process id.
     *
     * @return the exit status: 0 when printed, 2 for bad arguments, 1 when the process could not be read
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 2 || !COMMANDS.contains(args[0]) || !args[1].matches("[0-9]+")) {
            err.println("usage: Ps {ps|pstree|dump|stats} PID");
            return 2;
        }
        String operation = args[0].equals("dump") ? "dumpTasks" : args[0];
        try {
            VirtualMachine vm = VirtualMachine.attach(args[1]);
            String address;
            try {
                address = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
            try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
                MBeanServerConnection server = connector.getMBeanServerConnection();
                out.print(server.invoke(new ObjectName("dev.asyncio:type=AsyncLoops"), operation, null, null));
                out.flush();
                return 0;
            }
        } catch (InstanceNotFoundException e) {
            err.println("process " + args[1] + " has no dev.asyncio:type=AsyncLoops MBean: start it with "
                    + "-Dasyncio.inspect.jmx=true (and an event loop)");
            return 1;
        } catch (Exception e) {
            err.println("cannot read process " + args[1] + ": " + e);
            return 1;
        }
    }
}
