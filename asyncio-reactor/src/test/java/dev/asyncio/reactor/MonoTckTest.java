package dev.asyncio.reactor;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;
import org.reactivestreams.tck.TestEnvironment;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;

/** The Reactive Streams TCK against {@link AsyncReactor#mono}: at most one item. */
public class MonoTckTest extends PublisherVerification<Long> {
    /** Started per run, not per instance: TestNG may make more instances of a test class than it runs. */
    private BackgroundLoop bg;

    public MonoTckTest() {
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
    public long maxElementsFromPublisher() {
        return 1;
    }

    @Override
    public Publisher<Long> createPublisher(long elements) {
        return AsyncReactor.mono(() -> {
            Asyncio.sleep(0);
            return elements == 0 ? null : 42L;
        }).contextWrite(c -> c.put(AsyncLoop.class, bg.loop));
    }

    @Override
    public Publisher<Long> createFailedPublisher() {
        return AsyncReactor.<Long>mono(() -> {
            throw new IllegalStateException("the failing publisher of the TCK");
        }).contextWrite(c -> c.put(AsyncLoop.class, bg.loop));
    }
}
