package dev.asyncio.examples.nanoservices;

/**
 * Thrown into the weather service with {@code throwInto} to make it drop the current city's forecasts
 * and ask for another city; a custom exception, as the nanoservices talk advises, so that nothing else
 * is caught by mistake.
 */
public final class DifferentCityException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DifferentCityException() {
        super("different city, please");
    }
}
