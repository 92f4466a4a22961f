package dev.asyncio.tck;

import dev.asyncio.Flows;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowPublisherVerification;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;

import java.util.concurrent.Flow;

/** The Reactive Streams TCK against {@link Flows#fromGenerator}, subscribed from the TCK's own threads. */
public class GeneratorPublisherTckTest extends FlowPublisherVerification<Long> {
    /** Started per run, not per instance: TestNG may make more instances of a test class than it runs. */
    private TckLoop tck;

    public GeneratorPublisherTckTest() {
        super(new TestEnvironment(1000, 200), 2000);
    }

    @BeforeClass
    public void startLoop() {
        tck = new TckLoop("tck-generator-loop");
    }

    @AfterClass
    public void stopLoop() {
        tck.close();
    }

    @Override
    public Flow.Publisher<Long> createFlowPublisher(long elements) {
        return Flows.fromGenerator(tck.loop, y -> {
            for (long i = 0; i < elements; i++) {
                y.yield(i);
            }
            return null;
        });
    }

    @Override
    public Flow.Publisher<Long> createFailedFlowPublisher() {
        return Flows.fromGenerator(tck.loop, y -> {
            throw new IllegalStateException("the failing publisher of the TCK");
        });
    }
}
