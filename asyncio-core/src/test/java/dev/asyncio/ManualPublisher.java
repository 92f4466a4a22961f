package dev.asyncio;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;

/**
 * A publisher driven by the test: it records every request and cancellation, and emits only when the test calls
 * {@link #next}, {@link #complete} or {@link #error} (from whatever thread the test calls them on), including
 * signals that break the rules on purpose. Optionally it answers each request at once with that many items
 * counted up from 0, synchronously inside {@code request}, as {@code Flux.range} does.
 */
final class ManualPublisher<T> implements Flow.Publisher<T> {
    final List<Long> requests = new CopyOnWriteArrayList<>();
    final List<Flow.Subscriber<? super T>> subscribers = new ArrayList<>();
    volatile boolean cancelled;
    private final java.util.function.LongFunction<T> counter;
    private long emitted;
    private long outstanding;
    long maxOutstanding;

    ManualPublisher() {
        this(null);
    }

    /** Answers each request with items made by {@code counter} from 0, 1, 2, ... up to {@code total}. */
    private ManualPublisher(java.util.function.LongFunction<T> counter) {
        this.counter = counter;
    }

    static ManualPublisher<Long> range(long total) {
        return new ManualPublisher<>(i -> i < total ? i : null);
    }

    @Override
    public void subscribe(Flow.Subscriber<? super T> s) {
        subscribers.add(s);
        s.onSubscribe(new Flow.Subscription() {
            private boolean inRequest;
            private boolean done;

            @Override
            public void request(long n) {
                requests.add(n);
                outstanding += n;
                maxOutstanding = Math.max(maxOutstanding, outstanding);
                if (counter == null || inRequest || done) {
                    return; // re-entrant requests are served by the loop below (rule 3.3)
                }
                inRequest = true;
                try {
                    while (outstanding > 0 && !cancelled) {
                        T item = counter.apply(emitted);
                        if (item == null) {
                            done = true;
                            s.onComplete();
                            return;
                        }
                        emitted++;
                        outstanding--;
                        s.onNext(item);
                        if (counter.apply(emitted) == null && !done) {
                            done = true; // as Flux.range: complete right after the last item, without demand
                            s.onComplete();
                            return;
                        }
                    }
                } finally {
                    inRequest = false;
                }
            }

            @Override
            public void cancel() {
                cancelled = true;
            }
        });
    }

    Flow.Subscriber<? super T> subscriber() {
        return subscribers.getLast();
    }

    void next(T item) {
        outstanding--;
        subscriber().onNext(item);
    }

    void complete() {
        subscriber().onComplete();
    }

    void error(Throwable t) {
        subscriber().onError(t);
    }

    long totalRequested() {
        return requests.stream().mapToLong(Long::longValue).sum();
    }
}
