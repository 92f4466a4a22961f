package dev.asyncio;

/**
 * Thrown at a generator's suspended {@code yield} by {@link Generator#close()}; mirrors Python's
 * {@code GeneratorExit}. It extends {@link Error} so that {@code catch (Exception e)} in a generator body
 * does not swallow it. A body may run {@code finally} blocks but must not yield again.
 */
public class GeneratorExit extends Error {
    private static final long serialVersionUID = 1L;

    public GeneratorExit() {
        super();
    }

    public GeneratorExit(String message) {
        super(message);
    }
}
