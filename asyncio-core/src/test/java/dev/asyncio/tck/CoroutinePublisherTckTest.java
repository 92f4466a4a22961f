package dev.asyncio.tck;

import dev.asyncio.Asyncio;
import dev.asyncio.Flows;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowPublisherVerification;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;

import java.util.concurrent.Flow;

/** The Reactive Streams TCK against {@link Flows#fromCoroutine}: a publisher of at most one item. */
public class CoroutinePublisherTckTest extends FlowPublisherVerification<Long> {
    /** Started per run, not per instance: TestNG may make more instances of a test class than it runs. */
    private TckLoop tck;

    public CoroutinePublisherTckTest() {
        super(new TestEnvironment(1000, 200), 2000);
    }

    @BeforeClass
    public void startLoop() {
        tck = new TckLoop("tck-coroutine-loop");
    }

    @AfterClass
    public void stopLoop() {
        tck.close();
    }

    @Override
    public long maxElementsFromPublisher() {
        return 1;
    }

    @Override
    public Flow.Publisher<Long> createFlowPublisher(long elements) {
        return Flows.fromCoroutine(tck.loop, () -> {
            Asyncio.sleep(0);
            return elements == 0 ? null : 42L;
        });
    }

    @Override
    public Flow.Publisher<Long> createFailedFlowPublisher() {
        return Flows.fromCoroutine(tck.loop, () -> {
            throw new IllegalStateException("the failing publisher of the TCK");
        });
    }
}
