<?php

declare(strict_types=1);

namespace OSS\Native;

use FFI;
use FFI\CData;

/**
 * The stack of PHP callables one FFI trampoline dispatches to (see ProgressCallback for why there is one
 * trampoline per kind and process). Each native call that takes the trampoline pushes its callable (enter()) and
 * pops it afterwards (leave()); libossrs calls the trampoline only on the calling thread during that call, so the
 * top of the stack is always the running call. Nothing may be thrown through C frames: a Throwable is kept in its
 * frame and dispatch() returns 1 (stop), as it does when the callable returns false.
 */
final class TrampolineFrames
{
    /** @var list<array{0: callable, 1: ?\Throwable}> */
    private array $frames = [];
    private string $kind;
    /** The `struct { <type> fn; }` holding the one trampoline, and its function pointer. */
    private ?CData $holder = null;
    private ?CData $pointer = null;

    public function __construct(string $kind)
    {
        $this->kind = $kind;
    }

    /**
     * The one trampoline of this kind: a C function pointer of type $type (`oss_progress_fn`, …) made from
     * $trampoline the first time, the same pointer afterwards ($trampoline is then not used).
     */
    public function pointer(FFI $ffi, string $type, \Closure $trampoline): CData
    {
        if ($this->pointer === null) {
            $holder = $ffi->new('struct { ' . $type . ' fn; }');
            $holder->fn = $trampoline;
            $this->holder = $holder;
            $this->pointer = $holder->fn;
        }
        return $this->pointer;
    }

    /** @return int the frame to pass to leave() */
    public function enter(callable $callable): int
    {
        $this->frames[] = [$callable, null];
        return count($this->frames) - 1;
    }

    /** Ends the frame entered last and returns what its callable threw, if anything. */
    public function leave(int $frame): ?\Throwable
    {
        if ($frame !== count($this->frames) - 1) {
            throw new \LogicException($this->kind . ' frames left out of order');
        }
        [, $thrown] = array_pop($this->frames);
        return $thrown;
    }

    /** Number of calls running now. */
    public function depth(): int
    {
        return count($this->frames);
    }

    /**
     * Calls the top callable with $args.
     *
     * @return int 0 to go on, 1 to stop
     */
    public function dispatch(...$args): int
    {
        return $this->call(1, static fn ($result): int => $result === false ? 1 : 0, $args);
    }

    /**
     * Calls the top callable with $args and returns the int it returned (a count of bytes).
     *
     * @return int what the callable returned, or -1 (stop) when it threw or an earlier call of the frame did
     */
    public function produce(...$args): int
    {
        return $this->call(-1, static fn ($result): int => (int) $result, $args);
    }

    /**
     * @param \Closure(mixed): int $map what the C caller gets for the callable's result
     * @param array<mixed> $args
     */
    private function call(int $stop, \Closure $map, array $args): int
    {
        $top = count($this->frames) - 1;
        if ($top < 0 || $this->frames[$top][1] !== null) {
            return $stop;
        }
        try {
            return $map(($this->frames[$top][0])(...$args));
        } catch (\Throwable $e) {
            $this->frames[$top][1] = $e;
            return $stop;
        }
    }

    /**
     * Runs $call with $callable on top of the stack and rethrows what $callable threw in place of $call's own
     * exception (libossrs reports only that the callback stopped it).
     *
     * @template T
     * @param callable(): T $call
     * @return T
     */
    public function around(callable $callable, callable $call)
    {
        $frame = $this->enter($callable);
        try {
            return $call();
        } catch (\Throwable $e) {
            $thrown = $this->leave($frame);
            $frame = null;
            throw $thrown ?? $e;
        } finally {
            if ($frame !== null) {
                $this->leave($frame);
            }
        }
    }
}
