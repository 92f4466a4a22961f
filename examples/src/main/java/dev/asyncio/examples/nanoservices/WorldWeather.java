package dev.asyncio.examples.nanoservices;

import java.util.List;
import java.util.Map;

/**
 * A canned stand-in for the World Meteorological Organization's city forecast service that the
 * nanoservices talk calls over HTTP: a few days of forecasts for two cities, so that the examples run
 * offline and their output is always the same.
 */
final class WorldWeather {
    private static final Map<String, List<String>> FORECASTS = Map.of(
            "44", List.of("city 44, Sat: sunny, 14-23 C", "city 44, Sun: cloudy, 13-21 C", "city 44, Mon: rain, 11-17 C"),
            "206", List.of("city 206, Sat: thunderstorms, 24-31 C", "city 206, Sun: sunny, 25-33 C"));

    private WorldWeather() {
    }

    /** One forecast per day for {@code cityId}, as the service would return them in one response. */
    static List<String> forecasts(String cityId) {
        List<String> forecasts = FORECASTS.get(cityId);
        if (forecasts == null) {
            throw new IllegalArgumentException("no forecasts for city " + cityId + "; the canned cities are " + FORECASTS.keySet());
        }
        return forecasts;
    }
}
