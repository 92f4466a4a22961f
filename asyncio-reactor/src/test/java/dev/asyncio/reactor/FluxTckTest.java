package dev.asyncio.reactor;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Yielder;
import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;
import org.reactivestreams.tck.TestEnvironment;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;

/** The Reactive Streams TCK against {@link AsyncReactor#flux}, on a real-time loop of its own thread. */
public class FluxTckTest extends PublisherVerification<Long> {
    /** Started per run, not per instance: TestNG may make more instances of a test class than it runs. */
    private BackgroundLoop bg;

    public FluxTckTest() {
        super(new TestEnvironment(1000, 200), 2000);
    }

    @BeforeClass
    public void startLoop() {
        bg = new BackgroundLoop(false);
    }

    @AfterClass
    public void stopLoop() {
        bg.close();
    }

    @Override
    public Publisher<Long> createPublisher(long elements) {
        return AsyncReactor.flux((Yielder<Long, Void> y) -> {
            for (long i = 0; i < elements; i++) {
                y.yield(i);
            }
            return null;
        }).contextWrite(c -> c.put(AsyncLoop.class, bg.loop));
    }

    @Override
    public Publisher<Long> createFailedPublisher() {
        return AsyncReactor.flux((Yielder<Long, Void> y) -> {
            throw new IllegalStateException("the failing publisher of the TCK");
        }).contextWrite(c -> c.put(AsyncLoop.class, bg.loop));
    }
}
