import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The standard `process_*` figures of the running process, read from `/proc/self` (Linux).
struct ProcessFigures {
    var cpuSeconds: Double
    var residentBytes: Double
    var virtualBytes: Double
    var startTimeSeconds: Double
    var openFileDescriptors: Double
    var maxFileDescriptors: Double

    /// Reads them now; figures that cannot be read are 0.
    static func current() -> ProcessFigures {
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let page = Double(sysconf(Int32(_SC_PAGESIZE)))
        var figures = ProcessFigures(cpuSeconds: 0, residentBytes: 0, virtualBytes: 0, startTimeSeconds: 0, openFileDescriptors: 0, maxFileDescriptors: 0)
        if let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") {
            // Fields after the command name, which may hold spaces: state is field 3, so index 0 here.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            func field(_ number: Int) -> Double { fields.count > number - 3 ? Double(fields[number - 3]) ?? 0 : 0 }
            figures.cpuSeconds = (field(14) + field(15)) / ticks
            figures.virtualBytes = field(23)
            figures.residentBytes = field(24) * page
            figures.startTimeSeconds = bootTime() + field(22) / ticks
        }
        figures.openFileDescriptors = Double((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.count ?? 0)
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 { figures.maxFileDescriptors = Double(limit.rlim_cur) }
        return figures
    }

    /// Seconds since the epoch when the machine booted (`btime` in `/proc/stat`).
    private static func bootTime() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst(6).trimmingCharacters(in: .whitespaces)) ?? 0
        }
        return 0
    }
}
