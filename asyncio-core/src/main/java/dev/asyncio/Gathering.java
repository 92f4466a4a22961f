package dev.asyncio;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The future behind {@link Asyncio#gather}: done when every child is done (or, without
 * {@code returnExceptions}, when the first child fails); mirrors asyncio's {@code _GatheringFuture}.
 *
 * <p>Cancellation goes both ways. Cancelling this future (which is what cancelling the task that awaits
 * {@code gather} does) cancels every child that is not done; the gather then ends with a
 * {@link CancelledError} even with {@code returnExceptions}. A child cancelled on its own makes the gather
 * fail with a {@link CancelledError} unless {@code returnExceptions} is set, in which case the error is in
 * the result list. A failing child does not cancel its siblings; their later exceptions count as retrieved.
 */
final class Gathering extends Future<List<Object>> {
    private final List<Future<?>> children;
    private final boolean returnExceptions;
    private final int distinct;
    private int finished;
    private boolean cancelRequested;

    private Gathering(AsyncLoop loop, List<Future<?>> children, int distinct, boolean returnExceptions) {
        super(loop);
        this.children = children;
        this.distinct = distinct;
        this.returnExceptions = returnExceptions;
    }

    /** Starts gathering {@code aws}: awaitables that are not futures are wrapped in tasks. */
    static Gathering start(AsyncLoop loop, List<? extends Awaitable<?>> aws, boolean returnExceptions) {
        for (Awaitable<?> aw : aws) {
            // Validate everything before starting anything: a bad argument must not leave tasks behind.
            if (aw == null) {
                throw new IllegalArgumentException("gather() got a null awaitable");
            }
            if (aw instanceof Future<?> f && f.loop != loop) {
                throw new IllegalArgumentException(f + " belongs to a different loop than the caller's");
            }
        }
        Map<Awaitable<?>, Future<?>> seen = new IdentityHashMap<>();
        List<Future<?>> children = new ArrayList<>(aws.size());
        for (Awaitable<?> aw : aws) {
            Future<?> f = seen.get(aw);
            if (f == null) {
                f = toFuture(loop, aw);
                seen.put(aw, f);
            }
            children.add(f);
        }
        Gathering outer = new Gathering(loop, children, seen.size(), returnExceptions);
        List<Future<?>> alreadyDone = new ArrayList<>();
        for (Future<?> f : seen.values()) {
            if (f.done()) {
                alreadyDone.add(f);
            } else {
                outer.watch(f);
            }
        }
        for (Future<?> f : alreadyDone) {
            outer.childDone(f);
        }
        return outer;
    }

    static Future<?> toFuture(AsyncLoop loop, Awaitable<?> aw) {
        if (aw instanceof Future<?> f) {
            if (f.loop != loop) {
                throw new IllegalArgumentException(f + " belongs to a different loop than the caller's");
            }
            return f;
        }
        return loop.createTask(aw::await);
    }

    private <X> void watch(Future<X> f) {
        f.addInternalCallback(new ChildWatch<X>());
    }

    /** The callback on each child: also tells {@link TaskDump} that this gather awaits the child. */
    private final class ChildWatch<X> implements Consumer<Future<X>>, AwaitLink {
        @Override
        public void accept(Future<X> child) {
            childDone(child);
        }

        @Override
        public Future<?> awaiter() {
            return Gathering.this;
        }

        @Override
        public String via() {
            return "gather";
        }
    }

    /** The children, in the order given (duplicates repeated); for {@link TaskDump}. */
    List<Future<?>> children() {
        return children;
    }

    private void childDone(Future<?> fut) {
        finished++;
        if (done()) {
            if (!fut.cancelled()) {
                fut.exception(); // a later failure counts as retrieved: the gather already reported one
            }
            return;
        }
        if (!returnExceptions) {
            if (fut.cancelled()) {
                setExceptionInternal(fut.cancelledError());
                return;
            }
            Throwable exc = fut.exception();
            if (exc != null) {
                setExceptionInternal(exc);
                return;
            }
        }
        if (finished == distinct) {
            List<Object> results = new ArrayList<>(children.size());
            for (Future<?> child : children) {
                if (child.cancelled()) {
                    String msg = child.cancelMessage();
                    results.add(new CancelledError(msg == null ? "" : msg));
                } else {
                    Throwable e = child.exception();
                    results.add(e != null ? e : child.result());
                }
            }
            if (cancelRequested) {
                setExceptionInternal(fut.cancelledError());
            } else {
                setResultInternal(results);
            }
        }
    }

    /** Cancels every child not done yet; the gather ends once they have all finished. */
    @Override
    public boolean cancel(String msg) {
        loop.checkThread();
        if (done()) {
            return false;
        }
        boolean any = false;
        for (Future<?> child : children) {
            if (child.cancel(msg)) {
                any = true;
            }
        }
        if (any) {
            // Propagate the cancellation even with returnExceptions (asyncio issue 32684).
            cancelRequested = true;
        }
        return any;
    }
}
