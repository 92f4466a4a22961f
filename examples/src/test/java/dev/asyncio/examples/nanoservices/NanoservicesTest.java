package dev.asyncio.examples.nanoservices;

import dev.asyncio.Generator;
import dev.asyncio.StopIteration;
import dev.asyncio.examples.Captured;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The nanoservices talk's programs, each with the output the talk shows. */
class NanoservicesTest {
    @Test
    void nextVsSend() {
        assertEquals(List.of(
                "the generator is its own iterator: true",
                "next(g) -> 1",
                "next(g) -> 2",
                "next(g) -> 3",
                "next(g) -> StopIteration",
                "next(c) -> null (priming: run to the first yield)",
                "c.send(10) -> 50",
                "c.send(23) -> 115",
                "next(w) -> null",
                "w.send(7) -> 35",
                "w.send(null) -> StopIteration: the loop ended and the body returned"),
                Captured.lines(NextVsSend::run));
    }

    @Test
    void readNLinesGivesChunksOfThreeAndTheVowels() {
        assertEquals(List.of(
                "--- chunk 1 ---",
                "A generator is a function that can pause.",
                "It hands a value to whoever asked for it,",
                "then waits, with all its local variables,",
                "--- chunk 2 ---",
                "until someone asks again.",
                "Nobody has to ask for everything at once:",
                "the consumer decides when it has had enough.",
                "--- chunk 3 ---",
                "A coroutine goes one step further",
                "and listens for what is sent to it.",
                "--- 99 vowels, the first 20: AeeaoiauioaaaueIaaau"),
                Captured.lines(out -> ReadNLines.run(ReadNLines::bundledText, 3, out)));
    }

    @Test
    void readNLinesOnAnEmptyTextYieldsNothingAndTheLastChunkMayBeShort() {
        List<String> chunks = new ArrayList<>();
        ReadNLines.readN(new java.io.BufferedReader(new StringReader("")), 2).forEachRemaining(chunks::add);
        assertEquals(List.of(), chunks);
        ReadNLines.readN(new java.io.BufferedReader(new StringReader("a\nb\nc\n")), 2).forEachRemaining(chunks::add);
        assertEquals(List.of("a\nb\n", "c\n"), chunks);
    }

    @Test
    void md5ServiceAnswersEachStringAndEndsOnNull() {
        assertEquals(List.of(
                "hello   -> 5d41402abc4b2a76b9719d911017c592",
                "goodbye -> 69faab6268350295550de7d587bc323d",
                "null    -> StopIteration: the service has ended"),
                Captured.lines(Md5Service::run));
    }

    @Test
    void md5ServiceEndsOnAnEmptyStringToo() {
        Generator<String, String, Void> g = Md5Service.md5Service();
        assertNull(g.next());
        assertThrows(StopIteration.class, () -> g.send(""));
    }

    @Test
    void weatherServiceIsSentCitiesAndResetByDifferentCityException() {
        assertEquals(List.of(
                "forecasts(\"44\"), one per next():",
                "  city 44, Sat: sunny, 14-23 C",
                "  city 44, Sun: cloudy, 13-21 C",
                "the service:",
                "next()          -> null (primed: it waits for a city)",
                "send(\"44\")      -> city 44, Sat: sunny, 14-23 C",
                "send(\"44\")      -> city 44, Sun: cloudy, 13-21 C",
                "next()          -> city 44, Mon: rain, 11-17 C",
                "next()          -> null (out of forecasts: back at the top)",
                "send(\"206\")     -> city 206, Sat: thunderstorms, 24-31 C",
                "throwInto(...)  -> null (back at the top)",
                "send(\"44\")      -> city 44, Sat: sunny, 14-23 C"),
                Captured.lines(WeatherService::run));
    }

    @Test
    void weatherServiceEndsWhenSentNullForACityAndAnUnknownCityEndsItWithTheError() {
        Generator<String, String, Void> g = WeatherService.forecastService();
        g.next();
        assertThrows(StopIteration.class, () -> g.send(null));
        Generator<String, String, Void> h = WeatherService.forecastService();
        h.next();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> h.send("999"));
        assertTrue(e.getMessage().contains("999"), e.getMessage());
        assertEquals(Generator.State.CLOSED, h.state());
    }

    @Test
    void peopleServiceAnswersQueriesOneRecordAtATime() {
        assertEquals(List.of(
                "Person[firstName=Ada, lastName=Cohen, birthday=1971-03-02]",
                "null (back at the top)",
                "Person[firstName=Ben, lastName=Cohen-Levi, birthday=2001-07-14]",
                "Person[firstName=Dina, lastName=Cohen-Levi, birthday=2004-01-30]",
                "Person[firstName=Eli, lastName=Cohen-Levi, birthday=2008-11-09]",
                "null (back at the top)",
                "closed: CLOSED"),
                Captured.lines(PeopleService::run));
    }

    @Test
    void peopleServiceMatchesEveryFieldOfTheQuery() {
        Generator<PeopleService.Person, Map<String, String>, Void> g = PeopleService.peopleApi();
        g.next();
        assertEquals("Dina", g.send(Map.of("last_name", "Cohen-Levi", "birthday", "2004-01-30")).firstName());
        assertNull(g.next());
    }

    @Test
    void combinedServiceThreeWays() {
        String menu = "Send 1 for weather, 2 for MD5, or null to exit";
        assertEquals(List.of(
                "== one big coroutine ==",
                "  next()                                     -> " + menu,
                "  send(\"1\")                                  -> Send a city number or null",
                "  send(\"44\")                                 -> city 44, Sat: sunny, 14-23 C",
                "  throwInto(new DifferentCityException())    -> Send a city number or null",
                "  send(null)                                 -> " + menu,
                "  send(\"2\")                                  -> Send a string or null",
                "  send(\"hello\")                              -> 5d41402abc4b2a76b9719d911017c592",
                "  send(null)                                 -> " + menu,
                "  send(null)                                 -> StopIteration: the service has ended",
                "== split, without yieldFrom ==",
                "  next()                                     -> " + menu,
                "  send(\"1\")                                  -> " + menu,
                "  send(\"44\")                                 -> " + menu,
                "  throwInto(new DifferentCityException())    -> DifferentCityException escaped; the service is CLOSED",
                "== split, with yieldFrom ==",
                "  next()                                     -> " + menu,
                "  send(\"1\")                                  -> null",
                "  send(\"44\")                                 -> city 44, Sat: sunny, 14-23 C",
                "  throwInto(new DifferentCityException())    -> null",
                "  send(null)                                 -> " + menu,
                "  send(\"2\")                                  -> null",
                "  send(\"hello\")                              -> 5d41402abc4b2a76b9719d911017c592",
                "  send(null)                                 -> " + menu,
                "  send(null)                                 -> StopIteration: the service has ended"),
                Captured.lines(CombinedService::run));
    }

    @Test
    void closingTheCombinedServiceClosesTheSubServiceItDelegatesTo() {
        List<String> trace = new ArrayList<>();
        Generator<String, String, Void> sub = Generator.of(y -> {
            try {
                y.yield("sub ready");
                return null;
            } finally {
                trace.add("sub closed");
            }
        });
        Generator<String, String, Void> combined = Generator.of(y -> {
            try {
                y.yieldFrom(sub);
                return null;
            } finally {
                trace.add("combined closed");
            }
        });
        assertEquals("sub ready", combined.next());
        combined.close();
        assertEquals(List.of("sub closed", "combined closed"), trace);
    }
}
