import AndonCore
import AndonStore
import Foundation
import Testing

/// What every audit store behind ``AuditLog`` must do, run against SQLite always and PostgreSQL when a server is named.
@Suite("The audit store contract")
struct AuditLogContractTests {
    @Test(arguments: StoreBackend.available)
    func appendedRecordsFormAChainAndReadBack(_ backend: StoreBackend) throws {
        let place = try StorePlace(backend)
        let store = try place.open(signed: false)
        defer { store.close() }
        let records = try store.append(entries(1...3), sync: false) + store.append([entry(4)], sync: true)

        #expect(records.map(\.sequence) == [1, 2, 3, 4])
        #expect(records[0].previousHash == AuditChain.genesisHash)
        for (earlier, later) in zip(records, records.dropFirst()) { #expect(later.previousHash == earlier.hash) }
        for record in records {
            #expect(record.hash == AuditChain.hash(of: record))
            #expect(record.wallTime == "2026-11-18T11:06:40.123Z")
        }
        #expect(try store.allRecords() == records)
        #expect(try store.records(after: 2, limit: 1) == [records[2]])
        #expect(try store.lastRecords(2) == Array(records[2...]))
        #expect(try store.count() == 4)
        #expect(store.head == (4, records[3].hash))
        #expect(store.health.isHealthy && store.health.records == 4)
        var lines: [String] = []
        try store.exportJSONLines(since: nil) { lines.append($0) }
        #expect(lines == records.map(\.jsonLine))
        #expect(try store.verify() == .intact(records: 4, head: records[3].hash))
        #expect(try store.append([], sync: true).isEmpty)
    }

    @Test(arguments: StoreBackend.available)
    func aReaderSeesTheWritersCommitsAndCannotAppend(_ backend: StoreBackend) throws {
        let place = try StorePlace(backend)
        let store = try place.open()
        defer { store.close() }
        try store.append(entries(1...2), sync: true)
        let reader = try place.reader()
        defer { reader.close() }
        #expect(try reader.allRecords().map(\.correlationID).prefix(2) == ["corr-1", "corr-2"])
        #expect(throws: AuditStoreError.self) { try reader.append([entry(9)], sync: true) }
        try store.append([entry(3)], sync: false)
        #expect(try reader.allRecords().contains { $0.correlationID == "corr-3" })
    }

    @Test(arguments: StoreBackend.available)
    func aSyncedCommitIsClosedBySignedCheckpointThatVerifies(_ backend: StoreBackend) throws {
        let place = try StorePlace(backend)
        let store = try place.open()
        let records = try store.append(entries(1...2), sync: true)
        #expect(records.map(\.kind) == [.approvalApproved, .proposal, .checkpoint])
        let checkpoint = try JSONDecoder().decode(AuditCheckpoint.self, from: Data(records[2].payload.utf8))
        #expect(checkpoint.sequence == 2 && checkpoint.hash == records[1].hash && checkpoint.key == place.key.publicKey.fingerprint)
        let report = try store.verifyAnchors(publicKey: place.key.publicKey)
        #expect(!report.isBroken, "\(report.lines)")
        #expect(report.lines.first?.hasPrefix("checkpoints: 1, signed by key") == true)
        store.close()
    }

    @Test(arguments: StoreBackend.available)
    func recoveryStartsFromTheSavedStateAndReadsOnlyWhatFollows(_ backend: StoreBackend) throws {
        let place = try StorePlace(backend)
        do {
            let store = try place.open()
            try store.append(entries(1...3), sync: false)
            try store.checkpoint(recoveryState: #"{"run":1}"#, closing: false)
            try store.append(entries(4...5), sync: false)
            store.close()
        }
        let reopened = try place.open()
        defer { reopened.close() }
        let point = try reopened.recoveryPoint()
        #expect(point.state == #"{"run":1}"#)
        #expect(point.stateSequence == 3)
        #expect(point.records.first?.kind == .checkpoint)
        #expect(point.records.filter { $0.kind != .checkpoint }.map(\.correlationID) == ["corr-4", "corr-5"])
        #expect(point.head?.sequence == reopened.head.sequence)
        #expect(reopened.openingNote?.contains("did not close cleanly") == true)
    }

    @Test(arguments: StoreBackend.available)
    func aCleanCloseIsAnchoredAndReopensQuietly(_ backend: StoreBackend) throws {
        let place = try StorePlace(backend)
        let store = try place.open()
        try store.append(entries(1...4), sync: false)
        try store.checkpoint(recoveryState: "{}", closing: true)
        store.close()
        let reopened = try place.open()
        #expect(reopened.openingNote == nil)
        #expect(try reopened.verify().isIntact)
        reopened.close()
    }

    @Test(arguments: StoreBackend.available)
    func aTailCutOffIsRefusedAtOpenAndFoundByVerify(_ backend: StoreBackend) throws {
        let place = try StorePlace(backend)
        let store = try place.open()
        try store.append(entries(1...3), sync: true)
        try store.append(entries(4...6), sync: true)
        store.close()
        try place.cutTail(after: 4)

        #expect {
            try place.open().close()
        } throws: { error in
            (error as? AuditStoreError)?.code == .untrusted && "\(error)".contains("cut off")
        }
        let reader = try place.reader()
        defer { reader.close() }
        #expect(try reader.verify().isIntact, "the chain alone cannot see a cut tail")
        let report = try reader.verifyAnchors(publicKey: place.key.publicKey)
        #expect(report.isBroken)
        #expect(report.lines.contains { $0.contains("cut off") })
    }

    @Test(arguments: StoreBackend.available)
    func anEditedRecordIsNamedByVerifyAndRefusedAtOpen(_ backend: StoreBackend) throws {
        let place = try StorePlace(backend)
        let store = try place.open()
        try store.append(entries(1...5), sync: true)
        store.close()
        try place.modify(3, payload: #"{"cell":"B9"}"#)

        let reader = try place.reader()
        defer { reader.close() }
        guard case let .tampered(tamper) = try reader.verify() else {
            Issue.record("verify did not notice an edited record")
            return
        }
        #expect(tamper.sequence == 3 && tamper.kind == .modified)
        #expect(throws: AuditStoreError.self) { try place.open().close() }
    }

    @Test(arguments: StoreBackend.available)
    func nothingIsWrittenAfterClose(_ backend: StoreBackend) throws {
        let place = try StorePlace(backend)
        let store = try place.open()
        try store.append([entry(1)], sync: true)
        store.close()
        #expect {
            try store.append([entry(2)], sync: true)
        } throws: { error in
            (error as? AuditStoreError)?.code == .closed
        }
    }
}
