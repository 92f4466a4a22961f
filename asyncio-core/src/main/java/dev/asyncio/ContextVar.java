package dev.asyncio;

import java.util.NoSuchElementException;

/**
 * A variable whose value belongs to the current {@link Context}, so that each task sees its own;
 * mirrors Python's {@code contextvars.ContextVar}. Use it where a {@link ThreadLocal} would be used in
 * thread-per-request code: a thread local is shared by every task of a loop.
 *
 * <pre>{@code
 * static final ContextVar<String> USER = new ContextVar<>("user", "anonymous");
 * try (var token = USER.set("alice")) {     // reset when the block ends
 *     handle();                              // tasks created here start with USER = "alice"
 * }
 * }</pre>
 *
 * <p>Declare context variables as constants: the context holds a reference to each variable that was set.
 * A variable and its values can be used with no loop running (each thread has a context of its own).
 *
 * @param <T> the value type; {@code null} is a legal value
 */
public final class ContextVar<T> {
    /** Marks "no value" inside contexts and tokens; never escapes this package. */
    static final Object MISSING = new Object() {
        @Override
        public String toString() {
            return "<Token.MISSING>";
        }
    };

    private final String name;
    private final T defaultValue;
    private final boolean hasDefault;

    /** A variable without a default: {@link #get()} throws while it has no value. */
    public ContextVar(String name) {
        this.name = requireName(name);
        this.defaultValue = null;
        this.hasDefault = false;
    }

    /** A variable whose {@link #get()} returns {@code defaultValue} while it has no value. */
    public ContextVar(String name, T defaultValue) {
        this.name = requireName(name);
        this.defaultValue = defaultValue;
        this.hasDefault = true;
    }

    private static String requireName(String name) {
        if (name == null) {
            throw new IllegalArgumentException("ContextVar name must not be null");
        }
        return name;
    }

    public String name() {
        return name;
    }

    /**
     * The value in the current context, else the default given at construction.
     *
     * @throws NoSuchElementException if there is neither (Python's {@code LookupError})
     */
    public T get() {
        Object v = Context.current().lookup(this);
        if (v != MISSING) {
            return cast(v);
        }
        if (hasDefault) {
            return defaultValue;
        }
        throw new NoSuchElementException("ContextVar '" + name + "' has no value in the current context and no default");
    }

    /** The value in the current context, else {@code fallback} (the variable's own default is not used). */
    public T get(T fallback) {
        Object v = Context.current().lookup(this);
        return v != MISSING ? cast(v) : fallback;
    }

    /**
     * Sets the value in the current context. The returned token restores the previous value through
     * {@link #reset(Token)} or, in a try-with-resources block, when closed.
     */
    public Token<T> set(T value) {
        Context ctx = Context.writable(ThreadState.current());
        Object old = ctx.lookup(this);
        ctx.with(this, value);
        return new Token<>(this, ctx, old);
    }

    /**
     * Restores the value this variable had before the {@link #set} that returned {@code token}.
     *
     * @throws IllegalArgumentException if the token belongs to another variable or another context
     * @throws IllegalStateException    if the token was already used
     */
    public void reset(Token<T> token) {
        if (token.var != this) {
            throw new IllegalArgumentException(token + " was created by a different ContextVar than " + this);
        }
        Context ctx = Context.current(); // a token always belongs to a writable context
        if (token.context != ctx) {
            throw new IllegalArgumentException(token + " was created in a different Context");
        }
        if (token.used) {
            throw new IllegalStateException(token + " has already been used once");
        }
        token.used = true;
        ctx.with(this, token.oldValue);
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object v) {
        return (T) v;
    }

    @Override
    public String toString() {
        return "<ContextVar name='" + name + "'" + (hasDefault ? " default=" + defaultValue : "") + ">";
    }

    /**
     * What {@link ContextVar#set} returns: enough to undo that set. Closing it resets the variable, so
     * {@code try (var t = VAR.set(x)) { ... }} scopes a value to a block (Python 3.14's {@code with token:}).
     */
    public static final class Token<T> implements AutoCloseable {
        private final ContextVar<T> var;
        private final Context context;
        private final Object oldValue;
        private boolean used;

        private Token(ContextVar<T> var, Context context, Object oldValue) {
            this.var = var;
            this.context = context;
            this.oldValue = oldValue;
        }

        public ContextVar<T> var() {
            return var;
        }

        /** Whether the variable had a value before the set. */
        public boolean hadOldValue() {
            return oldValue != MISSING;
        }

        /** The value before the set, or {@code null} if it had none (see {@link #hadOldValue()}). */
        public T oldValue() {
            return oldValue == MISSING ? null : cast(oldValue);
        }

        /** Resets the variable; same as {@code var().reset(this)}. */
        @Override
        public void close() {
            var.reset(this);
        }

        @Override
        public String toString() {
            return "<Token" + (used ? " used" : "") + " var=" + var + ">";
        }
    }
}
