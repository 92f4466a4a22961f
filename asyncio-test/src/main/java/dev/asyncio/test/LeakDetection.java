package dev.asyncio.test;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns Netty's leak reports into test failures: a leak detector factory whose detectors record every
 * reported leak instead of only logging it, and a way to make pending reports come out now.
 *
 * <p>Netty creates its buffer leak detector when the buffer classes initialise, so the factory must be
 * installed before that: the {@link AsyncTestSessionListener} does it when the JUnit launcher starts, and
 * {@link AsyncTestExtension} does it again in case the listener was not loaded.
 */
public final class LeakDetection {
    private static final AtomicBoolean INSTALLED = new AtomicBoolean();
    private static final ConcurrentLinkedQueue<String> LEAKS = new ConcurrentLinkedQueue<>();
    private static final AtomicLong TRACKED = new AtomicLong();

    private LeakDetection() {
    }

    /** Installs the recording factory once; later calls do nothing. */
    public static void install() {
        if (INSTALLED.compareAndSet(false, true)) {
            ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
        }
    }

    /**
     * Collects garbage and gives the detectors a chance to report what was collected unreleased, then
     * returns (and forgets) every leak reported so far. Does nothing, quickly, if no resource was ever tracked.
     */
    public static List<String> collectLeaks() {
        if (TRACKED.get() > 0 && ResourceLeakDetector.isEnabled()) {
            for (int i = 0; i < 3; i++) {
                System.gc();
                try {
                    Thread.sleep(5); // the reference handler thread enqueues what the collection found
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                // Detectors report queued leaks when they track a new object.
                io.netty.buffer.ByteBuf probe = io.netty.buffer.PooledByteBufAllocator.DEFAULT.buffer(1);
                probe.release();
                io.netty.buffer.ByteBuf heapProbe = io.netty.buffer.UnpooledByteBufAllocator.DEFAULT.directBuffer(1);
                heapProbe.release();
            }
        }
        List<String> out = new ArrayList<>();
        String s;
        while ((s = LEAKS.poll()) != null) {
            out.add(s);
        }
        return out;
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        @SuppressWarnings("deprecation")
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
            return new RecordingDetector<>(resource, samplingInterval);
        }

        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
            return new RecordingDetector<>(resource, samplingInterval);
        }
    }

    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
        RecordingDetector(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        public io.netty.util.ResourceLeakTracker<T> track(T obj) {
            TRACKED.incrementAndGet();
            return super.track(obj);
        }

        @Override
        protected boolean needReport() {
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            LEAKS.add("LEAK: " + resourceType + ".release() was not called before it was garbage-collected." + records);
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            LEAKS.add("LEAK: " + resourceType + ".release() was not called before it was garbage-collected.");
            super.reportUntracedLeak(resourceType);
        }
    }
}
