package dev.asyncio.docs;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * Checks a block of declarations (docs/api.md's contract) against the code: each class of the section's
 * package exists, with the supertypes named; each method or constructor exists, public, with parameters of
 * the types given (erasure, by simple name; a type variable matches a type variable) and the return type
 * given; each record component and enum constant exists. Comments are not checked.
 */
final class Signatures {
    private static final Set<String> MODIFIERS = Set.of("public", "static", "final", "abstract", "default",
            "sealed", "non", "-", "synchronized");
    private static final Set<String> KINDS = Set.of("class", "interface", "record", "enum");

    private final ApiNames owner;
    private final String pkg;
    private final int firstLine;
    private final List<ApiNames.Token> t = new ArrayList<>();
    private final List<Integer> lineOf = new ArrayList<>();
    private final Deque<Class<?>> classes = new ArrayDeque<>();

    /** A block whose first line is line {@code firstLine} of its file, declaring classes of package {@code pkg}. */
    Signatures(ApiNames owner, String pkg, int firstLine) {
        this.owner = owner;
        this.pkg = pkg;
        this.firstLine = firstLine;
    }

    void check(String body) {
        String[] lines = body.split("\n", -1);
        for (int l = 0; l < lines.length; l++) {
            String line = lines[l];
            int comment = line.indexOf("//");
            List<ApiNames.Token> tokens = ApiNames.Token.lex(comment >= 0 ? line.substring(0, comment) : line);
            t.addAll(tokens);
            for (int k = 0; k < tokens.size(); k++) {
                lineOf.add(firstLine + l);
            }
        }
        int i = 0;
        while (i < t.size()) {
            i = statement(i);
        }
    }

    private String text(int i) {
        return i < t.size() ? t.get(i).text() : "";
    }

    private boolean is(int i, String s) {
        return i < t.size() && t.get(i).text().equals(s) && !t.get(i).ident();
    }

    private String source(int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int k = from; k < to && k < t.size(); k++) {
            String s = t.get(k).text();
            boolean tight = s.equals(",") || s.equals(")") || s.equals("(") || s.equals(">") || s.equals("[")
                    || s.equals("]") || s.equals(";") || s.equals(".") || sb.isEmpty()
                    || sb.charAt(sb.length() - 1) == '(' || sb.charAt(sb.length() - 1) == '<'
                    || sb.charAt(sb.length() - 1) == '.' || s.equals("<") && t.get(k - 1).ident();
            sb.append(tight ? "" : " ").append(s);
        }
        return sb.toString();
    }

    /** The index after the bracket opened at {@code open} closes. */
    private int skip(int open) {
        String o = text(open);
        String c = o.equals("(") ? ")" : o.equals("<") ? ">" : "}";
        int depth = 0;
        for (int k = open; k < t.size(); k++) {
            if (is(k, o)) {
                depth++;
            } else if (is(k, c) && --depth == 0) {
                return k + 1;
            }
        }
        return t.size();
    }

    private int statement(int i) {
        if (is(i, "}")) {
            if (!classes.isEmpty()) {
                classes.pop();
            }
            return i + 1;
        }
        if (is(i, ";") || is(i, ",")) {
            return i + 1;
        }
        int start = i;
        while (is(i, "@")) {
            i += 2;
        }
        while (t.get(i).ident() && MODIFIERS.contains(text(i))) {
            i++;
        }
        if (KINDS.contains(text(i))) {
            return type(start, i);
        }
        return member(start, i);
    }

    /** {@code class Name<T> extends A implements B, C {}, record Name(A a, B b) ..., enum Name { X, Y }}. */
    private int type(int start, int i) {
        String kind = text(i);
        String name = text(i + 1);
        owner.countDeclaration(lineOf.get(start), kind + " " + name);
        Class<?> enclosing = classes.peek();
        Class<?> c = enclosing != null ? CodeIndex.nested(enclosing, name) : owner.index().qualified(pkg + "." + name);
        if (c == null && (enclosing != null || classes.isEmpty())) {
            owner.problem("no " + kind + " " + (enclosing != null ? enclosing.getName() + "." : pkg + ".") + name);
        } else if (c != null && !Modifier.isPublic(c.getModifiers())) {
            owner.problem(c.getName() + " is not public");
        }
        i += 2;
        if (is(i, "<")) {
            i = skip(i);
        }
        if (kind.equals("record") && is(i, "(")) {
            int end = skip(i);
            for (List<String> component : parameters(i, end - 1)) {
                String accessor = component.getLast();
                if (c != null && CodeIndex.methods(c, accessor).stream().noneMatch(m -> m.getParameterCount() == 0)) {
                    owner.problem(name + " has no component " + accessor);
                }
            }
            i = end;
        }
        while (i < t.size() && !is(i, "{") && !is(i, ";")) {
            if (t.get(i).ident() && !text(i).equals("extends") && !text(i).equals("implements")) {
                String superName = text(i);
                int j = i + 1;
                while (is(j, ".") && j + 1 < t.size()) {
                    superName = text(j + 1);
                    j += 2;
                }
                if (c != null && owner.index().classes(superName).stream().noneMatch(s -> s.isAssignableFrom(c))) {
                    owner.problem(name + " does not extend or implement " + superName);
                }
                i = j;
                if (is(i, "<")) {
                    i = skip(i);
                }
            } else {
                i++;
            }
        }
        if (is(i, "{")) {
            classes.push(c == null ? Unknown.class : c);
            i++;
            if (kind.equals("enum")) {
                while (i < t.size() && !is(i, ";") && !is(i, "}")) {
                    if (t.get(i).ident() && c != null && CodeIndex.field(c, text(i)) == null) {
                        owner.problem(name + " has no constant " + text(i));
                    }
                    i++;
                }
                if (is(i, ";")) {
                    i++;
                }
            }
        }
        return i;
    }

    /** A marker for a class that was not found: its members are not checked (the class was reported). */
    private static final class Unknown {
    }

    /** {@code [<T>] Type name(Params) [throws X];} or {@code Name(Params);}. */
    private int member(int start, int i) {
        int end = i;
        int open = -1;
        while (end < t.size() && !is(end, ";") && !is(end, "}")) {
            if (is(end, "(") && open < 0) {
                open = end;
                end = skip(end);
            } else {
                end++;
            }
        }
        if (open < 1 || !t.get(open - 1).ident()) {
            return Math.max(end, i + 1);
        }
        String name = text(open - 1);
        int close = skip(open) - 1;
        List<List<String>> params = parameters(open, close);
        List<String> types = params.stream().map(Signatures::erasure).toList();
        owner.countDeclaration(lineOf.get(start), source(start, close + 1));
        Class<?> c = classes.peek();
        if (c == null) {
            owner.problem("a declaration outside any class");
        } else if (c != Unknown.class) {
            int typeStart = i;
            if (is(typeStart, "<")) {
                typeStart = skip(typeStart);
            }
            boolean constructor = typeStart == open - 1;
            if (constructor) {
                if (!name.equals(c.getSimpleName()) || !ApiNames.hasConstructor(c, types)) {
                    owner.problem(c.getSimpleName() + " has no public constructor " + name + "(" + String.join(", ", types) + ")");
                }
            } else {
                String returns = erasure(tokens(typeStart, open - 1));
                List<Method> named = CodeIndex.methods(c, name).stream()
                        .filter(m -> Modifier.isPublic(m.getModifiers())).toList();
                List<Method> same = named.stream().filter(m -> ApiNames.sameParameters(m, types)).toList();
                if (named.isEmpty()) {
                    owner.problem(c.getSimpleName() + " has no public method " + name);
                } else if (same.isEmpty()) {
                    owner.problem(c.getSimpleName() + "." + name + " takes no (" + String.join(", ", types)
                            + "); the code has " + String.join(", ", named.stream().map(Signatures::show).sorted().toList()));
                } else if (!returns.matches("[A-Z]\\d?") && same.stream().noneMatch(m ->
                        m.getReturnType().getSimpleName().equals(returns) || m.getReturnType().getName().equals(returns))) {
                    owner.problem(c.getSimpleName() + "." + name + " returns "
                            + same.getFirst().getReturnType().getSimpleName() + ", not " + returns);
                } else if (same.stream().noneMatch(m -> Modifier.isStatic(m.getModifiers()) == tokens(start, i).contains("static"))) {
                    owner.problem(c.getSimpleName() + "." + name + " is " + (tokens(start, i).contains("static") ? "not " : "")
                            + "static in the code");
                }
            }
        }
        return end;
    }

    private static String show(Method m) {
        return m.getName() + "(" + String.join(", ", java.util.Arrays.stream(m.getParameterTypes())
                .map(Class::getSimpleName).toList()) + ")";
    }

    private List<String> tokens(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int k = from; k < to; k++) {
            out.add(text(k));
        }
        return out;
    }

    /** The parameters between the parentheses at {@code open} and {@code close}, each as its tokens. */
    private List<List<String>> parameters(int open, int close) {
        List<List<String>> out = new ArrayList<>();
        List<String> current = new ArrayList<>();
        int depth = 0;
        for (int k = open + 1; k < close; k++) {
            if (is(k, "<") || is(k, "(")) {
                depth++;
            } else if (is(k, ">") || is(k, ")")) {
                depth--;
            }
            if (is(k, ",") && depth == 0) {
                out.add(current);
                current = new ArrayList<>();
            } else {
                current.add(text(k));
            }
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }

    /**
     * The erased type of a parameter ({@code Consumer<? super Future<T>> cb} is {@code Consumer}, {@code
     * Awaitable<T>... aws} is {@code Awaitable[]}), or of a return type; a qualified name stays qualified.
     */
    static String erasure(List<String> tokens) {
        StringBuilder type = new StringBuilder();
        int depth = 0;
        int identsOutside = 0;
        for (String s : tokens) {
            if (s.equals("<")) {
                depth++;
            } else if (s.equals(">")) {
                depth--;
            } else if (depth == 0) {
                if (s.equals("...") || s.equals("[")) {
                    type.append("[]");
                } else if (s.equals(".")) {
                    type.append('.');
                } else if (!s.equals("]") && !MODIFIERS.contains(s)) {
                    if (identsOutside++ > 0 && type.charAt(type.length() - 1) != '.') {
                        break; // the parameter's name
                    }
                    type.append(s);
                }
            }
        }
        return type.toString();
    }
}
