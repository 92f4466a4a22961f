package dev.asyncio;

/**
 * The body of a {@link Generator}: yields values through {@code y}, receives what callers send, and
 * returns the generator's return value.
 *
 * @param <Y> the type of yielded values
 * @param <S> the type of values sent in
 * @param <R> the return type
 */
@FunctionalInterface
public interface GeneratorBody<Y, S, R> {
    R run(Yielder<Y, S> y) throws Exception;
}
