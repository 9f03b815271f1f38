import AndonConsole
import AndonCore
import AndonPolicy
import Foundation

/// What must hold for any bytes at all at each of Andon's doors: the fuzz targets assert it on generated input, and
/// the tests replay every kept input (the seed corpus and the inputs that once broke a door) through it.
///
/// At every door an input is either taken or refused with a reason; a refused configuration names its file, a line
/// inside the text and a column, and nothing it says can drive a terminal. Telemetry that is taken reads back the same
/// from its own encoding and is JSON that Foundation reads too. Nothing traps, hangs or runs out of memory (the fuzzer
/// watches for those).
public enum HostileInput {
    /// A door through which outside text reaches a parser.
    public enum Door: String, CaseIterable, Sendable {
        /// JSON lines of telemetry, through the parser and the validator of the demo plant.
        case telemetry
        /// A plant definition.
        case plant
        /// A policy file, compiled and asked one question when it loads.
        case policy
        /// An operator roster.
        case roster
        /// A scenario against the demo plant, its commands checked against the demo roster.
        case scenario
        /// A console theme file.
        case theme
        /// A policy request (`andon policy explain --request`), explained by the demo policy.
        case request
        /// What a client sends the service: frames, messages, a compressed stream, a snapshot patch.
        case wire
    }

    /// What went wrong when `bytes` went through `door`, or nil when everything that must hold held.
    public static func violation(at door: Door, _ bytes: UnsafeRawBufferPointer) -> String? {
        switch door {
        case .telemetry:
            return TelemetryDoor.violation(bytes)
        case .wire:
            return WireDoor.violation(bytes)
        case .plant:
            return ConfigDoor.violation(bytes) { text, file throws(ConfigErrors) in _ = try PlantSpec.parse(text, file: file) }
        case .policy:
            return ConfigDoor.violation(bytes) { text, file throws(ConfigErrors) in
                let engine = PolicyEngine(try PolicySpec.parse(text: text, file: file))
                _ = engine.explain(DemoFiles.request)
                _ = engine.spec.problems(with: DemoFiles.roster)
            }
        case .roster:
            return ConfigDoor.violation(bytes) { text, file throws(ConfigErrors) in
                let roster = try OperatorRoster.parse(text: text, file: file)
                _ = roster.person(named: "ana")
            }
        case .scenario:
            return ConfigDoor.violation(bytes) { text, file throws(ConfigErrors) in
                _ = try Scenario.parse(text, file: file, plant: DemoFiles.plant, operators: Set(DemoFiles.roster.people.map(\.name)))
            }
        case .theme:
            return ConfigDoor.violation(bytes) { text, file throws(ConfigErrors) in _ = try ThemeFile.parse(text, file: file) }
        case .request:
            return ConfigDoor.violation(bytes) { text, file throws(ConfigErrors) in
                let request = try PolicyRequest.parse(text: text, file: file)
                _ = DemoFiles.policy.explain(request)
                _ = request.summary
            }
        }
    }

    /// Runs `violation(at:_:)` on the bytes of `data`.
    public static func violation(at door: Door, _ data: Data) -> String? {
        data.withUnsafeBytes { violation(at: door, $0) }
    }
}
