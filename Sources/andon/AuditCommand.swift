import AndonCore
import AndonStore
import AndonStorePostgres
import ArgumentParser
import Foundation

/// `andon audit`: check, export and follow a plant's audit log, without disturbing a running writer.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Verify, export and follow a plant's audit log.",
        discussion: "Exit status: 0 when all is well, 1 when verify finds tampering, 2 when the store can't be read.",
        subcommands: [Verify.self, Export.self, Tail.self]
    )
}

extension AuditCommand {
    /// `andon audit verify`: walk the hash chain.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the hash chain; name the first bad record if there is one.")

        @OptionGroup var location: AuditStoreLocation

        @Option(help: """
            The public key that signed the checkpoints (default: the plant's signing key's .pub). In a shared store each \
            runtime signs with its own key: give RUNTIME=PATH once per runtime (a bare PATH is for the streams not named).
            """)
        var publicKey: [String] = []

        func run() throws {
            var keys: [String: PublicSigningKey] = [:]
            var anyKey: PublicSigningKey?
            for argument in publicKey {
                let (stream, path) = argument.firstIndex(of: "=").map { (String(argument[..<$0]), String(argument[argument.index(after: $0)...])) } ?? (nil, argument)
                guard let key = PublicSigningKey.load(path: path) else {
                    printError("andon audit: \(TerminalText.printable(path)) does not hold a public signing key")
                    throw ExitCode(2)
                }
                if let stream { keys[stream] = key } else { anyKey = key }
            }
            if publicKey.isEmpty { anyKey = (try? location.defaultSigningKeyPath()).flatMap { PublicSigningKey.load(path: $0 + ".pub") } }
            var isBroken = false
            try location.withLogs { logs, shared in
                for (stream, log) in logs {
                    let key = stream.flatMap { keys[$0] } ?? (location.runtime.flatMap { keys[$0] }) ?? anyKey
                    let (result, anchors) = (try log.verify(), try log.verifyAnchors(publicKey: key))
                    let prefix = stream.map { "stream \($0): " } ?? ""
                    print(prefix + result.description)
                    for line in anchors.lines { print(prefix + line) }
                    if !result.isIntact || anchors.isBroken { isBroken = true }
                }
                if let shared {
                    // The anchors every commit of every stream wrote: a stream cut short shows against the others'.
                    let anchors = try SharedAnchors.verify(address: shared)
                    for line in anchors.lines { print(line.hasPrefix("anchors:") ? line : "anchors: " + line) }
                    if anchors.isBroken { isBroken = true }
                }
            }
            if isBroken { throw ExitCode(1) }
        }
    }

    /// `andon audit export`: the log as JSON lines.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the log out: one canonical JSON object per record on standard output (jsonl), or a self-contained archive (sqlite).")

        /// Export formats.
        enum Format: String, ExpressibleByArgument, CaseIterable {
            case jsonl
            case sqlite
        }

        @OptionGroup var location: AuditStoreLocation

        @Option(help: "Output format: jsonl (standard output) or sqlite (a self-contained copy of the store at --output, with its head file).")
        var format: Format

        @Option(help: "Where the sqlite archive goes (never over an existing file).")
        var output: String?

        @Option(help: "Only records committed since TIME: an ISO 8601 time (2026-11-21T12:00:00Z) or a duration ago (15m, 2h, 1d).")
        var since: String?

        func validate() throws {
            if format == .sqlite, let store = location.store, SharedStoreAddress.isShared(store) {
                throw ValidationError("--format sqlite archives a SQLite store; a shared store exports as jsonl (--runtime ID for one stream)")
            }
            if format == .sqlite, output == nil { throw ValidationError("--format sqlite writes an archive file: give it --output PATH") }
            if format == .sqlite, since != nil { throw ValidationError("--since applies to jsonl; a sqlite archive holds the whole log, as its chain needs") }
            if format == .jsonl, output != nil { throw ValidationError("--format jsonl writes to standard output; redirect it, or use --format sqlite --output PATH") }
            if let since, WallTime.since(since, now: Date()) == nil {
                throw ValidationError("--since expects an ISO 8601 time (2026-11-21T12:00:00Z) or a duration (90s, 15m, 2h, 1d), not '\(since)'")
            }
        }

        func run() throws {
            if format == .sqlite, let path = output {
                try location.withStore { try $0.exportArchive(to: path) }
                print("archive: \(path) (and \(path).head); check it with andon audit verify --store \(path)")
                return
            }
            let start = since.flatMap { WallTime.since($0, now: Date()) }
            var output = StandardOutput()
            try location.withLogs { logs, _ in
                for (stream, log) in logs {
                    try log.exportJSONLines(since: start) { line in
                        // Several streams: each object says whose it is.
                        if let stream, line.hasPrefix("{") {
                            output.write("{\"runtime\":\"\(stream)\",\(line.dropFirst())\n")
                        } else {
                            output.write(line + "\n")
                        }
                    }
                }
            }
            output.flush()
        }
    }

    /// `andon audit tail`: the last records, one line each, optionally following new ones.
    struct Tail: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the last records, one line each; with --follow, keep showing new ones.")

        @OptionGroup var location: AuditStoreLocation

        @Option(name: .short, help: "How many records to show first.")
        var n = 10

        @Flag(help: "Keep polling for new records until interrupted.")
        var follow = false

        @Option(help: .hidden)
        var pollInterval = 0.5

        func validate() throws {
            guard n >= 0 else { throw ValidationError("-n expects a count of zero or more, not \(n)") }
        }

        func run() throws {
            var output = StandardOutput()
            try location.withLogs { logs, shared in
                var last: [Int64] = []
                for (stream, log) in logs {
                    last.append(try show(log.lastRecords(n), of: stream, to: &output) ?? log.lastRecords(1).last?.sequence ?? 0)
                }
                // A shared store says when a stream commits (LISTEN/NOTIFY, ids only): the rows are read then, and at
                // least every few seconds in case a notice was missed. A SQLite store is polled.
                let committed = DispatchSemaphore(value: 0)
                let listener = follow ? shared.flatMap { address in
                    try? SharedStoreListener(address: address) { notice in
                        if case .records = notice { committed.signal() }
                    }
                } : nil
                defer { listener?.stop() }
                while follow {
                    if listener?.isListening == true {
                        _ = committed.wait(timeout: .now() + 5)
                        while committed.wait(timeout: .now()) == .success {}
                    } else {
                        Thread.sleep(forTimeInterval: pollInterval)
                    }
                    for (index, (stream, log)) in logs.enumerated() {
                        last[index] = try show(log.records(after: last[index], limit: 1000), of: stream, to: &output) ?? last[index]
                    }
                }
            }
        }

        /// Writes the records and returns the last sequence shown, or nil when there were none.
        private func show(_ records: [AuditRecord], of stream: String?, to output: inout StandardOutput) -> Int64? {
            for record in records { output.write((stream.map { "[\($0)] " } ?? "") + record.summaryLine() + "\n") }
            output.flush()
            return records.last?.sequence
        }
    }
}

/// The `--store PATH` option every audit subcommand takes; without it, the default store of `--plant`.
struct AuditStoreLocation: ParsableArguments {
    @Option(help: "The audit store file, or postgres://user@host:port/db for a shared store (default: the plant's store, $XDG_STATE_HOME/andon/<plant-id>.sqlite).")
    var store: String?

    @Option(help: "The file holding the PostgreSQL store's password (readable by its owner only); without it, PGPASSWORD.")
    var storePasswordFile: String?

    @Option(help: "In a shared store, only this runtime's stream (default: every stream).")
    var runtime: String?

    @Option(help: "The plant whose default store to read when --store is not given.")
    var plant = "demo/plant.yaml"

    /// The store named, or the plant's default one.
    func resolvedPath() throws -> String {
        if let store { return store }
        do {
            return AuditStore.defaultPath(plantID: try PlantSpec.load(path: plant).id)
        } catch {
            FileHandle.standardError.write(Data("andon audit: no --store given and the plant cannot be read:\n\(error)\n".utf8))
            throw ExitCode(2)
        }
    }

    /// The default signing key of the plant named by `--plant`.
    func defaultSigningKeyPath() throws -> String {
        AuditStore.defaultSigningKeyPath(plantID: try PlantSpec.load(path: plant).id)
    }

    /// Opens the log or logs named for reading and runs `body` with them: a SQLite store's one log (no stream id), or
    /// a shared store's `--runtime` stream or every stream, with the shared store's address for its anchors. Store
    /// errors go to standard error with exit status 2.
    func withLogs<T>(_ body: ([(stream: String?, log: any AuditLog)], SharedStoreAddress?) throws -> T) throws -> T {
        guard let store, SharedStoreAddress.isShared(store) else {
            return try withStore { try body([(nil, $0)], nil) }
        }
        if runtime != nil, store.contains("runtime=") {
            printError("andon audit: give the stream either in the URL (runtime=) or with --runtime, not both")
            throw ExitCode(2)
        }
        let address = try SharedStoreCLI.address(store, passwordFile: storePasswordFile, runtime: runtime)
        var opened: [SharedAuditStore] = []
        defer { opened.forEach { $0.close() } }
        do {
            let streams = try address.runtimeID.map { [$0] } ?? SharedAuditStore.streamIDs(address: address)
            for stream in streams { opened.append(try SharedAuditStore(address: address, runtimeID: stream, access: .read)) }
            let named = address.runtimeID != nil
            return try body(opened.map { (named ? nil : $0.runtimeID, $0) }, named ? nil : address)
        } catch let error as AuditStoreError {
            FileHandle.standardError.write(Data("andon audit: \(TerminalText.printable(error.message))\n".utf8))
            throw ExitCode(2)
        }
    }

    /// Opens the SQLite store for reading and runs `body`; store errors go to standard error with exit status 2.
    func withStore<T>(_ body: (AuditStore) throws -> T) throws -> T {
        do {
            let store = try AuditStore(path: try resolvedPath(), access: .read)
            defer { store.close() }
            return try body(store)
        } catch let error as AuditStoreError {
            FileHandle.standardError.write(Data("andon audit: \(TerminalText.printable(error.message))\n".utf8))
            throw ExitCode(2)
        }
    }
}

/// Buffered writes to standard output, flushed in large chunks and on demand.
private struct StandardOutput {
    private var buffer: [UInt8] = []

    mutating func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 64 * 1024 { flush() }
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}
