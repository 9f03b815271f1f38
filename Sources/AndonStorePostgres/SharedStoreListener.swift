import AndonStore
import Foundation
import PostgresNIO

/// Hears what the shared store commits, through LISTEN/NOTIFY on a connection of its own: ids only, so a listener
/// reads the rows itself (a notice is a hint to look, never the record). Notices are sent when their transaction
/// commits; a listener that was away re-reads what it follows rather than count on notices it missed.
public final class SharedStoreListener: @unchecked Sendable {
    /// What was committed.
    public enum Notice: Sendable, Hashable {
        /// Records of a stream up to `sequence`.
        case records(runtimeID: String, sequence: Int64)
        /// An approval was requested or changed.
        case approval(id: String)
        /// An approved action waits in `runtimeID`'s outbox.
        case outbox(runtimeID: String, approvalID: String)
    }

    private let connection: StoreConnection
    private var contexts: [PostgresListenContext] = []

    /// Starts listening on the schema's channels; `onNotice` runs on the connection's event loop, so it should only
    /// hand the notice on (to a queue, a mailbox, a continuation).
    public init(address: SharedStoreAddress, onNotice: @escaping @Sendable (Notice) -> Void) throws {
        connection = try StoreConnection.open(address)
        for name in ["audit", "approval", "outbox"] {
            let channel = address.schema + "_" + name
            let context = connection.connection.addListener(channel: channel) { _, response in
                if let notice = Self.notice(channel: name, payload: response.payload) { onNotice(notice) }
            }
            contexts.append(context)
            try connection.execute("LISTEN \(SharedSchema.quote(channel))")
        }
    }

    /// True while its connection is open (a lost one hears nothing more).
    public var isListening: Bool { !connection.isClosed }

    /// Stops listening and closes the connection.
    public func stop() {
        for context in contexts { context.stop() }
        contexts.removeAll()
        connection.close()
    }

    deinit { connection.close() }

    /// The notice a payload on one of the channels carries, or nil when it is not one Andon sends.
    static func notice(channel: String, payload: String) -> Notice? {
        let words = payload.split(separator: " ").map(String.init)
        switch (channel, words.count) {
        case ("audit", 2): return Int64(words[1]).map { .records(runtimeID: words[0], sequence: $0) }
        case ("approval", 1): return .approval(id: words[0])
        case ("outbox", 2): return .outbox(runtimeID: words[0], approvalID: words[1])
        default: return nil
        }
    }
}
