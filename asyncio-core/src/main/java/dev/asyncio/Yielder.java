package dev.asyncio;

/**
 * What a {@link Generator} body yields through: Python's {@code yield} and {@code yield from}.
 *
 * @param <Y> the type of yielded values
 * @param <S> the type of values sent in
 */
public interface Yielder<Y, S> {
    /**
     * Hands {@code value} to whoever called {@code next}, {@code send} or {@code throwInto}, and suspends the
     * generator until the next such call. Mirrors the {@code yield} expression. When the generator is resumed
     * by {@link Generator#throwInto}, this call throws whatever was passed to it, unchanged (a checked
     * exception too, although this method declares none).
     *
     * @param value the value handed out
     * @return the value sent with {@link Generator#send}, or {@code null} after {@link Generator#next}
     * @throws GeneratorExit if the generator is being closed; let it propagate (or return)
     */
    S yield(Y value);

    /**
     * Delegates to {@code sub} until it finishes and returns its return value; mirrors {@code yield from}.
     * Every value {@code sub} yields is yielded by this generator, and every {@code next}, {@code send},
     * {@code throwInto} and {@code close} this generator receives meanwhile is forwarded to {@code sub}
     * ({@code send(null)} as {@code next()}; {@code close()} and a thrown {@link GeneratorExit} close
     * {@code sub}, then raise the {@code GeneratorExit} here). An exception {@code sub} raises is thrown
     * here unchanged. As in Python, a {@code sub} that had already finished gives {@code null} at once.
     *
     * @throws IllegalStateException if called outside this generator's body, if {@code sub} is this
     *                               generator, or if {@code sub} is running (it delegates back to us)
     */
    <R> R yieldFrom(Generator<? extends Y, S, R> sub);
}
