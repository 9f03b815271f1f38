import Foundation
import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// Who the kernel says is at the other end of a Unix socket (`SO_PEERCRED`): what a person is, never a name typed.
struct PeerCredentials: Sendable, Hashable {
    /// The peer's user id.
    let uid: UInt32
    /// Its group id.
    let gid: UInt32
    /// Its process id.
    let pid: Int32

    /// The login name of the user, from the password database (`uid N` when it has none).
    var login: String {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0, result != nil, let name = entry.pw_name else { return "uid \(uid)" }
        return String(cString: name)
    }

    /// The peer of `channel`, asked of the kernel.
    static func of(_ channel: any Channel) -> EventLoopFuture<PeerCredentials> {
        guard let provider = channel as? any SocketOptionProvider else {
            return channel.eventLoop.makeFailedFuture(ServiceError("the socket cannot say who its peer is"))
        }
        let credentials: EventLoopFuture<KernelCredentials> = provider.unsafeGetSocketOption(level: SocketOptionLevel(SOL_SOCKET),
                                                                                            name: SocketOptionName(SO_PEERCRED))
        return credentials.map { PeerCredentials(uid: $0.uid, gid: $0.gid, pid: $0.pid) }
    }

    /// This process's own credentials (for a console of the runtime's own process).
    static var current: PeerCredentials {
        PeerCredentials(uid: getuid(), gid: getgid(), pid: getpid())
    }
}

/// Linux's `struct ucred`, laid out as the kernel writes it (glibc hides the type behind `_GNU_SOURCE`).
struct KernelCredentials: Sendable {
    var pid: Int32 = 0
    var uid: UInt32 = 0
    var gid: UInt32 = 0
}

/// A service failure, in words.
public struct ServiceError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public let description: String
    init(_ description: String) { self.description = description }
}
