package io.ecap.hotpath.state;

import java.nio.MappedByteBuffer;
import net.openhft.posix.MAdviseFlag;
import net.openhft.posix.PosixAPI;
import org.agrona.BufferUtil;

/**
 * Asks the kernel to back the state's file mappings with 2 MiB pages where it can ({@code madvise(MADV_HUGEPAGE)}).
 * The writer reaches records and index slots at random across hundreds of megabytes: with 4 KiB pages nearly every
 * access also misses the TLB, and a page walk in a virtual machine costs several memory reads. Linux (6.x, with large
 * folios on ext4 and on tmpfs) then allocates the page cache of these files in 2 MiB folios and maps them whole. The
 * files, their contents and their durability are the same; where the kernel cannot, the advice does nothing.
 *
 * <p>Off unless {@code -Decap.hugepages=true}: on this kernel (6.18, ext4), with the advice on the mappings of a state
 * built in the data folder, a read of one of its files through {@code read()} while or after the mapping was used now
 * and then returned another version of a 2 MiB index file than the one it holds (a snapshot's content digest, and a
 * backup's copy of it, saw it; 4 runs of 5-40 of {@code BackupRestoreTest} under load, none of 60 with the advice
 * off), which made a sound snapshot look damaged. Such reads were seen without the advice too since, far more rarely;
 * snapshot digests are read again before a snapshot is called damaged ({@code SparseFiles.settledDigest}). The
 * default state lives on tmpfs, which this machine maps in 4 KiB pages whatever the advice says, so the default loses
 * nothing.
 */
final class HugePages {
    private static final boolean ENABLED = Boolean.getBoolean("ecap.hugepages");
    private static final long PAGE = 4096;

    private HugePages() {
    }

    /** Advises the mapping's whole pages; returns whether the kernel took the advice. */
    static boolean advise(final MappedByteBuffer mapped) {
        if (!ENABLED) {
            return false;
        }
        final long address = BufferUtil.address(mapped);
        final long start = (address + PAGE - 1) & -PAGE;
        final long end = (address + mapped.capacity()) & -PAGE;
        if (end <= start) {
            return false;
        }
        try {
            return PosixAPI.posix().madvise(start, end - start, MAdviseFlag.MADV_HUGEPAGE) == 0;
        } catch (final RuntimeException | LinkageError e) {
            return false;
        }
    }
}
