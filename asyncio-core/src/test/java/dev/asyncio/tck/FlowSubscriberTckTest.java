package dev.asyncio.tck;

import dev.asyncio.Asyncio;
import dev.asyncio.FlowSubscriber;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowSubscriberBlackboxVerification;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;

import java.util.concurrent.Flow;

/**
 * The Reactive Streams TCK (black box) against {@link FlowSubscriber}: each subscriber is drained by a task on a
 * loop of its own thread while the TCK signals it from its threads.
 */
public class FlowSubscriberTckTest extends FlowSubscriberBlackboxVerification<Integer> {
    /** Started per run, not per instance: TestNG may make more instances of a test class than it runs. */
    private TckLoop tck;

    public FlowSubscriberTckTest() {
        super(new TestEnvironment(1000, 200));
    }

    @BeforeClass
    public void startLoop() {
        tck = new TckLoop("tck-subscriber-loop");
    }

    @AfterClass
    public void stopLoop() {
        tck.close();
    }

    @Override
    public Flow.Subscriber<Integer> createFlowSubscriber() {
        FlowSubscriber<Integer> subscriber = new FlowSubscriber<>(tck.loop, 4);
        Asyncio.runCoroutineThreadsafe(() -> {
            try (subscriber) {
                for (Integer ignored : subscriber) {
                    // consume
                }
            } catch (Exception expected) {
                // the TCK signals onError on purpose
            }
        }, tck.loop);
        return subscriber;
    }

    @Override
    public Integer createElement(int element) {
        return element;
    }
}
