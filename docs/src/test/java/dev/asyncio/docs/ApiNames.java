package dev.asyncio.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks that every class, method, field and constant a Markdown document names in backticks, in its prose
 * and its tables, exists in the code: {@code `Net.createServer(...)`} needs a method {@code createServer} of
 * class {@code Net} that takes some number of arguments it can be given, {@code `loop.callLater(delay, cb)`} a
 * two-argument {@code callLater} of {@code AsyncLoop} (the usual variable names stand for their types, see
 * {@link #RECEIVERS}), {@code `Foo`} a class {@code Foo}; a chain {@code `AsyncLoop.builder().debug(true)`} is
 * followed through the return types. What is not Java is left alone: table columns headed Python, asyncio or
 * aiohttp, spans with Python syntax ({@code async def}, snake_case names, {@code name=value}), the left side of
 * a mapping ({@code `create_task` → `createTask`}), commands, paths and messages. In a table with an
 * "extends" column, each class of the column before it must have that direct superclass.
 *
 * <p>Not checked, because the form cannot tell a name from a word: a lowercase word on its own ({@code
 * `acquire`}, {@code `drain`}; a camelCase one such as {@code `markExternal`} is checked), arguments that are
 * variables, and the member of a variable the docs use for no fixed type ({@code `e.value()`} only needs some
 * class of the project to have {@code value}).
 *
 * <p>A {@code java} block marked {@code <!-- signatures -->} (the API contract, docs/api.md) is a list of
 * declarations, each checked against the class it is declared in by {@link Signatures}: the class exists in
 * the package of the section with the supertypes named, each method or constructor exists, public, static or
 * not as declared, with parameters of those types (erasure, by simple name) and that return type, and each
 * record component and enum constant exists.
 */
final class ApiNames {

    /** Something named that the code does not have. */
    record Problem(Path file, int line, String span, String message) {
        @Override
        public String toString() {
            return file + ":" + line + ": `" + span + "`: " + message;
        }
    }

    /** What a check found: how many spans and declarations it checked, and what was wrong. */
    record Report(int spans, int declarations, List<Problem> problems) {
        String describe() {
            StringBuilder sb = new StringBuilder(problems.size() + " name(s) in the docs that the code does not have "
                    + "(fix the doc; a name that is not Java belongs in ApiNamesTest's allow-list, with why):\n");
            for (Problem p : problems) {
                sb.append(p).append('\n');
            }
            return sb.toString();
        }
    }

    /** Variable names the docs use for a value of a known type, as in {@code loop.callSoon(cb)}. */
    static final Map<String, String> RECEIVERS = Map.ofEntries(
            Map.entry("loop", "dev.asyncio.AsyncLoop"),
            Map.entry("fut", "dev.asyncio.Future"),
            Map.entry("future", "dev.asyncio.Future"),
            Map.entry("task", "dev.asyncio.Task"),
            Map.entry("handle", "dev.asyncio.Handle"),
            Map.entry("timerHandle", "dev.asyncio.TimerHandle"),
            Map.entry("timeout", "dev.asyncio.Timeout"),
            Map.entry("tg", "dev.asyncio.TaskGroup"),
            Map.entry("q", "dev.asyncio.Queue"),
            Map.entry("queue", "dev.asyncio.Queue"),
            Map.entry("lock", "dev.asyncio.Lock"),
            Map.entry("event", "dev.asyncio.Event"),
            Map.entry("condition", "dev.asyncio.Condition"),
            Map.entry("semaphore", "dev.asyncio.Semaphore"),
            Map.entry("barrier", "dev.asyncio.Barrier"),
            Map.entry("var", "dev.asyncio.ContextVar"),
            Map.entry("ctx", "dev.asyncio.Context"),
            Map.entry("g", "dev.asyncio.Generator"),
            Map.entry("y", "dev.asyncio.Yielder"),
            Map.entry("runner", "dev.asyncio.Runner"),
            Map.entry("reader", "dev.asyncio.net.StreamReader"),
            Map.entry("writer", "dev.asyncio.net.StreamWriter"),
            Map.entry("server", "dev.asyncio.net.Server"),
            Map.entry("transport", "dev.asyncio.net.Transport"),
            Map.entry("c", "dev.asyncio.net.Connection"),
            Map.entry("client", "dev.asyncio.http.HttpClient"),
            Map.entry("r", "dev.asyncio.http.HttpResponse"),
            Map.entry("response", "dev.asyncio.http.HttpResponse"),
            Map.entry("steps", "dev.asyncio.test.OrderedSteps"));

    /** Where a name called bare ({@code `sleep(0)`}, {@code `assertEquals`}) may come from besides the project. */
    private static final List<Class<?>> BARE_NAME_SOURCES = List.of(org.junit.jupiter.api.Assertions.class,
            java.util.stream.Stream.class, java.util.Iterator.class, java.lang.Iterable.class, java.util.List.class);

    private static final Set<String> KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case",
            "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends",
            "final", "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int",
            "interface", "long", "native", "new", "package", "private", "protected", "public", "return", "short",
            "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try",
            "void", "volatile", "while", "var", "record", "yield", "true", "false", "null", "sealed", "permits",
            "non");
    private static final Set<String> PACKAGE_ROOTS = Set.of("dev", "java", "javax", "jdk", "io", "org");
    private static final Set<String> PYTHON_COLUMNS = Set.of("python", "asyncio", "aiohttp");

    private static final Pattern SPAN = Pattern.compile("(`+)(.+?)\\1");
    private static final Pattern ARROW_AFTER = Pattern.compile("^\\s*(→|->)");
    private static final Pattern PYTHON = Pattern.compile(
            "^(async|await|def|except)\\s|^for \\w+ in\\b|(?<![\\w.])(asyncio|contextvars|itertools|inspect|aiohttp)\\."
                    + "|\\b[a-z][a-z0-9]*_[a-z0-9_]+\\b|\\b_\\w+|[A-Za-z_]\\w*=(?!=)|:=|\\*\\w|(^|[\\s=])yield\\s+\\w"
                    + "|\\bcontextvars\\b|\\bNone\\b");
    private static final Pattern TEXT = Pattern.compile("\\w:\\s|^[A-Za-z]+(-[A-Za-z]+)+$");
    private static final Pattern WORD_PAIR = Pattern.compile("\\b([a-z]+) ([a-z]+)\\b");
    private static final Pattern SOURCE_FILE = Pattern.compile("^([A-Z]\\w*)\\.java$");
    private static final Pattern PACKAGE_HEADING = Pattern.compile("^#+ .*`(dev\\.asyncio[\\w.]*)`");

    private final CodeIndex index;
    private final Set<String> allowed;
    private final List<Problem> problems = new ArrayList<>();
    private Path shownAs;
    private int lineNumber;
    private String span;
    private int spans;
    private int declarations;

    private ApiNames(CodeIndex index, Set<String> allowed) {
        this.index = index;
        this.allowed = allowed;
    }

    /**
     * Checks the Markdown files against the code; names in {@code allowed} (a span's text, or one name in it)
     * are not Java and are skipped.
     */
    static Report check(List<Path> files, Path repoRoot, CodeIndex index, Set<String> allowed) {
        ApiNames checker = new ApiNames(index, allowed);
        for (Path file : files) {
            checker.checkFile(file, repoRoot.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize()));
        }
        return new Report(checker.spans, checker.declarations, List.copyOf(checker.problems));
    }

    private void checkFile(Path file, Path shownAs) {
        this.shownAs = shownAs;
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> header = null;
        String pkg = "dev.asyncio";
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            lineNumber = i + 1;
            Matcher fence = Snippets.FENCE.matcher(line);
            if (fence.matches()) {
                boolean signatures = i > 0 && Snippets.SIGNATURES.matcher(lines.get(i - 1)).matches()
                        && fence.group(2).equals("java");
                int open = i;
                StringBuilder body = new StringBuilder();
                for (i++; i < lines.size() && !lines.get(i).strip().startsWith(fence.group(1)); i++) {
                    body.append(lines.get(i)).append('\n');
                }
                if (signatures) {
                    new Signatures(this, pkg, open + 2).check(body.toString());
                }
                header = null;
                continue;
            }
            Matcher heading = PACKAGE_HEADING.matcher(line);
            if (heading.find()) {
                pkg = heading.group(1);
            }
            if (line.startsWith("|")) {
                List<String> cells = cells(line);
                if (i + 1 < lines.size() && lines.get(i + 1).matches("^\\|[-:| ]+\\|\\s*$")) {
                    header = cells;
                    continue;
                }
                if (line.matches("^\\|[-:| ]+\\|\\s*$")) {
                    continue;
                }
                for (int c = 0; c < cells.size(); c++) {
                    String head = header != null && c < header.size()
                            ? header.get(c).replace("`", "").strip().toLowerCase(Locale.ROOT) : "";
                    if (!PYTHON_COLUMNS.contains(head)) {
                        checkText(cells.get(c));
                    }
                    if (head.equals("extends") && c > 0) {
                        checkExtends(cells.get(c - 1), cells.get(c));
                    }
                }
            } else {
                header = null;
                checkText(line);
            }
        }
    }

    /** In a table with an "extends" column, each class of the cell before it has that direct superclass. */
    private void checkExtends(String classesCell, String superCell) {
        List<String> supers = new ArrayList<>();
        Matcher m = SPAN.matcher(superCell);
        while (m.find()) {
            supers.add(m.group(2).strip());
        }
        Matcher named = SPAN.matcher(classesCell);
        while (named.find()) {
            String name = named.group(2).strip();
            if (!name.matches("[\\w.]+") || !Character.isUpperCase(name.charAt(name.lastIndexOf('.') + 1))) {
                continue;
            }
            span = name;
            List<Class<?>> classes = name.contains(".") ? java.util.Optional.ofNullable(index.qualified(name))
                    .<List<Class<?>>>map(List::of).orElse(List.of()) : index.classes(name);
            for (Class<?> c : classes) {
                Class<?> sup = c.getSuperclass();
                if (sup != null && !supers.contains(sup.getSimpleName())) {
                    problem(c.getSimpleName() + " extends " + sup.getSimpleName() + ", not " + String.join(" or ", supers));
                }
            }
        }
    }

    private static List<String> cells(String row) {
        List<String> out = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean code = false;
        for (int k = 1; k < row.length(); k++) {
            char ch = row.charAt(k);
            if (ch == '`') {
                code = !code;
            }
            if (ch == '|' && !code && row.charAt(k - 1) != '\\') {
                out.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(ch);
            }
        }
        return out;
    }

    private void checkText(String text) {
        Matcher m = SPAN.matcher(text);
        while (m.find()) {
            String s = m.group(2).strip();
            if (ARROW_AFTER.matcher(text.substring(m.end())).find()) {
                continue; // the Python side of a mapping: `create_task` → `createTask`
            }
            checkSpan(s);
        }
    }

    private void checkSpan(String s) {
        if (s.isEmpty() || allowed.contains(s) || isNotJava(s)) {
            return;
        }
        span = s;
        spans++;
        Matcher file = SOURCE_FILE.matcher(s);
        if (file.matches()) {
            if (!index.hasSource(file.group(1))) {
                problem("no source file " + s + " in the repository");
            }
            return;
        }
        List<Token> tokens = Token.lex(s);
        new Scanner(tokens).scan(0, tokens.size(), false);
    }

    /** Commands, paths, headers, messages and Python are not checked. */
    private static boolean isNotJava(String s) {
        if (s.contains("/") || "-.$#?[<\\0123456789'\"".indexOf(s.charAt(0)) >= 0) {
            return true;
        }
        if (PYTHON.matcher(s).find() || TEXT.matcher(s).find()) {
            return true;
        }
        Matcher pair = WORD_PAIR.matcher(s);
        while (pair.find()) {
            if (!KEYWORDS.contains(pair.group(1)) && !KEYWORDS.contains(pair.group(2))) {
                return true; // two plain words in a row: a message, not code
            }
        }
        return false;
    }

    void problem(String message) {
        problems.add(new Problem(shownAs, lineNumber, span, message));
    }

    CodeIndex index() {
        return index;
    }

    void countDeclaration(int line, String text) {
        declarations++;
        lineNumber = line;
        span = text;
    }

    // ------------------------------------------------------------------------------------------ the scanner

    /** A token of a span: an identifier, a number, a literal, or punctuation. */
    record Token(String text, boolean ident) {
        static List<Token> lex(String s) {
            List<Token> out = new ArrayList<>();
            int i = 0;
            while (i < s.length()) {
                char ch = s.charAt(i);
                if (Character.isWhitespace(ch)) {
                    i++;
                } else if (ch == '"' || ch == '\'') {
                    int end = i + 1;
                    while (end < s.length() && s.charAt(end) != ch) {
                        end += s.charAt(end) == '\\' ? 2 : 1;
                    }
                    out.add(new Token("0", false)); // a literal counts as one argument
                    i = Math.min(end + 1, s.length());
                } else if (Character.isJavaIdentifierStart(ch)) {
                    int end = i + 1;
                    while (end < s.length() && Character.isJavaIdentifierPart(s.charAt(end))) {
                        end++;
                    }
                    out.add(new Token(s.substring(i, end), true));
                    i = end;
                } else if (Character.isDigit(ch)) {
                    int end = i + 1;
                    while (end < s.length() && (Character.isLetterOrDigit(s.charAt(end)) || s.charAt(end) == '_'
                            || (s.charAt(end) == '.' && end + 1 < s.length() && Character.isDigit(s.charAt(end + 1))))) {
                        end++;
                    }
                    out.add(new Token(s.substring(i, end), false));
                    i = end;
                } else if (s.startsWith("...", i) || s.startsWith("…", i)) {
                    out.add(new Token("...", false));
                    i += s.startsWith("...", i) ? 3 : 1;
                } else if (s.startsWith("->", i) || s.startsWith("::", i)) {
                    out.add(new Token(s.substring(i, i + 2), false));
                    i += 2;
                } else {
                    out.add(new Token(String.valueOf(ch), false));
                    i++;
                }
            }
            return out;
        }

        boolean is(String t) {
            return !ident && text.equals(t);
        }
    }

    /** One segment of a chain: a name, and if it is called, how many arguments (-1: not said, "..."). */
    private record Segment(String name, boolean call, int args) {
        @Override
        public String toString() {
            return name + (call ? "(" + (args < 0 ? "..." : args) + ")" : "");
        }
    }

    private final class Scanner {
        private final List<Token> t;

        Scanner(List<Token> tokens) {
            this.t = tokens;
        }

        /** Checks the chains between {@code from} and {@code to}; {@code inArguments}: a call's arguments. */
        void scan(int from, int to, boolean inArguments) {
            int i = from;
            while (i < to) {
                Token tok = t.get(i);
                if (tok.is("@") && i + 1 < to && t.get(i + 1).ident()) {
                    i = annotation(i + 1, to);
                } else if (tok.ident() && tok.text().equals("new") && i + 1 < to && t.get(i + 1).ident()) {
                    i = chain(i + 1, to, true, inArguments);
                } else if (tok.ident() && !KEYWORDS.contains(tok.text())) {
                    boolean afterDot = i > from && (t.get(i - 1).is(".") || t.get(i - 1).is("::"));
                    i = afterDot ? i + 1 : chain(i, to, false, inArguments);
                } else {
                    i++;
                }
            }
        }

        /** The index of the token that closes the bracket opened at {@code open}, or {@code to}. */
        private int close(int open, int to) {
            String o = t.get(open).text();
            String c = o.equals("(") ? ")" : o.equals("<") ? ">" : o.equals("{") ? "}" : "]";
            int depth = 0;
            for (int k = open; k < to; k++) {
                if (t.get(k).is(o)) {
                    depth++;
                } else if (t.get(k).is(c) && --depth == 0) {
                    return k;
                }
            }
            return to;
        }

        /** Top-level arguments between {@code open} and its closing parenthesis; -1 if one of them is "...". */
        private int arguments(int open, int close) {
            if (close == open + 1) {
                return 0;
            }
            int count = 1;
            int depth = 0;
            boolean elided = false;
            int argStart = open + 1;
            for (int k = open + 1; k < close; k++) {
                Token tok = t.get(k);
                if (tok.is("(") || tok.is("{") || tok.is("[")) {
                    depth++;
                } else if (tok.is(")") || tok.is("}") || tok.is("]")) {
                    depth--;
                } else if (tok.is(",") && depth == 0) {
                    elided |= k == argStart + 1 && t.get(argStart).is("...");
                    count++;
                    argStart = k + 1;
                }
            }
            elided |= close == argStart + 1 && t.get(argStart).is("...");
            return elided ? -1 : count;
        }

        private int annotation(int i, int to) {
            String name = t.get(i).text();
            List<Class<?>> classes = index.classes(name);
            if (classes.isEmpty() && !allowed.contains(name)) {
                problem("no annotation " + name + " in the code");
            }
            int next = i + 1;
            if (next < to && t.get(next).is("(")) {
                int end = close(next, to);
                for (int k = next + 1; k + 1 < end; k++) {
                    String element = t.get(k).text();
                    if (t.get(k).ident() && t.get(k + 1).is("=") && !classes.isEmpty()
                            && classes.stream().allMatch(c -> CodeIndex.methods(c, element).isEmpty())) {
                        problem("@" + name + " has no element " + element);
                    }
                }
                scan(next + 1, end, true);
                next = end + 1;
            }
            return next;
        }

        /** Parses the chain starting at {@code i}, checks it, scans its arguments; returns the index after it. */
        private int chain(int i, int to, boolean constructor, boolean inArguments) {
            List<Segment> segments = new ArrayList<>();
            int k = i;
            while (k < to && t.get(k).ident()) {
                String name = t.get(k).text();
                k++;
                if (k < to && t.get(k).is("<") && Character.isUpperCase(name.charAt(0))) {
                    int end = close(k, to);
                    scan(k + 1, end, inArguments);
                    k = end + 1;
                }
                if (k < to && t.get(k).is("(")) {
                    int end = close(k, to);
                    segments.add(new Segment(name, true, arguments(k, end)));
                    scan(k + 1, end, true);
                    k = end + 1;
                } else {
                    segments.add(new Segment(name, false, -1));
                }
                while (k + 1 < to && t.get(k).is("[") && t.get(k + 1).is("]")) {
                    k += 2;
                }
                if (k + 1 < to && (t.get(k).is(".") || t.get(k).is("::")) && t.get(k + 1).ident()) {
                    k++;
                } else {
                    break;
                }
            }
            resolve(segments, constructor, inArguments);
            return Math.max(k, i + 1);
        }

        private void resolve(List<Segment> segs, boolean constructor, boolean inArguments) {
            Segment first = segs.getFirst();
            String name = first.name();
            if (allowed.contains(name) || allowed.contains(String.join(".", segs.stream().map(Segment::name).toList()))) {
                return;
            }
            Set<Class<?>> types = new LinkedHashSet<>();
            int start = 1;
            if (Character.isUpperCase(name.charAt(0))) {
                if (name.length() == 1) {
                    return; // a type variable: T, S, R
                }
                if (name.equals(name.toUpperCase(Locale.ROOT)) && segs.size() == 1) {
                    if (!constructor && !anyConstant(name)) {
                        problem("no constant " + name + " in the code");
                    }
                    return;
                }
                List<Class<?>> classes = index.classes(name);
                if (classes.isEmpty()) {
                    if (!index.hasSource(name)) {
                        problem("no class " + name + " in the code");
                    }
                    return;
                }
                if (first.call() || constructor) {
                    if (first.args() >= 0 && classes.stream().noneMatch(c -> takes(CodeIndex.constructors(c), first.args()))) {
                        problem(name + " has no constructor taking " + first.args() + " argument(s)");
                    }
                }
                types.addAll(classes);
            } else if (PACKAGE_ROOTS.contains(name) && segs.size() > 1) {
                StringBuilder qualified = new StringBuilder(name);
                Class<?> found = null;
                for (start = 1; start < segs.size() && found == null; start++) {
                    qualified.append('.').append(segs.get(start).name());
                    found = index.qualified(qualified.toString());
                }
                if (found == null) {
                    String pkg = String.join(".", segs.stream().map(Segment::name).toList());
                    if (!index.isPackage(pkg)) {
                        problem("no class or package " + pkg);
                    }
                    return;
                }
                types.add(found);
            } else if (RECEIVERS.containsKey(name) && segs.size() > 1) {
                types.add(index.qualified(RECEIVERS.get(name)));
            } else if (segs.size() == 1) {
                if (first.call()) {
                    List<Method> anywhere = methodsAnywhere(name);
                    if (anywhere.isEmpty()) {
                        problem("no method " + name + " in the code");
                    } else if (first.args() >= 0 && !takes(anywhere, first.args())) {
                        problem("no method " + name + " taking " + first.args() + " argument(s) in the code");
                    }
                } else if (!inArguments && !name.equals(name.toLowerCase(Locale.ROOT)) && methodsAnywhere(name).isEmpty()
                        && !anyField(name)) {
                    // a camelCase name on its own (`markExternal`) is a member; in arguments, a variable
                    problem("no method or field " + name + " in the code");
                }
                return;
            } else {
                // an unknown variable: any class with the member will do
                Segment member = segs.get(1);
                for (Class<?> c : index.projectClasses()) {
                    if (!member(c, member).isEmpty()) {
                        types.add(c);
                    }
                }
                if (types.isEmpty()) {
                    problem("no class in the code has " + describe(member));
                    return;
                }
            }
            for (int s = start; s < segs.size(); s++) {
                Segment seg = segs.get(s);
                Set<Class<?>> next = new LinkedHashSet<>();
                boolean found = false;
                for (Class<?> c : types) {
                    List<Class<?>> result = member(c, seg);
                    found |= !result.isEmpty();
                    next.addAll(result.stream().filter(r -> r != Unknown.class).toList());
                }
                if (!found) {
                    String owners = String.join(" or ", types.stream().map(Class::getSimpleName).distinct().toList());
                    boolean named = types.stream().anyMatch(c -> has(c, seg.name()));
                    problem(named ? owners + "." + seg.name() + " takes no " + seg.args() + " argument(s)"
                            : owners + " has no " + describe(seg));
                    return;
                }
                if (next.isEmpty()) {
                    return; // a generic or void result: the rest of the chain cannot be typed
                }
                types = next;
            }
        }
    }

    /** Stands for a member whose type is not known (a type variable): the chain stops there. */
    private static final class Unknown {
    }

    private static String describe(Segment seg) {
        return (seg.call() ? "method " : "member ") + seg;
    }

    /** Whether {@code c} has a method, field or nested class of that name at all. */
    private static boolean has(Class<?> c, String name) {
        return !CodeIndex.methods(c, name).isEmpty() || CodeIndex.field(c, name) != null
                || CodeIndex.nested(c, name) != null;
    }

    /**
     * The types {@code seg} leads to on {@code c}: empty if {@code c} has no such member (or none taking that
     * many arguments), {@link Unknown} for a result that cannot be typed.
     */
    private static List<Class<?>> member(Class<?> c, Segment seg) {
        List<Class<?>> out = new ArrayList<>();
        if (!seg.call()) {
            Class<?> n = CodeIndex.nested(c, seg.name());
            if (n != null) {
                return List.of(n);
            }
            Field f = CodeIndex.field(c, seg.name());
            if (f != null) {
                return List.of(typeOf(f.getGenericType()));
            }
        }
        for (Method m : CodeIndex.methods(c, seg.name())) {
            if (!seg.call() || seg.args() < 0 || takes(m, seg.args())) {
                out.add(seg.call() ? typeOf(m.getGenericReturnType()) : Unknown.class);
            }
        }
        return out;
    }

    private static Class<?> typeOf(Type type) {
        if (type instanceof Class<?> c) {
            return c.isPrimitive() ? Unknown.class : c; // void and primitives: nothing follows
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
            return raw;
        }
        return Unknown.class;
    }

    private static boolean takes(Executable e, int args) {
        int p = e.getParameterCount();
        return e.isVarArgs() ? args >= p - 1 : args == p;
    }

    private static boolean takes(List<? extends Executable> es, int args) {
        return es.stream().anyMatch(e -> takes(e, args));
    }

    private List<Method> methodsAnywhere(String name) {
        List<Method> out = new ArrayList<>();
        for (Class<?> c : index.projectClasses()) {
            out.addAll(CodeIndex.methods(c, name));
        }
        for (Class<?> c : BARE_NAME_SOURCES) {
            out.addAll(CodeIndex.methods(c, name));
        }
        return out;
    }

    private boolean anyField(String name) {
        return index.projectClasses().stream().anyMatch(c -> CodeIndex.field(c, name) != null);
    }

    private boolean anyConstant(String name) {
        return allowed.contains(name) || anyField(name);
    }

    /** Whether {@code c} has a public constructor of those parameter types (simple names of the erasures). */
    static boolean hasConstructor(Class<?> c, List<String> params) {
        for (Constructor<?> k : c.getConstructors()) {
            if (sameParameters(k, params)) {
                return true;
            }
        }
        return false;
    }

    static boolean sameParameters(Executable e, List<String> params) {
        Class<?>[] types = e.getParameterTypes();
        Type[] generic = e.getGenericParameterTypes();
        if (types.length != params.size() || generic.length != types.length) {
            return false;
        }
        for (int k = 0; k < types.length; k++) {
            String want = params.get(k);
            boolean typeVariable = want.matches("[A-Z]\\d?(\\[\\])?") ;
            if (typeVariable ? !(generic[k] instanceof java.lang.reflect.TypeVariable<?>
                    || generic[k] instanceof java.lang.reflect.GenericArrayType) : !types[k].getSimpleName().equals(want)
                    && !types[k].getName().equals(want)) {
                return false;
            }
        }
        return true;
    }
}
