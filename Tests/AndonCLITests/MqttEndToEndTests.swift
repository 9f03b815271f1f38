import Foundation
import Testing

/// A recorded stream through a real Mosquitto broker into `andon run --telemetry -`.
@Suite(.serialized)
struct MqttEndToEndTests {
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    static var andon: String { root.appendingPathComponent(".build/debug/andon").path }
    static let recording = "demo/telemetry/riverside-10m.jsonl"

    /// Bad lines mixed into the stream, with the reason each must be counted under.
    static let badLines: [(String, String)] = [
        (#"{"schema":1,"source":"gw","seq":1,"ts":1767592801,"cell":"Q7"}"#, "unknown_cell"),
        (#"{"schema":1,"source":"gw","seq":2,"ts":1767592801,"cell":"B1","readings":{"vibration":{"value":1.2,"unit":"in/s"}}}"#, "wrong_unit"),
        ("this is not json", "malformed"),
    ]

    @Test(.enabled(if: MqttBroker.isAvailable, "mosquitto and mosquitto-clients are not installed (.ci/run installs them: apt-get install mosquitto mosquitto-clients)"))
    func recordedStreamThroughTheBrokerGivesTheFileReport() throws {
        let broker = try MqttBroker()
        defer { broker.stop() }
        let recorded = try String(contentsOf: Self.root.appendingPathComponent(Self.recording), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        var stream = recorded
        // A duplicate of the first message and three bad lines, spread through the stream.
        stream.insert(recorded[0], at: 30)
        for (k, bad) in Self.badLines.enumerated() { stream.insert(bad.0, at: 200 + 1000 * k) }
        let streamFile = broker.folder.appendingPathComponent("stream.jsonl")
        try (stream.joined(separator: "\n") + "\n").write(to: streamFile, atomically: true, encoding: .utf8)

        let sub = try #require(MqttBroker.find("mosquitto_sub")), pub = try #require(MqttBroker.find("mosquitto_pub"))
        let session = "-h 127.0.0.1 -p \(broker.port) -i andon-e2e -c -q 1 -t 'plant/#'"
        // Register a persistent session first, so nothing published before the pipeline connects is lost.
        try shell("\(sub) \(session) -E")
        let rejects = broker.folder.appendingPathComponent("rejects.jsonl").path
        let pipeline = try start(
            "\(sub) \(session) -F '%p' -C \(stream.count) -W 120 | \(Self.andon) run --plant demo/plant.yaml --store :memory: "
                + "--rejects \(rejects) --telemetry - --headless --report json")
        try shell("\(pub) -h 127.0.0.1 -p \(broker.port) -q 1 -t plant/riverside/telemetry -l < \(streamFile.path)")
        let viaBroker = try pipeline.finish()
        #expect(viaBroker.status == 0, "\(viaBroker.error)")

        let report = try #require(try JSONSerialization.jsonObject(with: Data(viaBroker.output.utf8)) as? [String: Any])
        let telemetry = try #require(report["telemetry"] as? [String: Any])
        #expect(telemetry["accepted"] as? Int == recorded.count)
        var expected = ["duplicate": 1]
        for bad in Self.badLines { expected[bad.1, default: 0] += 1 }
        #expect(telemetry["rejected_by_reason"] as? [String: Int] == expected)
        let rejectLines = try String(contentsOfFile: rejects, encoding: .utf8).split(separator: "\n")
        #expect(rejectLines.count == 4)
        #expect(rejectLines.first?.contains("\"line\":31") == true)

        // The final state of every cell is what the recording last said about it.
        let cells = try #require(report["cells"] as? [String: [String: Any]])
        var last: [String: [String: Any]] = [:]
        for line in recorded {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            last[object["cell"] as! String] = object
        }
        #expect(cells.count == last.count)
        for (cell, message) in last {
            #expect(cells[cell]?["produced"] as? Int == message["produced"] as? Int, "\(cell)")
            #expect(cells[cell]?["final_state"] as? String == message["state"] as? String, "\(cell)")
        }

        // The broker path and the file path give the same report, apart from wall-clock figures.
        let viaFile = try shell("\(Self.andon) run --plant demo/plant.yaml --store :memory: --rejects none --telemetry \(streamFile.path) --headless --report json")
        #expect(try deterministic(viaBroker.output) == deterministic(viaFile.output))
    }

    private func deterministic(_ json: String) throws -> NSDictionary {
        var object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        object["measured"] = nil
        return object as NSDictionary
    }

    struct Outcome {
        var status: Int32
        var output: String
        var error: String
    }

    final class Running {
        let process: Process
        let out: URL, err: URL
        init(process: Process, out: URL, err: URL) {
            self.process = process
            self.out = out
            self.err = err
        }

        func finish() throws -> Outcome {
            process.waitUntilExit()
            return Outcome(status: process.terminationStatus, output: try String(contentsOf: out, encoding: .utf8),
                           error: try String(contentsOf: err, encoding: .utf8))
        }

        deinit {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
    }

    /// Starts a shell command line in the repository root, output to temporary files.
    private func start(_ command: String) throws -> Running {
        let process = Process()
        let bash = FileManager.default.isExecutableFile(atPath: "/bin/bash")
        process.executableURL = URL(fileURLWithPath: bash ? "/bin/bash" : "/bin/sh")
        process.arguments = bash ? ["-o", "pipefail", "-c", command] : ["-c", command]
        process.currentDirectoryURL = Self.root
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("andon-e2e-\(UUID().uuidString).out")
        let err = FileManager.default.temporaryDirectory.appendingPathComponent("andon-e2e-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        try process.run()
        return Running(process: process, out: out, err: err)
    }

    @discardableResult
    private func shell(_ command: String) throws -> Outcome {
        let outcome = try start(command).finish()
        #expect(outcome.status == 0, "\(command): \(outcome.error)")
        return outcome
    }
}
