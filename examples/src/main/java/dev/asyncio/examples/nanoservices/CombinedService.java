package dev.asyncio.examples.nanoservices;

import dev.asyncio.Generator;
import dev.asyncio.StopIteration;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.function.Function;

/**
 * A weather and MD5 nanoservice: one big coroutine, a naive split, then {@code yieldFrom} (seed 002).
 *
 * <p>The naive split calls the sub-generators' methods, which only creates generators: nothing runs.
 * {@code yieldFrom} makes a tunnel for next, send, throwInto and close.
 */
public final class CombinedService {
    static final String MENU = "Send 1 for weather, 2 for MD5, or null to exit";

    private CombinedService() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    // snippet:mega
    /** Everything in one coroutine: it works, unfortunately. */
    static Generator<String, String, Void> megaService() {
        return Generator.of(y -> {
            String s;
            while ((s = y.yield(MENU)) != null) {
                if (s.equals("1")) {
                    String cityId;
                    while ((cityId = y.yield("Send a city number or null")) != null) {
                        try {
                            for (String oneForecast : WorldWeather.forecasts(cityId)) {
                                y.yield(oneForecast);
                            }
                        } catch (DifferentCityException e) {
                            continue;
                        }
                    }
                } else if (s.equals("2")) {
                    String text;
                    String output = "Send a string or null";
                    while ((text = y.yield(output)) != null && !text.isEmpty()) {
                        MessageDigest m = MessageDigest.getInstance("MD5");
                        m.update(text.getBytes(StandardCharsets.UTF_8));
                        output = HexFormat.of().formatHex(m.digest());
                    }
                }
            }
            return null;
        });
    }
    // end-snippet

    // snippet:naive
    /** Split into the two services, but calling a generator method only creates a generator. */
    static Generator<String, String, Void> naiveService() {
        return Generator.of(y -> {
            String s;
            while ((s = y.yield(MENU)) != null) {
                if (s.equals("1")) {
                    WeatherService.forecastService();   // a new generator, dropped: nothing runs
                } else if (s.equals("2")) {
                    Md5Service.md5Service();
                }
            }
            return null;
        });
    }
    // end-snippet

    // snippet:yield-from
    /** Split into the two services, each reached through a tunnel for next, send, throwInto and close. */
    static Generator<String, String, Void> combinedService() {
        return Generator.of(y -> {
            String s;
            while ((s = y.yield(MENU)) != null) {
                if (s.equals("1")) {
                    y.yieldFrom(WeatherService.forecastService());
                } else if (s.equals("2")) {
                    y.yieldFrom(Md5Service.md5Service());
                }
            }
            return null;
        });
    }
    // end-snippet

    static void run(PrintStream out) {
        out.println("== one big coroutine ==");
        session(megaService(), out);
        out.println("== split, without yieldFrom ==");
        session(naiveService(), out);
        out.println("== split, with yieldFrom ==");
        session(combinedService(), out);
    }

    /** The same conversation with each service; stops at the first exception that escapes. */
    static void session(Generator<String, String, Void> g, PrintStream out) {
        step(out, "next()", g, x -> x.next());
        step(out, "send(\"1\")", g, x -> x.send("1"));
        step(out, "send(\"44\")", g, x -> x.send("44"));
        step(out, "throwInto(new DifferentCityException())", g, x -> x.throwInto(new DifferentCityException()));
        if (g.state() == Generator.State.CLOSED) {
            return;
        }
        step(out, "send(null)", g, x -> x.send(null));
        step(out, "send(\"2\")", g, x -> x.send("2"));
        step(out, "send(\"hello\")", g, x -> x.send("hello"));
        step(out, "send(null)", g, x -> x.send(null));
        step(out, "send(null)", g, x -> x.send(null));
    }

    private static void step(PrintStream out, String what, Generator<String, String, Void> g,
                             Function<Generator<String, String, Void>, String> action) {
        String line = String.format("  %-42s -> ", what);
        try {
            out.println(line + action.apply(g));
        } catch (StopIteration end) {
            out.println(line + "StopIteration: the service has ended");
        } catch (RuntimeException e) {
            out.println(line + e.getClass().getSimpleName() + " escaped; the service is " + g.state());
        }
    }
}
