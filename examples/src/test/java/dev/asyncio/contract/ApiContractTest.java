package dev.asyncio.contract;

import dev.asyncio.AsyncLoop;
import dev.asyncio.AsyncRunnable;
import dev.asyncio.Asyncio;
import dev.asyncio.Awaitable;
import dev.asyncio.Barrier;
import dev.asyncio.BoundedSemaphore;
import dev.asyncio.BrokenBarrierError;
import dev.asyncio.CancelledError;
import dev.asyncio.Condition;
import dev.asyncio.Context;
import dev.asyncio.ContextVar;
import dev.asyncio.Coroutine;
import dev.asyncio.Event;
import dev.asyncio.Future;
import dev.asyncio.Generator;
import dev.asyncio.GeneratorBody;
import dev.asyncio.GeneratorExit;
import dev.asyncio.Handle;
import dev.asyncio.InvalidStateError;
import dev.asyncio.LifoQueue;
import dev.asyncio.Lock;
import dev.asyncio.PriorityQueue;
import dev.asyncio.Queue;
import dev.asyncio.QueueEmpty;
import dev.asyncio.QueueFull;
import dev.asyncio.QueueShutDown;
import dev.asyncio.Releaser;
import dev.asyncio.ReturnWhen;
import dev.asyncio.Semaphore;
import dev.asyncio.Task;
import dev.asyncio.TaskGroup;
import dev.asyncio.TaskGroupBody;
import dev.asyncio.TaskGroupError;
import dev.asyncio.Timeout;
import dev.asyncio.TimeoutBody;
import dev.asyncio.TimeoutError;
import dev.asyncio.TimerHandle;
import dev.asyncio.WaitResult;
import dev.asyncio.Yielder;
import dev.asyncio.net.Connection;
import dev.asyncio.net.ConnectionHandler;
import dev.asyncio.net.IncompleteReadError;
import dev.asyncio.net.LimitOverrunError;
import dev.asyncio.net.Server;
import dev.asyncio.net.ServerOptions;
import dev.asyncio.net.StreamOptions;
import dev.asyncio.net.StreamReader;
import dev.asyncio.net.StreamWriter;
import dev.asyncio.net.Streams;
import dev.asyncio.test.AsyncTest;
import dev.asyncio.test.OrderedSteps;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API contract (docs/api.md), compiled from outside the {@code dev.asyncio} packages: every class,
 * constructor, method and record component it lists for {@code dev.asyncio} and {@code dev.asyncio.net} is
 * referenced here with its exact parameter and return types, so that renaming, dropping or retyping one
 * breaks this file. Where a call would need a running loop (or a second thread, or a TLS peer) the method is
 * taken as a method reference of the exact functional type instead. The tests then run a representative
 * call of each group, on virtual time.
 *
 * <p>docs/api.md and the code agreed on every item when this was written; a line that stops compiling is a
 * contract change: either docs/api.md or the code is wrong.
 */
class ApiContractTest {

    // ---------------------------------------------------------------- exact functional shapes

    /** {@code (double, A) -> R}: a primitive first parameter, which java.util.function cannot express. */
    @FunctionalInterface
    interface DoubleAnd<A, R> {
        R apply(double d, A a);
    }

    /** {@code (A, double) -> R}. */
    @FunctionalInterface
    interface AndDouble<A, R> {
        R apply(A a, double d);
    }

    /** {@code (A, double, B) -> R}. */
    @FunctionalInterface
    interface AndDoubleAnd<A, B, R> {
        R apply(A a, double d, B b);
    }

    /** {@code (A, B, C) -> R}. */
    @FunctionalInterface
    interface Tri<A, B, C, R> {
        R apply(A a, B b, C c);
    }

    /** {@code (A, B, C, D) -> R}. */
    @FunctionalInterface
    interface Quad<A, B, C, D, R> {
        R apply(A a, B b, C c, D d);
    }

    /** {@code (A, int) -> R}. */
    @FunctionalInterface
    interface AndInt<A, R> {
        R apply(A a, int i);
    }

    /** {@code (A, boolean) -> R}. */
    @FunctionalInterface
    interface AndBoolean<A, R> {
        R apply(A a, boolean b);
    }

    /** {@code A -> double}. */
    @FunctionalInterface
    interface ToDouble<A> {
        double apply(A a);
    }

    /** {@code A -> int}. */
    @FunctionalInterface
    interface ToInt<A> {
        int apply(A a);
    }

    /** {@code A -> boolean}. */
    @FunctionalInterface
    interface ToBoolean<A> {
        boolean apply(A a);
    }

    /** {@code (A, double) -> void}. */
    @FunctionalInterface
    interface AndDoubleVoid<A> {
        void apply(A a, double d);
    }

    /** {@code (A, int) -> void}. */
    @FunctionalInterface
    interface AndIntVoid<A> {
        void apply(A a, int i);
    }

    /** {@code (A, boolean) -> void}. */
    @FunctionalInterface
    interface AndBooleanVoid<A> {
        void apply(A a, boolean b);
    }

    /** {@code int -> R}. */
    @FunctionalInterface
    interface FromInt<R> {
        R apply(int i);
    }

    /** {@code boolean -> R}. */
    @FunctionalInterface
    interface FromBoolean<R> {
        R apply(boolean b);
    }

    /** {@code (String, int) -> R}. */
    @FunctionalInterface
    interface HostPort<R> {
        R apply(String host, int port);
    }

    /** {@code (String, int, O) -> R}. */
    @FunctionalInterface
    interface HostPortAnd<O, R> {
        R apply(String host, int port, O options);
    }

    /** {@code (H, String, int) -> R}. */
    @FunctionalInterface
    interface HandlerHostPort<H, R> {
        R apply(H handler, String host, int port);
    }

    /** {@code (H, String, int, O) -> R}. */
    @FunctionalInterface
    interface HandlerHostPortAnd<H, O, R> {
        R apply(H handler, String host, int port, O options);
    }

    // ---------------------------------------------------------------- the whole surface, by reference

    /**
     * Binds every listed method to a variable of its exact type. Creating method references runs nothing, so
     * this needs no loop; it is a test so that the file is compiled and the references are checked to exist.
     */
    @Test
    void everyListedSignatureIsPublicWithItsExactTypes() {
        List<Object> refs = new ArrayList<>();

        // interface Coroutine<T> { T call() throws Exception; }  interface AsyncRunnable { void run() throws Exception; }
        Coroutine<String> coroutine = () -> "x";
        AsyncRunnable runnable = () -> { };
        refs.add(coroutine);
        refs.add(runnable);

        // interface Awaitable<T> { T await(); boolean done(); }
        Function<Awaitable<String>, String> awaitableAwait = Awaitable::await;
        ToBoolean<Awaitable<String>> awaitableDone = Awaitable::done;
        refs.add(awaitableAwait);
        refs.add(awaitableDone);

        // class Future<T> implements Awaitable<T>
        Supplier<Future<String>> futureNew = Future::new;
        ToBoolean<Future<String>> futureDone = Future::done;
        ToBoolean<Future<String>> futureCancelled = Future::cancelled;
        Function<Future<String>, String> futureResult = Future::result;
        Function<Future<String>, Throwable> futureException = Future::exception;
        BiConsumer<Future<String>, String> futureSetResult = Future::setResult;
        BiConsumer<Future<String>, Throwable> futureSetException = Future::setException;
        ToBoolean<Future<String>> futureCancel = Future::cancel;
        BiFunction<Future<String>, String, Boolean> futureCancelMsg = Future::cancel;
        BiConsumer<Future<String>, Consumer<? super Future<String>>> futureAddDoneCallback = Future::addDoneCallback;
        BiFunction<Future<String>, Consumer<? super Future<String>>, Integer> futureRemoveDoneCallback = Future::removeDoneCallback;
        Function<Future<String>, AsyncLoop> futureLoop = Future::loop;
        Function<Future<String>, CompletableFuture<String>> futureToCompletableFuture = Future::toCompletableFuture;
        Function<Future<String>, String> futureAwait = Future::await;
        Awaitable<String> futureIsAwaitable = (Future<String>) null;
        refs.addAll(List.of(futureNew, futureDone, futureCancelled, futureResult, futureException, futureSetResult,
                futureSetException, futureCancel, futureCancelMsg, futureAddDoneCallback, futureRemoveDoneCallback,
                futureLoop, futureToCompletableFuture, futureAwait));
        assertNull(futureIsAwaitable);

        // final class Task<T> extends Future<T>
        Function<Task<String>, String> taskGetName = Task::getName;
        BiConsumer<Task<String>, String> taskSetName = Task::setName;
        ToInt<Task<String>> taskCancelling = Task::cancelling;
        ToInt<Task<String>> taskUncancel = Task::uncancel;
        Future<String> taskIsFuture = (Task<String>) null;
        refs.addAll(List.of(taskGetName, taskSetName, taskCancelling, taskUncancel));
        assertNull(taskIsFuture);

        // interface Handle { void cancel(); boolean cancelled(); }  interface TimerHandle extends Handle { double when(); }
        Consumer<Handle> handleCancel = Handle::cancel;
        ToBoolean<Handle> handleCancelled = Handle::cancelled;
        ToDouble<TimerHandle> timerWhen = TimerHandle::when;
        Handle timerIsHandle = (TimerHandle) null;
        refs.addAll(List.of(handleCancel, handleCancelled, timerWhen));
        assertNull(timerIsHandle);

        // final class AsyncLoop implements AutoCloseable
        Supplier<AsyncLoop> loopCreate = AsyncLoop::create;
        Supplier<AsyncLoop.Builder> loopBuilder = AsyncLoop::builder;
        AndBoolean<AsyncLoop.Builder, AsyncLoop.Builder> builderVirtualTime = AsyncLoop.Builder::virtualTime;
        AndBoolean<AsyncLoop.Builder, AsyncLoop.Builder> builderDebug = AsyncLoop.Builder::debug;
        Function<AsyncLoop.Builder, AsyncLoop> builderBuild = AsyncLoop.Builder::build;
        BiFunction<AsyncLoop, Coroutine<String>, String> loopRunCoroutine = AsyncLoop::runUntilComplete;
        BiConsumer<AsyncLoop, AsyncRunnable> loopRunRunnable = AsyncLoop::runUntilComplete;
        Consumer<AsyncLoop> loopRunForever = AsyncLoop::runForever;
        Consumer<AsyncLoop> loopStop = AsyncLoop::stop;
        ToBoolean<AsyncLoop> loopIsRunning = AsyncLoop::isRunning;
        ToBoolean<AsyncLoop> loopIsClosed = AsyncLoop::isClosed;
        Consumer<AsyncLoop> loopClose = AsyncLoop::close;
        BiFunction<AsyncLoop, Runnable, Handle> loopCallSoon = AsyncLoop::callSoon;
        BiFunction<AsyncLoop, Runnable, Handle> loopCallSoonThreadsafe = AsyncLoop::callSoonThreadsafe;
        AndDoubleAnd<AsyncLoop, Runnable, TimerHandle> loopCallLater = AsyncLoop::callLater;
        AndDoubleAnd<AsyncLoop, Runnable, TimerHandle> loopCallAt = AsyncLoop::callAt;
        ToDouble<AsyncLoop> loopTime = AsyncLoop::time;
        BiFunction<AsyncLoop, Coroutine<String>, Task<String>> loopCreateTask = AsyncLoop::createTask;
        BiFunction<AsyncLoop, AsyncRunnable, Task<Void>> loopCreateTaskRunnable = AsyncLoop::createTask;
        Function<AsyncLoop, Future<String>> loopCreateFuture = AsyncLoop::createFuture;
        Tri<AsyncLoop, Executor, Callable<String>, Future<String>> loopRunInExecutor = AsyncLoop::runInExecutor;
        AndBooleanVoid<AsyncLoop> loopSetDebug = AsyncLoop::setDebug;
        ToBoolean<AsyncLoop> loopGetDebug = AsyncLoop::getDebug;
        BiConsumer<AsyncLoop, BiConsumer<AsyncLoop, Map<String, Object>>> loopSetExceptionHandler = AsyncLoop::setExceptionHandler;
        BiConsumer<AsyncLoop, Map<String, Object>> loopCallExceptionHandler = AsyncLoop::callExceptionHandler;
        AutoCloseable loopIsAutoCloseable = (AsyncLoop) null;
        refs.addAll(List.of(loopCreate, loopBuilder, builderVirtualTime, builderDebug, builderBuild, loopRunCoroutine,
                loopRunRunnable, loopRunForever, loopStop, loopIsRunning, loopIsClosed, loopClose, loopCallSoon,
                loopCallSoonThreadsafe, loopCallLater, loopCallAt, loopTime, loopCreateTask, loopCreateTaskRunnable,
                loopCreateFuture, loopRunInExecutor, loopSetDebug, loopGetDebug, loopSetExceptionHandler,
                loopCallExceptionHandler));
        assertNull(loopIsAutoCloseable);
        // .transport(...) is listed without a type; it takes the IoTransport enum.
        Function<AsyncLoop.Builder, AsyncLoop.Builder> builderTransport = b -> b.transport(dev.asyncio.IoTransport.NIO);
        refs.add(builderTransport);

        // final class Asyncio
        Function<Coroutine<String>, String> run = Asyncio::run;
        Consumer<AsyncRunnable> runRunnable = Asyncio::run;
        AndBoolean<Coroutine<String>, String> runDebug = Asyncio::run;
        Supplier<AsyncLoop> getRunningLoop = Asyncio::getRunningLoop;
        Supplier<Task<?>> currentTask = Asyncio::currentTask;
        Supplier<Set<Task<?>>> allTasks = Asyncio::allTasks;
        Function<Coroutine<String>, Task<String>> createTask = Asyncio::createTask;
        BiFunction<Coroutine<String>, String, Task<String>> createTaskNamed = Asyncio::createTask;
        Tri<Coroutine<String>, String, Context, Task<String>> createTaskInContext = Asyncio::createTask;
        Function<AsyncRunnable, Task<Void>> createTaskRunnable = Asyncio::createTask;
        java.util.function.DoubleConsumer sleep = Asyncio::sleep;
        Consumer<Duration> sleepDuration = Asyncio::sleep;
        Function<Awaitable<? extends String>[], List<String>> gatherArray = Asyncio::gather;
        Function<List<? extends Awaitable<? extends String>>, List<String>> gatherList = Asyncio::gather;
        BiFunction<Boolean, Awaitable<?>[], List<Object>> gatherReturnExceptions = Asyncio::gather;
        AndDouble<Awaitable<String>, String> waitFor = Asyncio::waitFor;
        DoubleAnd<Coroutine<String>, String> timeout = Asyncio::timeout;
        DoubleAnd<TimeoutBody<String>, String> timeoutWithHandle = Asyncio::timeout;
        DoubleAnd<Coroutine<String>, String> timeoutAt = Asyncio::timeoutAt;
        DoubleAnd<TimeoutBody<String>, String> timeoutAtWithHandle = Asyncio::timeoutAt;
        AndDoubleAnd<Collection<? extends Future<String>>, ReturnWhen, WaitResult<String>> waitFs = Asyncio::wait;
        Function<Collection<? extends Awaitable<String>>, Iterable<Future<String>>> asCompleted = Asyncio::asCompleted;
        AndDouble<Collection<? extends Awaitable<String>>, Iterable<Future<String>>> asCompletedTimeout = Asyncio::asCompleted;
        Function<Awaitable<String>, String> shield = Asyncio::shield;
        Function<Callable<String>, String> toThread = Asyncio::toThread;
        Function<CompletionStage<String>, String> awaitStage = Asyncio::await;
        BiFunction<Coroutine<String>, AsyncLoop, java.util.concurrent.Future<String>> runCoroutineThreadsafe =
                Asyncio::runCoroutineThreadsafe;
        refs.addAll(List.of(run, runRunnable, runDebug, getRunningLoop, currentTask, allTasks, createTask,
                createTaskNamed, createTaskInContext, createTaskRunnable, sleep, sleepDuration, gatherArray, gatherList,
                gatherReturnExceptions, waitFor, timeout, timeoutWithHandle, timeoutAt, timeoutAtWithHandle, waitFs,
                asCompleted, asCompletedTimeout, shield, toThread, awaitStage, runCoroutineThreadsafe));

        // enum ReturnWhen, final class Timeout, interface TimeoutBody<T>, record WaitResult<T>
        List<ReturnWhen> returnWhens = List.of(ReturnWhen.FIRST_COMPLETED, ReturnWhen.FIRST_EXCEPTION, ReturnWhen.ALL_COMPLETED);
        assertEquals(List.of(ReturnWhen.values()), returnWhens);
        ToDouble<Timeout> timeoutWhen = Timeout::when;
        AndDoubleVoid<Timeout> timeoutReschedule = Timeout::reschedule;
        ToBoolean<Timeout> timeoutExpired = Timeout::expired;
        TimeoutBody<String> timeoutBody = t -> "x";
        BiFunction<Set<Future<String>>, Set<Future<String>>, WaitResult<String>> waitResultNew = WaitResult::new;
        Function<WaitResult<String>, Set<Future<String>>> waitResultDone = WaitResult::done;
        Function<WaitResult<String>, Set<Future<String>>> waitResultPending = WaitResult::pending;
        Record waitResultIsRecord = (WaitResult<String>) null;
        refs.addAll(List.of(timeoutWhen, timeoutReschedule, timeoutExpired, timeoutBody, waitResultNew, waitResultDone,
                waitResultPending));
        assertNull(waitResultIsRecord);

        // final class TaskGroup, TaskGroupError, TaskGroupBody<T>
        Function<TaskGroupBody<String>, String> taskGroupRun = TaskGroup::run;
        BiFunction<TaskGroup, Coroutine<String>, Task<String>> groupCreateTask = TaskGroup::createTask;
        Tri<TaskGroup, Coroutine<String>, String, Task<String>> groupCreateTaskNamed = TaskGroup::createTask;
        Consumer<TaskGroup> groupCancel = TaskGroup::cancel;
        Function<TaskGroupError, List<Throwable>> groupErrorExceptions = TaskGroupError::exceptions;
        TaskGroupBody<String> taskGroupBody = g -> "x";
        refs.addAll(List.of(taskGroupRun, groupCreateTask, groupCreateTaskNamed, groupCancel, groupErrorExceptions,
                taskGroupBody));

        // class Queue<T> (also PriorityQueue<T>, LifoQueue<T>)
        Supplier<Queue<String>> queueNew = Queue::new;
        FromInt<Queue<String>> queueNewBounded = Queue::new;
        Supplier<PriorityQueue<String>> priorityNew = PriorityQueue::new;
        FromInt<PriorityQueue<String>> priorityNewBounded = PriorityQueue::new;
        Supplier<LifoQueue<String>> lifoNew = LifoQueue::new;
        FromInt<LifoQueue<String>> lifoNewBounded = LifoQueue::new;
        Queue<String> priorityIsQueue = (PriorityQueue<String>) null;
        Queue<String> lifoIsQueue = (LifoQueue<String>) null;
        BiConsumer<Queue<String>, String> queuePut = Queue::put;
        Function<Queue<String>, String> queueGet = Queue::get;
        BiConsumer<Queue<String>, String> queuePutNowait = Queue::putNowait;
        Function<Queue<String>, String> queueGetNowait = Queue::getNowait;
        ToInt<Queue<String>> queueQsize = Queue::qsize;
        ToInt<Queue<String>> queueMaxsize = Queue::maxsize;
        ToBoolean<Queue<String>> queueEmpty = Queue::empty;
        ToBoolean<Queue<String>> queueFull = Queue::full;
        Consumer<Queue<String>> queueTaskDone = Queue::taskDone;
        Consumer<Queue<String>> queueJoin = Queue::join;
        Consumer<Queue<String>> queueShutdown = Queue::shutdown;
        AndBooleanVoid<Queue<String>> queueShutdownImmediate = Queue::shutdown;
        refs.addAll(List.of(queueNew, queueNewBounded, priorityNew, priorityNewBounded, lifoNew, lifoNewBounded,
                queuePut, queueGet, queuePutNowait, queueGetNowait, queueQsize, queueMaxsize, queueEmpty, queueFull,
                queueTaskDone, queueJoin, queueShutdown, queueShutdownImmediate));
        assertNull(priorityIsQueue);
        assertNull(lifoIsQueue);

        // Lock, Event, Condition, Semaphore, BoundedSemaphore, Barrier, Releaser
        Supplier<Lock> lockNew = Lock::new;
        Function<Lock, Releaser> lockAcquire = Lock::acquire;
        Consumer<Lock> lockRelease = Lock::release;
        ToBoolean<Lock> lockLocked = Lock::locked;
        Supplier<Event> eventNew = Event::new;
        Consumer<Event> eventSet = Event::set;
        Consumer<Event> eventClear = Event::clear;
        ToBoolean<Event> eventIsSet = Event::isSet;
        Consumer<Event> eventAwait = Event::await;
        Supplier<Condition> conditionNew = Condition::new;
        Function<Lock, Condition> conditionNewWithLock = Condition::new;
        Function<Condition, Releaser> conditionAcquire = Condition::acquire;
        Consumer<Condition> conditionRelease = Condition::release;
        ToBoolean<Condition> conditionLocked = Condition::locked;
        Consumer<Condition> conditionAwait = Condition::await;
        BiFunction<Condition, BooleanSupplier, Boolean> conditionAwaitFor = Condition::awaitFor;
        Consumer<Condition> conditionSignal = Condition::signal;
        AndIntVoid<Condition> conditionSignalN = Condition::signal;
        Consumer<Condition> conditionSignalAll = Condition::signalAll;
        FromInt<Semaphore> semaphoreNew = Semaphore::new;
        Function<Semaphore, Releaser> semaphoreAcquire = Semaphore::acquire;
        Consumer<Semaphore> semaphoreRelease = Semaphore::release;
        ToBoolean<Semaphore> semaphoreLocked = Semaphore::locked;
        FromInt<BoundedSemaphore> boundedNew = BoundedSemaphore::new;
        Semaphore boundedIsSemaphore = (BoundedSemaphore) null;
        FromInt<Barrier> barrierNew = Barrier::new;
        ToInt<Barrier> barrierAwait = Barrier::await;
        Consumer<Barrier> barrierReset = Barrier::reset;
        Consumer<Barrier> barrierAbort = Barrier::abort;
        ToInt<Barrier> barrierParties = Barrier::parties;
        ToInt<Barrier> barrierNWaiting = Barrier::nWaiting;
        ToBoolean<Barrier> barrierBroken = Barrier::broken;
        Consumer<Releaser> releaserClose = Releaser::close;
        AutoCloseable releaserIsAutoCloseable = (Releaser) null;
        refs.addAll(List.of(lockNew, lockAcquire, lockRelease, lockLocked, eventNew, eventSet, eventClear, eventIsSet,
                eventAwait, conditionNew, conditionNewWithLock, conditionAcquire, conditionRelease, conditionLocked,
                conditionAwait, conditionAwaitFor, conditionSignal, conditionSignalN, conditionSignalAll, semaphoreNew,
                semaphoreAcquire, semaphoreRelease, semaphoreLocked, boundedNew, barrierNew, barrierAwait, barrierReset,
                barrierAbort, barrierParties, barrierNWaiting, barrierBroken, releaserClose));
        assertNull(boundedIsSemaphore);
        assertNull(releaserIsAutoCloseable);

        // ContextVar<T>, ContextVar.Token<T>, Context
        Function<String, ContextVar<String>> contextVarNew = ContextVar::new;
        BiFunction<String, String, ContextVar<String>> contextVarNewWithDefault = ContextVar::new;
        Function<ContextVar<String>, String> contextVarGet = ContextVar::get;
        BiFunction<ContextVar<String>, String, String> contextVarGetFallback = ContextVar::get;
        BiFunction<ContextVar<String>, String, ContextVar.Token<String>> contextVarSet = ContextVar::set;
        BiConsumer<ContextVar<String>, ContextVar.Token<String>> contextVarReset = ContextVar::reset;
        Function<ContextVar<String>, String> contextVarName = ContextVar::name;
        Supplier<Context> contextCopyCurrent = Context::copyCurrent;
        BiFunction<Context, Callable<String>, String> contextRun = Context::run;
        refs.addAll(List.of(contextVarNew, contextVarNewWithDefault, contextVarGet, contextVarGetFallback, contextVarSet,
                contextVarReset, contextVarName, contextCopyCurrent, contextRun));

        // Generator<Y, S, R> implements Iterator<Y>, Iterable<Y>, AutoCloseable; Yielder<Y, S>; GeneratorBody<Y, S, R>
        Function<GeneratorBody<Integer, String, Long>, Generator<Integer, String, Long>> generatorOf = Generator::of;
        Function<Generator<Integer, String, Long>, Integer> generatorNext = Generator::next;
        BiFunction<Generator<Integer, String, Long>, String, Integer> generatorSend = Generator::send;
        BiFunction<Generator<Integer, String, Long>, Throwable, Integer> generatorThrowInto = Generator::throwInto;
        Consumer<Generator<Integer, String, Long>> generatorClose = Generator::close;
        Function<Generator<Integer, String, Long>, Long> generatorReturnValue = Generator::returnValue;
        Iterator<Integer> generatorIsIterator = (Generator<Integer, String, Long>) null;
        Iterable<Integer> generatorIsIterable = (Generator<Integer, String, Long>) null;
        AutoCloseable generatorIsAutoCloseable = (Generator<Integer, String, Long>) null;
        BiFunction<Yielder<Integer, String>, Integer, String> yielderYield = Yielder::yield;
        BiFunction<Yielder<Integer, String>, Generator<? extends Integer, String, Long>, Long> yielderYieldFrom = Yielder::yieldFrom;
        refs.addAll(List.of(generatorOf, generatorNext, generatorSend, generatorThrowInto, generatorClose,
                generatorReturnValue, yielderYield, yielderYieldFrom));
        assertNull(generatorIsIterator);
        assertNull(generatorIsIterable);
        assertNull(generatorIsAutoCloseable);

        // The exceptions: CancelledError and GeneratorExit extend Error, the others RuntimeException.
        Class<? extends Error> cancelledError = CancelledError.class;
        Class<? extends Error> generatorExit = GeneratorExit.class;
        Class<? extends RuntimeException> timeoutError = TimeoutError.class;
        Class<? extends RuntimeException> invalidStateError = InvalidStateError.class;
        Class<? extends RuntimeException> queueEmptyError = QueueEmpty.class;
        Class<? extends RuntimeException> queueFullError = QueueFull.class;
        Class<? extends RuntimeException> queueShutDown = QueueShutDown.class;
        Class<? extends RuntimeException> brokenBarrierError = BrokenBarrierError.class;
        Class<? extends RuntimeException> taskGroupError = TaskGroupError.class;
        for (Class<?> c : List.of(cancelledError, generatorExit, timeoutError, invalidStateError, queueEmptyError, queueFullError,
                queueShutDown, brokenBarrierError, taskGroupError)) {
            assertEquals("dev.asyncio", c.getPackageName(), c + " is in dev.asyncio");
        }

        // Package dev.asyncio.net
        HostPort<Connection> openConnection = Streams::openConnection;
        HostPortAnd<StreamOptions, Connection> openConnectionWithOptions = Streams::openConnection;
        HandlerHostPort<ConnectionHandler, Server> startServer = Streams::startServer;
        HandlerHostPortAnd<ConnectionHandler, ServerOptions, Server> startServerWithOptions = Streams::startServer;
        BiFunction<StreamReader, StreamWriter, Connection> connectionNew = Connection::new;
        Function<Connection, StreamReader> connectionReader = Connection::reader;
        Function<Connection, StreamWriter> connectionWriter = Connection::writer;
        Consumer<Connection> connectionClose = Connection::close;
        Record connectionIsRecord = (Connection) null;
        AutoCloseable connectionIsAutoCloseable = (Connection) null;
        ConnectionHandler handler = (r, w) -> { };
        Supplier<StreamOptions.Builder> streamOptionsBuilder = StreamOptions::builder;
        Supplier<StreamOptions> streamOptionsDefaults = StreamOptions::defaults;
        AndInt<StreamOptions.Builder, StreamOptions.Builder> streamOptionsLimit = StreamOptions.Builder::limit;
        BiFunction<StreamOptions.Builder, SslContext, StreamOptions.Builder> streamOptionsSsl = StreamOptions.Builder::ssl;
        BiFunction<StreamOptions.Builder, String, StreamOptions.Builder> streamOptionsServerHostname = StreamOptions.Builder::serverHostname;
        Function<StreamOptions.Builder, StreamOptions> streamOptionsBuild = StreamOptions.Builder::build;
        Supplier<ServerOptions.Builder> serverOptionsBuilder = ServerOptions::builder;
        Supplier<ServerOptions> serverOptionsDefaults = ServerOptions::defaults;
        AndInt<ServerOptions.Builder, ServerOptions.Builder> serverOptionsLimit = ServerOptions.Builder::limit;
        BiFunction<ServerOptions.Builder, SslContext, ServerOptions.Builder> serverOptionsSsl = ServerOptions.Builder::ssl;
        AndInt<ServerOptions.Builder, ServerOptions.Builder> serverOptionsBacklog = ServerOptions.Builder::backlog;
        Function<ServerOptions.Builder, ServerOptions> serverOptionsBuild = ServerOptions.Builder::build;
        refs.addAll(List.of(openConnection, openConnectionWithOptions, startServer, startServerWithOptions, connectionNew,
                connectionReader, connectionWriter, connectionClose, handler, streamOptionsBuilder, streamOptionsDefaults,
                streamOptionsLimit, streamOptionsSsl, streamOptionsServerHostname, streamOptionsBuild,
                serverOptionsBuilder, serverOptionsDefaults, serverOptionsLimit, serverOptionsSsl, serverOptionsBacklog,
                serverOptionsBuild));
        assertNull(connectionIsRecord);
        assertNull(connectionIsAutoCloseable);

        // StreamReader implements Iterable<byte[]>
        Supplier<StreamReader> readerNew = StreamReader::new;
        FromInt<StreamReader> readerNewWithLimit = StreamReader::new;
        BiConsumer<StreamReader, byte[]> readerFeedData = StreamReader::feedData;
        Consumer<StreamReader> readerFeedEof = StreamReader::feedEof;
        BiConsumer<StreamReader, Throwable> readerSetException = StreamReader::setException;
        Function<StreamReader, Throwable> readerException = StreamReader::exception;
        AndInt<StreamReader, byte[]> readerRead = StreamReader::read;
        Function<StreamReader, byte[]> readerReadLine = StreamReader::readLine;
        AndInt<StreamReader, byte[]> readerReadExactly = StreamReader::readExactly;
        BiFunction<StreamReader, byte[], byte[]> readerReadUntil = StreamReader::readUntil;
        ToBoolean<StreamReader> readerAtEof = StreamReader::atEof;
        Iterable<byte[]> readerIsIterable = (StreamReader) null;
        Function<IncompleteReadError, byte[]> incompletePartial = IncompleteReadError::partial;
        Function<IncompleteReadError, Integer> incompleteExpected = IncompleteReadError::expected;
        ToInt<LimitOverrunError> limitConsumed = LimitOverrunError::consumed;
        Class<? extends RuntimeException> incompleteReadError = IncompleteReadError.class;
        Class<? extends RuntimeException> limitOverrunError = LimitOverrunError.class;
        refs.addAll(List.of(readerNew, readerNewWithLimit, readerFeedData, readerFeedEof, readerSetException,
                readerException, readerRead, readerReadLine, readerReadExactly, readerReadUntil, readerAtEof,
                incompletePartial, incompleteExpected, limitConsumed, incompleteReadError,
                limitOverrunError));
        assertNull(readerIsIterable);

        // StreamWriter, Server
        BiConsumer<StreamWriter, byte[]> writerWrite = StreamWriter::write;
        BiConsumer<StreamWriter, Iterable<byte[]>> writerWriteLines = StreamWriter::writeLines;
        Consumer<StreamWriter> writerDrain = StreamWriter::drain;
        Consumer<StreamWriter> writerWriteEof = StreamWriter::writeEof;
        ToBoolean<StreamWriter> writerCanWriteEof = StreamWriter::canWriteEof;
        Consumer<StreamWriter> writerClose = StreamWriter::close;
        Consumer<StreamWriter> writerWaitClosed = StreamWriter::waitClosed;
        ToBoolean<StreamWriter> writerIsClosing = StreamWriter::isClosing;
        BiFunction<StreamWriter, String, Object> writerGetExtraInfo = StreamWriter::getExtraInfo;
        BiConsumer<StreamWriter, SslContext> writerStartTls = StreamWriter::startTls;
        ToInt<Server> serverPort = Server::port;
        Function<Server, List<InetSocketAddress>> serverSockets = Server::sockets;
        Consumer<Server> serverClose = Server::close;
        Consumer<Server> serverWaitClosed = Server::waitClosed;
        Consumer<Server> serverServeForever = Server::serveForever;
        ToBoolean<Server> serverIsServing = Server::isServing;
        AutoCloseable serverIsAutoCloseable = (Server) null;
        refs.addAll(List.of(writerWrite, writerWriteLines, writerDrain, writerWriteEof, writerCanWriteEof, writerClose,
                writerWaitClosed, writerIsClosing, writerGetExtraInfo, writerStartTls, serverPort, serverSockets,
                serverClose, serverWaitClosed, serverServeForever, serverIsServing));
        assertNull(serverIsAutoCloseable);

        assertTrue(refs.stream().allMatch(java.util.Objects::nonNull));
    }

    /** Every public class of docs/api.md that is final there is final here (so no subclass can bend the contract). */
    @Test
    void classesListedAsFinalAreFinal() {
        for (Class<?> c : List.of(Task.class, AsyncLoop.class, Asyncio.class, Timeout.class, TaskGroup.class,
                TaskGroupError.class, Lock.class, Event.class, Condition.class, BoundedSemaphore.class, Barrier.class,
                ContextVar.class, ContextVar.Token.class, Context.class, Generator.class, Streams.class,
                StreamOptions.class, ServerOptions.class, StreamReader.class, IncompleteReadError.class,
                LimitOverrunError.class, StreamWriter.class, Server.class)) {
            assertTrue(java.lang.reflect.Modifier.isFinal(c.getModifiers()), c + " is final");
        }
        for (Class<?> c : List.of(Future.class, Queue.class, Semaphore.class)) {
            assertFalse(java.lang.reflect.Modifier.isFinal(c.getModifiers()), c + " is open for extension");
        }
    }

    // ---------------------------------------------------------------- running it: no loop

    /** ContextVar, Context, Generator and a standalone StreamReader work with no loop running. */
    @Test
    void contextVariablesGeneratorsAndStandaloneReadersNeedNoLoop() {
        ContextVar<String> user = new ContextVar<>("user");
        ContextVar<String> lang = new ContextVar<>("lang", "en");
        assertEquals("user", user.name());
        assertThrows(NoSuchElementException.class, user::get);
        assertEquals("nobody", user.get("nobody"));
        assertEquals("en", lang.get());
        Context before = Context.copyCurrent();
        ContextVar.Token<String> token = user.set("alice");
        assertEquals("alice", user.get());
        String seenInCopy = before.run(() -> user.get("unset"));
        assertEquals("unset", seenInCopy);
        user.reset(token);
        assertEquals("none", user.get("none"));

        Generator<Integer, String, Long> gen = Generator.of(y -> {
            String reply = y.yield(1);
            assertEquals("two?", reply);
            long fromSub = y.yieldFrom(Generator.<Integer, String, Long>of(sub -> {
                sub.yield(2);
                return 20L;
            }));
            try {
                y.yield(3);
            } catch (IllegalArgumentException thrownIn) {
                y.yield(4);
            }
            return fromSub + 1;
        });
        assertEquals(1, gen.next());
        assertEquals(2, gen.send("two?"));
        assertEquals(3, gen.next());
        assertEquals(4, gen.throwInto(new IllegalArgumentException("in")));
        assertThrows(NoSuchElementException.class, gen::next);
        assertEquals(21L, gen.returnValue());
        gen.close();

        StreamReader reader = new StreamReader();
        StreamReader small = new StreamReader(4);
        reader.feedData("ab".getBytes(US_ASCII));
        reader.feedEof();
        assertFalse(reader.atEof());
        assertNull(reader.exception());
        RuntimeException broken = new IllegalStateException("broken");
        small.setException(broken);
        assertSame(broken, small.exception());
        // Reads that find what they need buffered do not suspend and work outside a task.
        assertArrayEquals("ab".getBytes(US_ASCII), reader.read(-1));
        assertTrue(reader.atEof());
        assertSame(broken, assertThrows(IllegalStateException.class, () -> small.read(1)));
    }

    /** Suspending outside a task fails with IllegalStateException, and so does a Future with no loop. */
    @Test
    void suspendingOutsideATaskIsAnIllegalState() {
        assertThrows(IllegalStateException.class, Future::new);
        assertThrows(IllegalStateException.class, () -> Asyncio.sleep(0));
        assertThrows(IllegalStateException.class, Asyncio::getRunningLoop);
        assertNull(Asyncio.currentTask());
    }

    /** Asyncio.run and a hand-made loop, with the Coroutine and AsyncRunnable overloads and a second thread. */
    @Test
    void runningProgramsAndLoops() throws Exception {
        String r = Asyncio.run(() -> {
            Asyncio.sleep(0);
            return "ran";
        });
        assertEquals("ran", r);
        List<String> log = new ArrayList<>();
        Asyncio.run(() -> {
            log.add("runnable");
        });
        Integer debugged = Asyncio.run(() -> Asyncio.getRunningLoop().getDebug() ? 1 : 0, true);
        assertEquals(List.of("runnable"), log);
        assertEquals(1, debugged);

        List<Map<String, Object>> reported = new ArrayList<>();
        try (AsyncLoop loop = AsyncLoop.builder().virtualTime(true).debug(false).transport(dev.asyncio.IoTransport.NIO).build()) {
            loop.setExceptionHandler((l, context) -> reported.add(context));
            assertFalse(loop.isRunning());
            double elapsed = loop.runUntilComplete(() -> {
                AsyncLoop running = Asyncio.getRunningLoop();
                assertSame(loop, running);
                assertTrue(running.isRunning());
                // Threads first, while no timer is pending: see the report (virtual clock and other threads).
                Future<String> inExecutor = running.runInExecutor(null, () -> "blocking");
                assertEquals("blocking", inExecutor.await());
                // A second thread submits coroutines, the way in besides callSoonThreadsafe.
                CompletableFuture<String> fromThread = new CompletableFuture<>();
                Thread other = new Thread(() -> {
                    try {
                        java.util.concurrent.Future<String> sub = Asyncio.runCoroutineThreadsafe(() -> "threadsafe", loop);
                        java.util.concurrent.Future<Void> subVoid = Asyncio.runCoroutineThreadsafe(() -> {
                            Asyncio.sleep(0);
                        }, loop);
                        assertNull(subVoid.get(10, TimeUnit.SECONDS));
                        fromThread.complete(sub.get(10, TimeUnit.SECONDS));
                    } catch (Throwable e) {
                        fromThread.completeExceptionally(e);
                    }
                });
                other.start();
                assertEquals("threadsafe", Asyncio.await(fromThread));
                other.join();
                assertEquals(0.0, running.time());

                running.setDebug(true);
                assertTrue(running.getDebug());
                running.setDebug(false);
                Future<String> f = running.createFuture();
                Handle soon = running.callSoon(() -> f.setResult("soon"));
                TimerHandle later = running.callLater(5, () -> { });
                TimerHandle at = running.callAt(running.time() + 10, () -> { });
                assertEquals(5.0, later.when());
                assertEquals(10.0, at.when());
                later.cancel();
                assertTrue(later.cancelled());
                assertFalse(soon.cancelled());
                assertEquals("soon", f.await());
                Task<Integer> t = running.createTask(() -> 7);
                Task<Void> v = running.createTask(() -> {
                    Asyncio.sleep(1);
                });
                assertEquals(7, t.await());
                assertNull(v.await());
                running.callExceptionHandler(Map.of("message", "reported on purpose"));
                Asyncio.sleep(10);
                return running.time();
            });
            assertEquals(11.0, elapsed);
            String viaThreadsafe = loop.runUntilComplete(() -> {
                Future<String> woken = Asyncio.getRunningLoop().createFuture();
                Handle h = Asyncio.getRunningLoop().callSoonThreadsafe(() -> woken.setResult("threadsafe callback"));
                assertFalse(h.cancelled());
                return woken.await();
            });
            assertEquals("threadsafe callback", viaThreadsafe);
            // runForever runs until stop(); callbacks may be scheduled before it starts.
            List<String> order = new ArrayList<>();
            loop.callSoon(() -> order.add("first iteration"));
            loop.callSoon(loop::stop);
            loop.runForever();
            assertFalse(loop.isRunning());
            assertEquals(List.of("first iteration"), order);
            assertFalse(loop.isClosed());
        }
        assertEquals(1, reported.size());
        assertEquals("reported on purpose", reported.get(0).get("message"));
    }

    // ---------------------------------------------------------------- running it: one task, virtual time

    @AsyncTest
    void futuresAndTasks(AsyncLoop loop, OrderedSteps steps) {
        Future<String> f = new Future<>();
        assertSame(loop, f.loop());
        assertFalse(f.done());
        assertThrows(InvalidStateError.class, f::result);
        List<String> callbacks = new ArrayList<>();
        Consumer<Future<String>> cb = done -> callbacks.add(done.result());
        f.addDoneCallback(cb);
        f.addDoneCallback(done -> callbacks.add("second"));
        assertEquals(1, f.removeDoneCallback(cb));
        CompletableFuture<String> cf = f.toCompletableFuture();
        loop.callLater(1, () -> f.setResult("one"));
        assertEquals("one", f.await());
        assertNull(f.exception());
        assertThrows(InvalidStateError.class, () -> f.setResult("twice"));
        Asyncio.sleep(0);
        assertEquals(List.of("second"), callbacks);
        assertEquals("one", Asyncio.await(cf));

        Future<String> failed = loop.createFuture();
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        failed.setException(boom);
        assertSame(boom, failed.exception());
        assertSame(boom, assertThrows(IllegalArgumentException.class, failed::await));

        Future<String> cancelled = loop.createFuture();
        assertTrue(cancelled.cancel("because"));
        assertTrue(cancelled.cancelled());
        assertFalse(cancelled.cancel());
        assertEquals("because", assertThrows(CancelledError.class, cancelled::result).getMessage());
        assertThrows(CancelledError.class, cancelled::exception);

        steps.expect(1);
        Task<String> child = Asyncio.createTask(() -> {
            steps.expect(3);
            Asyncio.sleep(Double.POSITIVE_INFINITY);
            return "never";
        }, "child");
        assertEquals("child", child.getName());
        child.setName("renamed");
        assertEquals("renamed", child.getName());
        steps.expect(2);
        Asyncio.sleep(0);
        assertTrue(child.cancel());
        assertEquals(1, child.cancelling());
        assertThrows(CancelledError.class, child::await);
        assertTrue(child.cancelled());
        Task<?> me = Asyncio.currentTask();
        assertNotNull(me);
        assertTrue(Asyncio.allTasks().contains(me));
        assertEquals(0, me.uncancel());
        steps.finish(4);
    }

    @AsyncTest
    void asyncioFunctions(AsyncLoop loop) throws Exception {
        Asyncio.sleep(Duration.ofMillis(1500));
        assertEquals(1.5, loop.time());

        Task<Integer> one = Asyncio.createTask(() -> {
            Asyncio.sleep(1);
            return 1;
        });
        Task<Integer> two = Asyncio.createTask(() -> {
            Asyncio.sleep(2);
            return 2;
        }, "two");
        Task<Integer> three = Asyncio.createTask(() -> 3, "three", Context.copyCurrent());
        Task<Void> nothing = Asyncio.createTask(() -> {
            Asyncio.sleep(0);
        });
        List<Integer> gathered = Asyncio.gather(one, two, three);
        assertEquals(List.of(1, 2, 3), gathered);
        List<Integer> gatheredList = Asyncio.gather(List.of(one, two));
        assertEquals(List.of(1, 2), gatheredList);
        Task<Integer> failing = Asyncio.createTask(() -> {
            throw new IllegalStateException("fails");
        });
        List<Object> withExceptions = Asyncio.gather(true, one, failing, nothing);
        assertEquals(1, withExceptions.get(0));
        assertInstanceOf(IllegalStateException.class, withExceptions.get(1));
        assertNull(withExceptions.get(2));

        Integer waited = Asyncio.waitFor(Asyncio.createTask(() -> {
            Asyncio.sleep(1);
            return 5;
        }), 2);
        assertEquals(5, waited);
        Task<Integer> slow = Asyncio.createTask(() -> {
            Asyncio.sleep(10);
            return 6;
        });
        assertThrows(TimeoutError.class, () -> Asyncio.waitFor(slow, 1));
        assertTrue(slow.cancelled());

        String inTime = Asyncio.timeout(5, () -> {
            Asyncio.sleep(1);
            return "in time";
        });
        assertEquals("in time", inTime);
        Asyncio.timeout(5, () -> {
            Asyncio.sleep(1);
        });
        double when = Asyncio.timeout(5, (Timeout t) -> {
            assertFalse(t.expired());
            t.reschedule(Double.POSITIVE_INFINITY);
            Asyncio.sleep(6);
            return t.when();
        });
        assertEquals(Double.POSITIVE_INFINITY, when);
        Asyncio.timeout(5, (Timeout t) -> {
            t.reschedule(t.when() + 1);
            return null;
        });
        assertThrows(TimeoutError.class, () -> Asyncio.timeout(1, () -> {
            Asyncio.sleep(2);
        }));
        String atDeadline = Asyncio.timeoutAt(loop.time() + 1, () -> "at");
        assertEquals("at", atDeadline);
        String atWithHandle = Asyncio.timeoutAt(loop.time() + 1, (Timeout t) -> t.expired() ? "expired" : "active");
        assertEquals("active", atWithHandle);
        // An implicitly typed lambda whose body is a method call: no void overload may make this ambiguous.
        String viaCall = Asyncio.timeout(5, t -> String.valueOf(t.expired()));
        assertEquals("false", viaCall);

        Task<Integer> fast = Asyncio.createTask(() -> {
            Asyncio.sleep(1);
            return 1;
        });
        Task<Integer> late = Asyncio.createTask(() -> {
            Asyncio.sleep(3);
            return 3;
        });
        WaitResult<Integer> first = Asyncio.wait(List.of(fast, late), 10, ReturnWhen.FIRST_COMPLETED);
        assertEquals(Set.of(fast), first.done());
        assertEquals(Set.of(late), first.pending());
        List<Integer> inOrder = new ArrayList<>();
        for (Future<Integer> done : Asyncio.asCompleted(List.of(late, Asyncio.createTask(() -> 0)))) {
            inOrder.add(done.result());
        }
        assertEquals(List.of(0, 3), inOrder);
        Task<Integer> tooSlow = Asyncio.createTask(() -> {
            Asyncio.sleep(10);
            return 10;
        });
        Iterator<Future<Integer>> timingOut = Asyncio.asCompleted(List.of(tooSlow), 1).iterator();
        assertThrows(TimeoutError.class, timingOut::next);
        assertEquals(10, tooSlow.await());          // asCompleted's time-out does not cancel

        Task<String> shielded = Asyncio.createTask(() -> {
            Asyncio.sleep(1);
            return "shielded";
        });
        String s = Asyncio.shield(shielded);
        assertEquals("shielded", s);
        Integer shieldedCoroutine = Asyncio.shield(() -> {
            Asyncio.sleep(1);
            return 7;
        });
        assertEquals(7, shieldedCoroutine);
        Asyncio.shield(() -> {
            Asyncio.sleep(1);
        });
        Integer waitedCoroutine = Asyncio.waitFor(() -> {
            Asyncio.sleep(1);
            return 8;
        }, 2);
        assertEquals(8, waitedCoroutine);
        Asyncio.waitFor(() -> {
            Asyncio.sleep(1);
        }, 2);
        Asyncio.timeoutAt(loop.time() + 2, () -> {
            Asyncio.sleep(1);
        });
        Asyncio.timeoutAt(loop.time() + 2, (Timeout t) -> {
            t.reschedule(t.when() + 1);
            return null;
        });
        Task<Void> named = Asyncio.createTask(() -> {
            Asyncio.sleep(0);
        }, "named runnable");
        assertEquals("named runnable", named.getName());
        named.await();

        String fromThread = Asyncio.toThread(() -> Thread.currentThread().isVirtual() ? "virtual" : "platform");
        assertEquals("virtual", fromThread);
        String fromStage = Asyncio.await(CompletableFuture.supplyAsync(() -> "stage"));
        assertEquals("stage", fromStage);
    }

    @AsyncTest
    void taskGroups() {
        // An implicitly typed expression lambda, as docs/api.md's single run(TaskGroupBody<T>) allows.
        List<Task<Integer>> viaCall = TaskGroup.run(g -> List.of(g.createTask(() -> 1), g.createTask(() -> 2, "two")));
        assertEquals(List.of(1, 2), List.of(viaCall.get(0).result(), viaCall.get(1).result()));
        List<Task<Integer>> children = TaskGroup.run((TaskGroup g) -> List.of(
                g.createTask(() -> {
                    Asyncio.sleep(1);
                    return 1;
                }),
                g.createTask(() -> 2, "two")));
        assertEquals(1, children.get(0).result());
        assertEquals("two", children.get(1).getName());
        List<String> log = new ArrayList<>();
        TaskGroup.run(g -> {
            g.createTask(() -> {
                log.add("runnable child");
            });
            return null;
        });
        assertEquals(List.of("runnable child"), log);
        IllegalStateException boom = new IllegalStateException("boom");
        TaskGroupError error = assertThrows(TaskGroupError.class, () -> TaskGroup.run((TaskGroup g) -> {
            g.createTask(() -> {
                throw boom;
            });
            Asyncio.sleep(Double.POSITIVE_INFINITY);
            return null;
        }));
        assertEquals(List.of(boom), error.exceptions());
        Task<?>[] sleeper = new Task[1];
        TaskGroup.run(g -> {
            sleeper[0] = g.createTask(() -> {
                Asyncio.sleep(Double.POSITIVE_INFINITY);
            });
            Asyncio.sleep(1);
            g.cancel();
            return null;
        });
        assertTrue(sleeper[0].cancelled());
    }

    @AsyncTest
    void queuesLocksAndFriends(OrderedSteps steps) {
        Queue<String> q = new Queue<>(1);
        assertEquals(1, q.maxsize());
        q.put("a");
        assertTrue(q.full());
        assertThrows(QueueFull.class, () -> q.putNowait("b"));
        Task<Void> producer = Asyncio.createTask(() -> {
            q.put("b");
        });
        assertEquals("a", q.get());
        q.taskDone();
        Asyncio.sleep(0);
        assertEquals(1, q.qsize());
        assertEquals("b", q.getNowait());
        q.taskDone();
        q.join();
        assertTrue(q.empty());
        assertThrows(QueueEmpty.class, q::getNowait);
        assertNull(producer.await());
        q.putNowait("left");
        q.shutdown();
        assertThrows(QueueShutDown.class, () -> q.put("late"));
        assertEquals("left", q.get());
        assertThrows(QueueShutDown.class, q::get);
        Queue<String> unbounded = new Queue<>();
        unbounded.putNowait("x");
        unbounded.shutdown(true);
        assertTrue(unbounded.empty());
        PriorityQueue<Integer> pq = new PriorityQueue<>();
        pq.putNowait(3);
        pq.putNowait(1);
        assertEquals(1, pq.getNowait());
        assertEquals(2, new PriorityQueue<Integer>(2).maxsize());
        LifoQueue<Integer> stack = new LifoQueue<>(2);
        stack.putNowait(1);
        stack.putNowait(2);
        assertEquals(2, stack.getNowait());
        assertEquals(0, new LifoQueue<Integer>().maxsize());

        Lock lock = new Lock();
        steps.expect(1);
        Task<Void> contender;
        try (Releaser held = lock.acquire()) {
            assertTrue(lock.locked());
            contender = Asyncio.createTask(() -> {
                try (Releaser mine = lock.acquire()) {
                    steps.expect(3);
                }
            });
            Asyncio.sleep(0);
            steps.expect(2);
        }
        contender.await();
        lock.acquire();
        lock.release();
        assertFalse(lock.locked());

        Event event = new Event();
        Task<Void> waiter = Asyncio.createTask(() -> {
            event.await();
            steps.expect(5);
        });
        Asyncio.sleep(0);
        steps.expect(4);
        event.set();
        assertTrue(event.isSet());
        waiter.await();
        event.clear();
        assertFalse(event.isSet());

        Condition changed = new Condition();
        Condition sharing = new Condition(lock);
        List<Integer> items = new ArrayList<>();
        Task<Boolean> consumer = Asyncio.createTask(() -> {
            try (Releaser _ = changed.acquire()) {
                return changed.awaitFor(() -> !items.isEmpty());
            }
        });
        Task<Void> plainWaiter = Asyncio.createTask(() -> {
            try (Releaser _ = changed.acquire()) {
                changed.await();
            }
        });
        Asyncio.sleep(0);
        try (Releaser _ = changed.acquire()) {
            assertTrue(changed.locked());
            items.add(1);
            changed.signal();
            changed.signal(1);
            changed.signalAll();
        }
        assertTrue(consumer.await());
        plainWaiter.await();
        sharing.acquire();
        assertTrue(lock.locked());
        sharing.release();

        Semaphore permits = new Semaphore(1);
        try (Releaser _ = permits.acquire()) {
            assertTrue(permits.locked());
        }
        permits.acquire();
        permits.release();
        assertFalse(permits.locked());
        BoundedSemaphore bounded = new BoundedSemaphore(1);
        bounded.acquire();
        bounded.release();
        assertThrows(IllegalStateException.class, bounded::release);

        Barrier barrier = new Barrier(2);
        assertEquals(2, barrier.parties());
        Task<Integer> firstIn = Asyncio.createTask(barrier::await);
        Asyncio.sleep(0);
        assertEquals(1, barrier.nWaiting());
        int myIndex = barrier.await();
        assertEquals(1, myIndex);
        assertEquals(0, firstIn.await());
        Task<Integer> stuck = Asyncio.createTask(barrier::await);
        Asyncio.sleep(0);
        barrier.abort();
        assertTrue(barrier.broken());
        assertThrows(BrokenBarrierError.class, stuck::await);
        barrier.reset();
        assertFalse(barrier.broken());

        ContextVar<String> request = new ContextVar<>("request");
        request.set("r-1");
        Task<String> seesCopy = Asyncio.createTask(() -> request.get());
        request.set("r-2");
        assertEquals("r-1", seesCopy.await());
        steps.finish(6);
    }

    @AsyncTest
    void streams() throws Exception {
        ConnectionHandler echo = (reader, writer) -> {
            for (byte[] line : reader) {
                writer.write(line);
                writer.drain();
            }
        };
        SslContext clientTls = SslContextBuilder.forClient().build();
        StreamOptions tlsOptions = StreamOptions.builder().limit(1024).ssl(clientTls).serverHostname("example.org").build();
        assertSame(clientTls, tlsOptions.ssl());
        ServerOptions serverOptions = ServerOptions.builder().limit(1024).ssl(null).backlog(10).build();
        Server server = Streams.startServer(echo, "127.0.0.1", 0, serverOptions);
        Server other = Streams.startServer((r, w) -> w.write(r.readExactly(1)), "127.0.0.1", 0);
        try {
            assertTrue(server.isServing());
            assertEquals(List.of(new InetSocketAddress("127.0.0.1", server.port())), server.sockets());
            try (Connection c = Streams.openConnection("127.0.0.1", server.port(), StreamOptions.defaults())) {
                StreamWriter w = c.writer();
                StreamReader r = c.reader();
                w.write("hello\n".getBytes(US_ASCII));
                w.writeLines(List.of("wor".getBytes(US_ASCII), "ld\nrest".getBytes(US_ASCII), "\n".getBytes(US_ASCII)));
                w.drain();
                assertEquals("hello\n", new String(r.readLine(), US_ASCII));
                assertEquals("world\n", new String(r.readUntil("\n".getBytes(US_ASCII)), US_ASCII));
                assertEquals("re", new String(r.readExactly(2), US_ASCII));
                assertEquals("st\n", new String(r.read(10), US_ASCII));
                assertEquals(new InetSocketAddress("127.0.0.1", server.port()), w.getExtraInfo("peername"));
                assertTrue(w.canWriteEof());
                w.writeEof();
                assertEquals(0, r.read(-1).length);
                assertTrue(r.atEof());
                w.close();
                assertTrue(w.isClosing());
                w.waitClosed();
            }
            Connection c2 = Streams.openConnection("127.0.0.1", other.port());
            c2.writer().write("x".getBytes(US_ASCII));
            c2.writer().writeEof();
            IncompleteReadError incomplete = assertThrows(IncompleteReadError.class, () -> c2.reader().readExactly(2));
            assertArrayEquals("x".getBytes(US_ASCII), incomplete.partial());
            assertEquals(2, incomplete.expected());
            c2.close();
            c2.writer().waitClosed();
        } finally {
            server.close();
            other.close();
            server.waitClosed();
            other.waitClosed();
        }
        assertFalse(server.isServing());

        StreamReader limited = new StreamReader(4);
        limited.feedData("abcdefgh".getBytes(US_ASCII));
        LimitOverrunError overrun = assertThrows(LimitOverrunError.class, () -> limited.readUntil("\n".getBytes(US_ASCII)));
        assertTrue(overrun.consumed() > 4);
        assertEquals(8, limited.buffered());        // readUntil leaves the data in the buffer
        assertThrows(LimitOverrunError.class, limited::readLine);
        assertEquals(0, limited.buffered());        // readLine clears it
        Task<byte[]> lineReader = Asyncio.createTask(limited::readLine);
        Asyncio.sleep(0);
        limited.feedData("ok\n".getBytes(US_ASCII));
        assertArrayEquals("ok\n".getBytes(US_ASCII), lineReader.await());
        limited.feedEof();
        assertTrue(limited.atEof());

        Server forever = Streams.startServer((r, w) -> { }, "127.0.0.1", 0);
        Task<Void> serving = Asyncio.createTask(forever::serveForever);
        Asyncio.sleep(0);
        serving.cancel();
        assertThrows(CancelledError.class, serving::await);
        assertFalse(forever.isServing());
        forever.waitClosed();
    }
}
