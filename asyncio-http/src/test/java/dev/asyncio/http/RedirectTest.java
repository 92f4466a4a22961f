package dev.asyncio.http;

import dev.asyncio.test.AsyncTest;

import java.net.URI;
import java.util.List;

import static dev.asyncio.http.TestServer.serving;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Redirects: which method and body go on, the limit, credentials kept to their origin. */
class RedirectTest {
    /** Redirects /r/CODE/... to the rest of the path with status CODE; answers anything else with what it got. */
    private static final TestServer.Handler REDIRECTOR = (req, reply) -> {
        if (req.uri().startsWith("/r/")) {
            String[] parts = req.uri().split("/", 4);
            reply.status(Integer.parseInt(parts[2])).header("Location", "/" + parts[3]).send("moved");
        } else {
            reply.send(req.method() + " " + req.uri() + " body=" + req.text() + " type=" + req.headers().get("Content-Type")
                    + " auth=" + req.headers().get("Authorization"));
        }
    };

    @AsyncTest
    void redirectsAreFollowedAndRecorded() throws Exception {
        serving(REDIRECTOR, server -> {
            try (HttpClient client = HttpClient.create();
                 HttpResponse r = client.get(server.url("/r/301/r/302/r/307/r/308/end?x=1"))) {
                assertEquals("GET /end?x=1 body= type=null auth=null", r.text());
                assertEquals(URI.create(server.url("/end?x=1")), r.url());
                assertEquals(List.of(URI.create(server.url("/r/301/r/302/r/307/r/308/end?x=1")),
                        URI.create(server.url("/r/302/r/307/r/308/end?x=1")), URI.create(server.url("/r/307/r/308/end?x=1")),
                        URI.create(server.url("/r/308/end?x=1"))), r.history());
                assertEquals(1, server.accepted(), "the small redirect bodies were read, so the connection was kept");
            }
        });
    }

    @AsyncTest
    void aPostRedirectedWith303Or302BecomesAGetWithoutBodyAnd307KeepsIt() throws Exception {
        serving(REDIRECTOR, server -> {
            try (HttpClient client = HttpClient.create()) {
                for (String code : List.of("301", "302", "303")) {
                    assertEquals("GET /end body= type=null auth=null",
                            client.post(server.url("/r/" + code + "/end"), "data".getBytes(), "text/plain").text(), code);
                }
                for (String code : List.of("307", "308")) {
                    assertEquals("POST /end body=data type=text/plain auth=null",
                            client.post(server.url("/r/" + code + "/end"), "data".getBytes(), "text/plain").text(), code);
                }
                assertEquals("HEAD", client.request("HEAD", server.url("/r/303/end")).request().method());
            }
        });
    }

    @AsyncTest
    void credentialsGoOnWithinTheOriginButNotToAnotherOne() throws Exception {
        serving(REDIRECTOR, other -> serving(REDIRECTOR, server -> {
            try (HttpClient client = HttpClient.create()) {
                HttpRequest same = HttpRequest.builder(server.url("/r/302/end"))
                        .header("Authorization", "Bearer t").header("Cookie", "session=1").build();
                assertEquals("GET /end body= type=null auth=Bearer t", client.request(same).text());
                assertEquals("session=1", server.log().getLast().headers().get("Cookie"));
                // Another port on the same host is another origin.
                serving((req, reply) -> reply.status(302).header("Location", other.url("/end")).send(""), hop -> {
                    HttpRequest leaving = HttpRequest.builder(hop.url("/")).header("Authorization", "Bearer t")
                            .header("Cookie", "session=1").build();
                    assertEquals("GET /end body= type=null auth=null", client.request(leaving).text());
                    assertNull(other.log().getLast().headers().get("Cookie"));
                    assertEquals("127.0.0.1:" + other.port(), other.log().getLast().headers().get("Host"));
                });
            }
        }));
    }

    @AsyncTest
    void moreRedirectsThanTheLimitIsATooManyRedirectsError() throws Exception {
        serving((req, reply) -> {
            int n = Integer.parseInt(req.uri().substring(1));
            reply.status(302).header("Location", "/" + (n + 1)).send("");
        }, server -> {
            try (HttpClient client = HttpClient.create()) {
                TooManyRedirectsError e = assertThrows(TooManyRedirectsError.class, () -> client.get(server.url("/0")));
                assertEquals(12, e.history().size(), "the request, ten redirects followed, and the eleventh refused");
                assertEquals(URI.create(server.url("/11")), e.history().getLast());
                assertTrue(e.getMessage().endsWith("more than 10 redirects (the last to " + server.url("/11") + ")"),
                        e.getMessage());
                assertEquals(11, server.log().size());
                assertEquals(1, client.openConnections());
            }
            try (HttpClient client = HttpClient.builder().maxRedirects(2).build()) {
                assertEquals(4, assertThrows(TooManyRedirectsError.class, () -> client.get(server.url("/0"))).history().size());
            }
        });
    }

    @AsyncTest
    void redirectsCanBeTurnedOffForTheClientOrOneRequest() throws Exception {
        serving(REDIRECTOR, server -> {
            try (HttpClient client = HttpClient.builder().followRedirects(false).build()) {
                HttpResponse r = client.get(server.url("/r/302/end"));
                assertEquals(302, r.status());
                assertEquals("/end", r.headers().get("Location"));
                assertEquals("moved", r.text());
                HttpRequest follow = HttpRequest.builder(server.url("/r/302/end")).followRedirects(true).build();
                assertEquals(200, client.request(follow).status());
            }
        });
    }

    @AsyncTest
    void aQueryOnlyLocationKeepsThePathAsRfc3986Says() throws Exception {
        serving((req, reply) -> {
            switch (req.uri()) {
                case "/list/items?page=1" -> reply.status(302).header("Location", "?page=2").send("moved");
                case "/list/items?page=2" -> reply.status(301).header("Location", "../all/./x/..").send("moved");
                default -> reply.send(req.uri());
            }
        }, server -> {
            try (HttpClient client = HttpClient.create()) {
                // java.net.URI.resolve (RFC 2396) would go to /list/?page=2, and keep the dots of the second.
                assertEquals("/all/", client.get(server.url("/list/items?page=1")).text());
                assertEquals(List.of("/list/items?page=1", "/list/items?page=2", "/all/"),
                        server.log().stream().map(TestServer.Request::uri).toList());
            }
        });
    }

    @AsyncTest
    void anEmptyLocationIsNoRedirect() throws Exception {
        serving((req, reply) -> {
            if (req.uri().equals("/a/b")) {
                reply.status(302).header("Location", "").send("moved");
            } else {
                reply.send(req.uri());
            }
        }, server -> {
            try (HttpClient client = HttpClient.create(); HttpResponse r = client.get(server.url("/a/b"))) {
                // aiohttp hands back the 302 itself; java.net.URI.resolve would have gone to /a/.
                assertEquals(302, r.status());
                assertEquals("moved", r.text());
                assertEquals(List.of(), r.history());
                assertEquals(1, server.log().size());
            }
        });
    }

    @AsyncTest
    void aLocationWithSpacesOrLettersBeyondAsciiIsPercentEncodedAsBrowsersDo() throws Exception {
        serving((req, reply) -> {
            if (req.uri().equals("/start")) {
                reply.status(302).header("Location", "/new page/caf\u00e9?q=a b").send("moved");
            } else {
                reply.send(req.uri());
            }
        }, server -> {
            try (HttpClient client = HttpClient.create(); HttpResponse r = client.get(server.url("/start"))) {
                assertEquals("/new%20page/caf%C3%A9?q=a%20b", r.text());
                assertEquals(URI.create(server.url("/new%20page/caf%C3%A9?q=a%20b")), r.url());
            }
        });
    }

    @AsyncTest
    void a301Or302KeepsTheMethodOfAnythingButAPostAnd303MakesItAGet() throws Exception {
        serving(REDIRECTOR, server -> {
            try (HttpClient client = HttpClient.create()) {
                for (String code : List.of("301", "302")) {
                    assertEquals("DELETE /end body= type=null auth=null",
                            client.request("DELETE", server.url("/r/" + code + "/end")).text(), code);
                    assertEquals("PUT /end body=x type=text/plain; charset=utf-8 auth=null", client.request(
                            HttpRequest.builder(server.url("/r/" + code + "/end")).method("PUT").body("x").build()).text(), code);
                }
                assertEquals("GET /end body= type=null auth=null", client.request(
                        HttpRequest.builder(server.url("/r/303/end")).method("PUT").body("x").build()).text());
                assertEquals("GET /end body= type=null auth=null", client.request("DELETE", server.url("/r/303/end")).text());
            }
        });
    }

    @AsyncTest
    void aRedirectToAnotherSchemeIsAnInvalidUrlError() throws Exception {
        serving((req, reply) -> reply.status(302).header("Location", "ftp://files.example/x").send(""), server -> {
            try (HttpClient client = HttpClient.create()) {
                InvalidUrlError e = assertThrows(InvalidUrlError.class, () -> client.get(server.url("/")));
                assertTrue(e.getMessage().contains("cannot follow the redirect from " + server.url("/")), e.getMessage());
                assertEquals(1, client.idleConnections(), "the redirect's connection was still fine");
            }
        });
    }
}
