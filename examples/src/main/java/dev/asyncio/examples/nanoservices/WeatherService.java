package dev.asyncio.examples.nanoservices;

import dev.asyncio.Generator;

import java.io.PrintStream;

/**
 * A weather-forecast nanoservice, sent a city and reset by a custom exception thrown in (seed 002).
 *
 * <p>First the forecasts of one city as a plain generator, then the service.
 */
public final class WeatherService {
    private WeatherService() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    // snippet:forecasts
    /** The forecasts of one city, fetched once, handed out one per day. */
    static Generator<String, Void, Void> forecasts(String cityId) {
        return Generator.of(y -> {
            for (String oneForecast : WorldWeather.forecasts(cityId)) {
                y.yield(oneForecast);
            }
            return null;
        });
    }
    // end-snippet

    // snippet:service
    /**
     * Send a city id, get its forecasts one by one; {@code null} means "send me a city". Throw a
     * {@link DifferentCityException} in to skip to another city; send {@code null} for a city to end it.
     */
    static Generator<String, String, Void> forecastService() {
        return Generator.of(y -> {
            String cityId;
            while ((cityId = y.yield(null)) != null) {
                try {
                    for (String oneForecast : WorldWeather.forecasts(cityId)) {
                        y.yield(oneForecast);
                    }
                } catch (DifferentCityException e) {
                    continue;                   // back to the top: ask for a city
                }
            }
            return null;
        });
    }
    // end-snippet

    static void run(PrintStream out) {
        out.println("forecasts(\"44\"), one per next():");
        // snippet:use-forecasts
        Generator<String, Void, Void> days = forecasts("44");
        out.println("  " + days.next());
        out.println("  " + days.next());
        // end-snippet

        out.println("the service:");
        // snippet:use-service
        Generator<String, String, Void> g = forecastService();
        out.println("next()          -> " + g.next() + " (primed: it waits for a city)");
        out.println("send(\"44\")      -> " + g.send("44"));
        out.println("send(\"44\")      -> " + g.send("44"));   // what is sent meanwhile is ignored
        out.println("next()          -> " + g.next());
        out.println("next()          -> " + g.next() + " (out of forecasts: back at the top)");
        out.println("send(\"206\")     -> " + g.send("206"));
        out.println("throwInto(...)  -> " + g.throwInto(new DifferentCityException()) + " (back at the top)");
        out.println("send(\"44\")      -> " + g.send("44"));
        // end-snippet
    }
}
