package io.ecap.hotpath.state;

/** Where a new memory-mapped region goes to be faulted in ahead of the writer (see {@link Pretoucher}). */
@FunctionalInterface
public interface PageToucher {
    /** Nothing is touched ahead (tools, tests, replays). */
    PageToucher NONE = (owner, address, length) -> { };

    /** Faults in {@code length} bytes at {@code address}, which {@code owner} keeps mapped. */
    void touchOnce(Object owner, long address, long length);
}
