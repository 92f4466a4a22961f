package dev.asyncio;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dumps taken from outside the process (signal, JMX, {@code tools.Ps}: all through {@link Inspection#dumpOne})
 * are capped: a loop with more tasks than the cap, a name of a megabyte and a gather of every task give a
 * bounded text whose last line counts the tasks left out.
 */
class TaskDumpLimitsTest {
    private static final int SLEEPERS = 1200;
    private static final Pattern OMITTED = Pattern.compile("\\.\\.\\. (\\d+) more tasks? omitted");

    @Test
    void outsideDumpsAreCappedInTasksAndCharactersAndSayHowManyTasksTheyLeftOut() {
        String hugeName = "n".repeat(1_000_000);
        List<String> texts = new ArrayList<>();
        int[] alive = new int[1];
        try (AsyncLoop loop = AsyncLoop.builder().virtualTime(true).build()) {
            loop.runUntilComplete(() -> {
                List<Task<Void>> sleepers = new ArrayList<>();
                for (int i = 0; i < SLEEPERS; i++) {
                    sleepers.add(Asyncio.createTask(() -> Asyncio.sleep(10)));
                }
                Task<Void> big = Asyncio.createTask(() -> Asyncio.sleep(10), hugeName);
                Task<List<Void>> gatherer = Asyncio.createTask(() -> Asyncio.gather(sleepers), "gatherer");
                AsyncLoop l = Asyncio.getRunningLoop();
                l.callLater(0.5, () -> {
                    alive[0] = l.allTasks().size();
                    for (Function<TaskDump, String> render : List.<Function<TaskDump, String>>of(
                            TaskDump::format, TaskDump::ps, TaskDump::pstree)) {
                        StringBuilder sb = new StringBuilder();
                        assertTrue(Inspection.dumpOne(l, render, sb));
                        texts.add(sb.toString());
                    }
                });
                Asyncio.sleep(1);
                for (Task<Void> t : sleepers) {
                    t.cancel();
                }
                big.cancel();
                gatherer.cancel();
            });
        }
        assertEquals(SLEEPERS + 3, alive[0]);
        String[] marks = {"* Task #", "#", "(T) #"};
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            assertTrue(text.length() < TaskDump.Limits.OUTSIDE.chars() + 100_000, "dump " + i + " is "
                    + text.length() + " characters");
            assertFalse(text.contains("n".repeat(TaskDump.Limits.OUTSIDE.textChars() + 1)), "name not cut in dump " + i);
            Matcher m = OMITTED.matcher(text);
            assertTrue(m.find(), "no omitted line in dump " + i);
            int shown = 0;
            for (String line : text.split("\n")) {
                String body = line.replaceAll("^[│├└─ ]*", "");
                if (body.startsWith(marks[i]) && (i != 1 || body.matches("#\\d+ .*"))) {
                    shown++;
                }
            }
            assertTrue(shown <= TaskDump.Limits.OUTSIDE.tasks(), "dump " + i + " shows " + shown + " tasks");
            assertEquals(alive[0], shown + Integer.parseInt(m.group(1)), "dump " + i + ": shown + omitted");
        }
    }

    @Test
    void aDumpTakenInTheProgramKeepsEveryTaskAndTheWholeName() {
        try (AsyncLoop loop = AsyncLoop.builder().virtualTime(true).build()) {
            String name = "m".repeat(5000);
            TaskDump dump = loop.runUntilComplete(() -> {
                Task<Void> t = Asyncio.createTask(() -> Asyncio.sleep(10), name);
                Asyncio.sleep(0);
                TaskDump d = TaskDump.of(Asyncio.getRunningLoop());
                t.cancel();
                return d;
            });
            assertEquals(0, dump.omittedTasks());
            assertTrue(dump.tasks().stream().anyMatch(t -> t.name().equals(name)));
            assertFalse(OMITTED.matcher(dump.format()).find());
        }
    }
}
