import Foundation

/// Tuning of the C allocator for a long run, through glibc's `mallopt` and `malloc_trim`, looked up at run time
/// (Swift's Glibc module does not export <malloc.h>; elsewhere these do nothing).
enum ProcessMemory {
    /// One allocator arena for the whole process. The runtime builds snapshots on its threads and the console
    /// frees them on its own; with an arena per thread, glibc keeps the freed space of one arena from the other,
    /// and a 10,000-cell console crept by about 2 MB a second (230 MB to 363 MB in 70 s), where with one arena it
    /// holds level. The threads allocate a few times a second at most, so they hardly ever wait for each other.
    static func useOneArena() {
        typealias SetOption = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let arenaMax: Int32 = -8  // M_ARENA_MAX
        _ = unsafeBitCast(symbol, to: SetOption.self)(arenaMax, 1)
    }

    /// Hands freed pages back to the system. A plant file of 10,000 cells composes to a YAML document tree of
    /// about 150 MB that is garbage once the plant is read; without this the process keeps those pages for the
    /// whole run, on top of what the engine allocates.
    static func releaseFreePages() {
        typealias Trim = @convention(c) (Int) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: Trim.self)(0)
    }
}
