import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where a runtime's socket lives and who may reach it: `$XDG_RUNTIME_DIR/andon/<plant-id>.sock`, else
/// `/run/andon/<plant-id>.sock` when that can be made, else `/tmp/andon-<uid>/<plant-id>.sock`. Its folder is 0700
/// (0750, group-owned, when a group is named, so operators in that group can attach); the socket is 0660.
public enum ServiceSocket {
    /// The default socket of a plant.
    public static func defaultPath(plantID: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let name = plantID.replacingOccurrences(of: "/", with: "_") + ".sock"
        if let runtime = environment["XDG_RUNTIME_DIR"], runtime.hasPrefix("/") {
            return (runtime as NSString).appendingPathComponent("andon/\(name)")
        }
        if access("/run", W_OK) == 0 { return "/run/andon/\(name)" }
        return "/tmp/andon-\(getuid())/\(name)"
    }

    /// Makes the socket's folder (0700, or 0750 owned by `group`), and removes a stale socket left by a runtime that
    /// is gone; throws when another runtime serves the path.
    static func prepare(_ path: String, group: String?) throws {
        let folder = (path as NSString).deletingLastPathComponent
        if !FileManager.default.fileExists(atPath: folder) {
            guard mkdir(folder, 0o700) == 0 || errno == EEXIST else {
                throw ServiceError("cannot create the socket's folder \(folder): \(String(cString: strerror(errno)))")
            }
        }
        var mode: mode_t = 0o700
        if let group {
            guard let entry = getgrnam(group) else { throw ServiceError("no group named \(group) for the socket's folder") }
            chown(folder, getuid(), entry.pointee.gr_gid)
            mode = 0o750
        }
        chmod(folder, mode)
        guard FileManager.default.fileExists(atPath: path) else { return }
        if isServed(path) { throw ServiceError("another runtime serves \(path); stop it, or give this one --socket PATH") }
        unlink(path)
    }

    /// True when something accepts connections on `path`.
    static func isServed(_ path: String) -> Bool {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8.prefix(MemoryLayout.size(ofValue: address.sun_path) - 1))
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in bytes.enumerated() { raw[i] = byte }
            raw[bytes.count] = 0
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        return connected == 0
    }
}

extension ServiceSocket {
    /// The socket a console should attach to when none is named: the only one serving in the usual places (this user's
    /// runtime folder, `/run/andon`, `/tmp/andon-*`), or the one of `plantID` among several. Throws, listing them,
    /// when it cannot tell.
    public static func find(plantID: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        var folders: [String] = []
        if let runtime = environment["XDG_RUNTIME_DIR"], runtime.hasPrefix("/") { folders.append((runtime as NSString).appendingPathComponent("andon")) }
        folders.append("/run/andon")
        let temporary = (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []
        folders += temporary.filter { $0.hasPrefix("andon-") }.sorted().map { "/tmp/\($0)" }
        var found: [String] = []
        for folder in folders {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.hasSuffix(".sock") {
                let path = (folder as NSString).appendingPathComponent(name)
                if !found.contains(path), isServed(path) { found.append(path) }
            }
        }
        if let plantID {
            let name = plantID.replacingOccurrences(of: "/", with: "_") + ".sock"
            let matching = found.filter { ($0 as NSString).lastPathComponent == name }
            if matching.count == 1 { return matching[0] }
        }
        guard found.count == 1 else {
            if found.isEmpty { throw ServiceError("no runtime is serving here (start one with andon serve or andon demo, or give --socket PATH)") }
            throw ServiceError("several runtimes are serving; say which with --socket: " + found.joined(separator: ", "))
        }
        return found[0]
    }
}
