package dev.asyncio.examples.nanoservices;

import dev.asyncio.Generator;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * A query nanoservice: send a query, get the matching people one at a time (seed 002).
 *
 * <p>The talk queries PostgreSQL; here a list in memory stands in for the table.
 */
public final class PeopleService {
    private PeopleService() {
    }

    /** One row of the people table. */
    record Person(String firstName, String lastName, String birthday) {
        String field(String name) {
            return switch (name) {
                case "first_name" -> firstName;
                case "last_name" -> lastName;
                case "birthday" -> birthday;
                default -> throw new IllegalArgumentException("no field " + name + " in people");
            };
        }
    }

    static final List<Person> PEOPLE = List.of(
            new Person("Ada", "Cohen", "1971-03-02"),
            new Person("Ben", "Cohen-Levi", "2001-07-14"),
            new Person("Dina", "Cohen-Levi", "2004-01-30"),
            new Person("Eli", "Cohen-Levi", "2008-11-09"));

    // snippet:people
    /** Send a query (field name to value), get each matching person; {@code null} means "send a query". */
    static Generator<Person, Map<String, String>, Void> peopleApi() {
        return Generator.of(y -> {
            Map<String, String> query;
            while ((query = y.yield(null)) != null) {
                for (Person p : PEOPLE) {
                    Map<String, String> q = query;
                    if (q.entrySet().stream().allMatch(e -> e.getValue().equals(p.field(e.getKey())))) {
                        y.yield(p);
                    }
                }
            }
            return null;
        });
    }
    // end-snippet

    public static void main(String[] args) {
        run(System.out);
    }

    static void run(PrintStream out) {
        // snippet:use
        Generator<Person, Map<String, String>, Void> g = peopleApi();
        g.next();
        out.println(g.send(Map.of("last_name", "Cohen")));
        out.println(g.next() + " (back at the top)");
        out.println(g.send(Map.of("last_name", "Cohen-Levi")));
        out.println(g.next());
        out.println(g.next());
        out.println(g.next() + " (back at the top)");
        g.close();
        out.println("closed: " + g.state());
        // end-snippet
    }
}
