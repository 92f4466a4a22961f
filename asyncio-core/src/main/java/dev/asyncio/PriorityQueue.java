package dev.asyncio;

import java.util.Comparator;

/**
 * A {@link Queue} that hands out the smallest item first; mirrors {@code asyncio.PriorityQueue}.
 *
 * <pre>{@code
 * PriorityQueue<Job> jobs = new PriorityQueue<>(0, Comparator.comparingInt(Job::priority));
 * jobs.put(new Job(5, "later"));
 * jobs.put(new Job(1, "urgent"));
 * jobs.get();                            // urgent
 * }</pre>
 *
 * <p>Items are ordered by their natural ordering or by the comparator given. As with Python's
 * {@code heapq}, items that compare equal come out in no particular order: put a sequence number in the
 * key when the order of equal items matters. {@code null} items are rejected.
 *
 * @param <T> the item type
 */
public final class PriorityQueue<T> extends Queue<T> {
    private final java.util.PriorityQueue<T> heap;
    private final boolean natural;

    /** An unbounded queue of {@link Comparable} items, smallest first. */
    public PriorityQueue() {
        this(0);
    }

    /** A queue of at most {@code maxsize} (0 = unbounded) {@link Comparable} items, smallest first. */
    public PriorityQueue(int maxsize) {
        this(maxsize, null);
    }

    /**
     * A queue of at most {@code maxsize} (0 = unbounded) items, smallest first according to
     * {@code comparator} ({@code null}: the items' natural ordering).
     */
    public PriorityQueue(int maxsize, Comparator<? super T> comparator) {
        super(maxsize, false, false);
        this.heap = new java.util.PriorityQueue<>(comparator);
        this.natural = comparator == null;
    }

    @Override
    void checkItem(T item) {
        if (item == null) {
            throw new IllegalArgumentException("PriorityQueue does not accept null items");
        }
        if (natural && !(item instanceof Comparable<?>)) {
            throw new IllegalArgumentException("PriorityQueue without a comparator needs Comparable items, got "
                    + item.getClass().getName());
        }
    }

    @Override
    T take() {
        return heap.poll();
    }

    @Override
    void store(T item) {
        heap.add(item);
    }

    @Override
    int size() {
        return heap.size();
    }

    @Override
    Iterable<?> contents() {
        return heap;
    }
}
