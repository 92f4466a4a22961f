package dev.asyncio.http;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Resolving references as RFC 3986 says, and the encoding of what servers and users leave unencoded. */
class UrlsTest {
    private static String resolve(String base, String reference) throws Exception {
        return Urls.resolve(new URI(base), new URI(reference)).toString();
    }

    @Test
    void theExamplesOfRfc3986Section5Resolve() throws Exception {
        String base = "http://a/b/c/d;p?q";
        String[][] examples = {
                // 5.4.1 normal examples
                {"g:h", "g:h"}, {"g", "http://a/b/c/g"}, {"./g", "http://a/b/c/g"}, {"g/", "http://a/b/c/g/"},
                {"/g", "http://a/g"}, {"//g", "http://g"}, {"?y", "http://a/b/c/d;p?y"}, {"g?y", "http://a/b/c/g?y"},
                {"#s", "http://a/b/c/d;p?q#s"}, {"g#s", "http://a/b/c/g#s"}, {"g?y#s", "http://a/b/c/g?y#s"},
                {";x", "http://a/b/c/;x"}, {"g;x", "http://a/b/c/g;x"}, {"g;x?y#s", "http://a/b/c/g;x?y#s"},
                {"", "http://a/b/c/d;p?q"}, {".", "http://a/b/c/"}, {"./", "http://a/b/c/"}, {"..", "http://a/b/"},
                {"../", "http://a/b/"}, {"../g", "http://a/b/g"}, {"../..", "http://a/"}, {"../../", "http://a/"},
                {"../../g", "http://a/g"},
                // 5.4.2 abnormal examples
                {"../../../g", "http://a/g"}, {"../../../../g", "http://a/g"}, {"/./g", "http://a/g"},
                {"/../g", "http://a/g"}, {"g.", "http://a/b/c/g."}, {".g", "http://a/b/c/.g"}, {"g..", "http://a/b/c/g.."},
                {"..g", "http://a/b/c/..g"}, {"./../g", "http://a/b/g"}, {"./g/.", "http://a/b/c/g/"},
                {"g/./h", "http://a/b/c/g/h"}, {"g/../h", "http://a/b/c/h"}, {"g;x=1/./y", "http://a/b/c/g;x=1/y"},
                {"g;x=1/../y", "http://a/b/c/y"}, {"g?y/./x", "http://a/b/c/g?y/./x"}, {"g?y/../x", "http://a/b/c/g?y/../x"},
                {"g#s/./x", "http://a/b/c/g#s/./x"}, {"g#s/../x", "http://a/b/c/g#s/../x"}, {"http:g", "http:g"},
        };
        for (String[] e : examples) {
            assertEquals(e[1], resolve(base, e[0]), "'" + e[0] + "'");
        }
    }

    @Test
    void aReferenceWithoutFragmentKeepsTheBasesAsRfc9110Says() throws Exception {
        assertEquals("http://a/x#top", resolve("http://a/b#top", "/x"));
        assertEquals("http://a/x#end", resolve("http://a/b#top", "/x#end"));
        assertEquals("http://a/x", resolve("http://a", "x"), "merged with an empty base path: /x (5.2.3)");
    }

    @Test
    void charactersAUriCannotHoldArePercentEncodedAsUtf8() {
        assertEquals("/a%20b/caf%C3%A9?q=%22x%22&r=%7B%7D", Urls.encodeLeniently("/a b/caf\u00e9?q=\"x\"&r={}"));
        assertEquals("/100%25/ok%2Fstill", Urls.encodeLeniently("/100%/ok%2Fstill"), "a lone % is encoded, an escape kept");
        assertEquals("/%F0%9F%98%80", Urls.encodeLeniently("/\ud83d\ude00"));
        String clean = "http://example.org/a/b?c=d#e";
        assertEquals(clean, Urls.encodeLeniently(clean));
    }

    @Test
    void theRequestTargetIsTheRawPathAndQueryInAscii() throws Exception {
        assertEquals("/", Urls.requestTarget(new URI("http://h")));
        assertEquals("/a%20b?x=1", Urls.requestTarget(new URI("http://h/a%20b?x=1#frag")));
        assertEquals("/caf%C3%A9?q=%C3%BC", Urls.requestTarget(new URI("http://h/caf\u00e9?q=\u00fc")));
    }
}
