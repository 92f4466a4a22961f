package dev.asyncio;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Flow;

/**
 * A cold {@link Flow.Publisher} whose items an asynchronous generator body yields, run in a task per
 * subscription; made by {@link Flows#fromGenerator} and {@link Flows#fromCoroutine}.
 *
 * <p>Written by hand rather than on {@link java.util.concurrent.SubmissionPublisher} because the producer is a
 * task: {@code yield} must suspend the task (not block a thread) while there is no demand, and cancellation
 * must reach the body as {@link GeneratorExit} at its {@code yield} so that its {@code finally} blocks run.
 */
final class GeneratorPublisher<T> implements Flow.Publisher<T> {
    private static final Flow.Subscription NOTHING = new Flow.Subscription() {
        @Override
        public void request(long n) {
        }

        @Override
        public void cancel() {
        }
    };

    private final AsyncLoop namedLoop;
    private final AsyncLoop creationLoop;
    private final Context context;
    private final GeneratorBody<? extends T, Void, ?> body;
    private final String name;

    GeneratorPublisher(AsyncLoop namedLoop, Context context, GeneratorBody<? extends T, Void, ?> body, String name) {
        this.body = Objects.requireNonNull(body, "body");
        this.namedLoop = namedLoop;
        this.creationLoop = ThreadState.current().runningLoop;
        this.context = context != null ? context : Context.copyCurrent();
        this.name = name;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super T> subscriber) {
        Objects.requireNonNull(subscriber, "subscribe(null) breaks rule 1.9 of Reactive Streams");
        AsyncLoop loop = namedLoop != null ? namedLoop : ThreadState.current().runningLoop;
        if (loop == null) {
            loop = creationLoop;
        }
        if (loop == null) {
            reject(subscriber, new IllegalStateException("no event loop to run " + name + " on: name one (Flows."
                    + "fromGenerator(loop, ...)), or subscribe or create the publisher on a loop's thread"));
            return;
        }
        Emitter<T> emitter = new Emitter<>(loop, subscriber, name);
        Context taskContext = context.copy();
        if (loop.ioEventLoop().inEventLoop() && !loop.isClosed()) {
            emitter.start(body, taskContext);
            return;
        }
        try {
            loop.executeOnLoopThread(() -> emitter.start(body, taskContext));
        } catch (IllegalStateException closed) {
            reject(subscriber, new IllegalStateException("cannot run " + name + ": its event loop is closed", closed));
        }
    }

    private static void reject(Flow.Subscriber<?> subscriber, Throwable why) {
        subscriber.onSubscribe(NOTHING);
        subscriber.onError(why);
    }

    @Override
    public String toString() {
        return "<Publisher " + name + ">";
    }

    /** One subscription: the subscription the subscriber sees and the yielder the body sees. */
    private static final class Emitter<T> implements Flow.Subscription, Yielder<T, Void> {
        private final AsyncLoop loop;
        private final String name;
        /** Dropped (rule 3.13) once the stream has ended or was cancelled. */
        private volatile Flow.Subscriber<? super T> subscriber;
        /** Set from any thread by {@link #cancel()}; the loop acts on it. */
        private volatile boolean cancelled;

        // Loop-owned.
        private long demand;
        private Task<Void> task;
        private Future<Void> demandWaiter;
        /** GeneratorExit was thrown at a yield: yielding again means the body ignored it. */
        private boolean closing;
        private boolean ended;

        Emitter(AsyncLoop loop, Flow.Subscriber<? super T> subscriber, String name) {
            this.loop = loop;
            this.subscriber = subscriber;
            this.name = name;
        }

        void start(GeneratorBody<? extends T, Void, ?> body, Context context) {
            Flow.Subscriber<? super T> s = subscriber;
            try {
                s.onSubscribe(this);
            } catch (Throwable t) {
                subscriberFailed("onSubscribe", t);
                return;
            }
            if (cancelled) {
                end();
                return; // cancelled in onSubscribe: the body never runs, as for a generator closed before its start
            }
            task = loop.createTask(() -> run(body), name, context);
        }

        // ---------------------------------------------------------------- Flow.Subscription, any thread

        @Override
        public void request(long n) {
            onLoop(() -> onRequest(n));
        }

        @Override
        public void cancel() {
            cancelled = true;
            onLoop(this::onCancel);
        }

        private void onLoop(Runnable r) {
            if (loop.ioEventLoop().inEventLoop()) {
                r.run();
                return;
            }
            try {
                loop.executeOnLoopThread(r);
            } catch (IllegalStateException closed) {
                // The loop will never run the body again; tell the subscriber instead of leaving it waiting.
                Flow.Subscriber<? super T> s = subscriber;
                subscriber = null;
                if (s != null && !cancelled) {
                    s.onError(new IllegalStateException("the event loop of " + name + " was closed before it ended", closed));
                }
            }
        }

        private void onRequest(long n) {
            if (ended || cancelled) {
                return;
            }
            if (n <= 0) {
                cancelled = true;
                fail(new IllegalArgumentException("request(" + n + ") breaks rule 3.9 of Reactive Streams: "
                        + "a request must be positive"));
                onCancel();
                return;
            }
            long d = demand + n;
            demand = d < 0 ? Long.MAX_VALUE : d; // rule 3.17: demand saturates at Long.MAX_VALUE
            wakeProducer();
        }

        private void onCancel() {
            Task<Void> t = task;
            if (t == null || t.done()) {
                end();
            } else if (demandWaiter != null) {
                wakeProducer(); // the yield sees the cancellation and raises GeneratorExit
            } else if (loop.currentTask != t) {
                t.cancel(); // suspended in an await of its own: CancelledError there; finally blocks run
            }
            // else: cancelled from inside onNext, called by the yield, which checks the flag when onNext returns
        }

        private void wakeProducer() {
            Future<Void> w = demandWaiter;
            if (w != null) {
                demandWaiter = null;
                w.setResultInternal(null);
            }
        }

        // ---------------------------------------------------------------- the body's side, in the task

        private Void run(GeneratorBody<? extends T, Void, ?> body) {
            @SuppressWarnings("unchecked")
            GeneratorBody<T, Void, ?> b = (GeneratorBody<T, Void, ?>) body;
            try {
                b.run(this);
                complete();
            } catch (GeneratorExit exit) {
                if (!cancelled) {
                    fail(exit); // raised by the body itself, not by a cancellation
                }
            } catch (CancelledError c) {
                if (!cancelled) {
                    fail(c); // the task was cancelled by someone else (the loop shutting down, a timeout)
                }
                end();
                throw c;
            } catch (Throwable t) {
                if (cancelled) {
                    reportAfterCancel(t);
                } else {
                    fail(t);
                }
            }
            end();
            return null;
        }

        @Override
        public Void yield(T value) {
            if (task == null || loop.currentTask != task) {
                throw new IllegalStateException("yield() of " + name + " called outside its body");
            }
            Objects.requireNonNull(value, "a Flow.Publisher cannot emit null (rule 2.13 of Reactive Streams)");
            if (closing) {
                throw new IllegalStateException("generator ignored GeneratorExit: " + name
                        + " yielded again after its subscription was cancelled");
            }
            while (demand == 0 && !cancelled) {
                Future<Void> w = new Future<>(loop);
                demandWaiter = w;
                try {
                    w.await();
                } finally {
                    demandWaiter = null;
                }
            }
            if (cancelled) {
                throw closeAtYield();
            }
            if (demand != Long.MAX_VALUE) {
                demand--;
            }
            try {
                subscriber.onNext(value);
            } catch (Throwable t) {
                cancelled = true;
                subscriberFailed("onNext", t);
            }
            if (cancelled) {
                throw closeAtYield();
            }
            return null;
        }

        private GeneratorExit closeAtYield() {
            closing = true;
            return new GeneratorExit("the subscription to " + name + " was cancelled");
        }

        @Override
        public <R> R yieldFrom(Generator<? extends T, Void, R> sub) {
            if (sub == null) {
                throw new IllegalArgumentException("yieldFrom() needs a generator, got null");
            }
            try {
                while (true) {
                    T item;
                    try {
                        item = sub.next();
                    } catch (StopIteration end) {
                        @SuppressWarnings("unchecked")
                        R r = (R) end.value();
                        return r;
                    }
                    this.yield(item);
                }
            } catch (GeneratorExit exit) {
                sub.close();
                throw exit;
            }
        }

        // ---------------------------------------------------------------- signals, loop thread

        private void complete() {
            Flow.Subscriber<? super T> s = subscriber;
            if (s == null || ended || cancelled) {
                return;
            }
            ended = true;
            subscriber = null;
            try {
                s.onComplete();
            } catch (Throwable t) {
                subscriberFailed("onComplete", t);
            }
        }

        private void fail(Throwable error) {
            Flow.Subscriber<? super T> s = subscriber;
            if (s == null || ended) {
                return;
            }
            ended = true;
            subscriber = null;
            try {
                s.onError(error);
            } catch (Throwable t) {
                subscriberFailed("onError", t);
            }
        }

        private void end() {
            ended = true;
            subscriber = null;
        }

        /** Rule 2.13: a subscriber that throws is treated as if it had cancelled; the error is reported. */
        private void subscriberFailed(String method, Throwable t) {
            cancelled = true;
            report("The subscriber of " + name + " threw from " + method + ", which breaks rule 2.13 of Reactive "
                    + "Streams; its subscription was cancelled", t);
        }

        private void reportAfterCancel(Throwable t) {
            report("The body of " + name + " failed after its subscription was cancelled; nobody is subscribed to "
                    + "receive the error", t);
        }

        private void report(String message, Throwable t) {
            Map<String, Object> context = new LinkedHashMap<>();
            context.put("message", message);
            context.put("exception", t);
            loop.callExceptionHandler(context);
        }
    }
}
