import AndonCore
import Foundation

/// The runtimes of a plant, for a plant-wide console: a file (`andon attach --runtimes plant-runtimes.yaml`) or
/// repeated `--socket [NAME=]PATH` options.
///
/// ```yaml
/// plant: Riverside            # the header's name (default: how many runtimes)
/// runtimes:
///   - name: body              # qualifies the runtime's ids: body/B2
///     socket: /run/andon/body.sock
///   - name: paint
///     socket: /run/andon/paint.sock
/// ```
///
/// A socket path not starting with `/` is taken from the file's folder. A runtime given without a name is called by
/// its socket file's name without `.sock` (the default socket is named after the plant's id).
public struct PlantFile: Sendable, Hashable {
    /// The header's name for the plant.
    public var plantName: String?
    /// The runtimes, in the order the console shows them.
    public var members: [PlantRuntimes.Member]

    /// A list of runtimes.
    public init(plantName: String?, members: [PlantRuntimes.Member]) {
        self.plantName = plantName
        self.members = members
    }

    /// The plant's name in the header: the file's, else how many runtimes there are.
    public var title: String { plantName ?? "\(members.count) runtimes" }

    /// Reads a plant file; throws every problem in it with its line and column.
    public static func load(path: String) throws(ConfigErrors) -> PlantFile {
        let diagnostics = Diagnostics(file: path)
        guard let root = ConfigNode.load(path: path, diagnostics: diagnostics),
              let top = root.mapping("the plant file", keys: ["plant", "runtimes"], required: ["runtimes"]) else {
            try diagnostics.throwIfAny()
            throw ConfigErrors([])
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        var members: [PlantRuntimes.Member] = []
        for entry in top["runtimes"]?.sequence("runtimes") ?? [] {
            guard let fields = entry.mapping("a runtime", keys: ["name", "socket"], required: ["name", "socket"]),
                  let name = fields["name"]?.identifier("a runtime's name"), let socket = fields["socket"]?.string("a runtime's socket") else { continue }
            if members.contains(where: { $0.name == name }) {
                diagnostics.report(.duplicateID, at: entry.location, "runtime '\(name)' is listed twice", expected: "one entry per runtime")
                continue
            }
            let path = socket.hasPrefix("/") ? socket : folder.appendingPathComponent(socket).standardizedFileURL.path
            members.append(PlantRuntimes.Member(name: name, socket: path))
        }
        if members.isEmpty, let list = top["runtimes"] {
            diagnostics.report(.missingField, at: list.location, "the plant file lists no runtime", expected: "at least one runtime with a name and a socket")
        }
        let plant = top["plant"]?.string("the plant's name")
        try diagnostics.throwIfAny()
        return PlantFile(plantName: plant, members: members)
    }

    /// The runtimes of `--socket` options, each `PATH` or `NAME=PATH`; throws naming the first bad or repeated one.
    public static func members(sockets: [String]) throws(ServiceError) -> [PlantRuntimes.Member] {
        var members: [PlantRuntimes.Member] = []
        for option in sockets {
            let member: PlantRuntimes.Member
            if let equals = option.firstIndex(of: "="), !option[..<equals].contains("/") {
                member = PlantRuntimes.Member(name: String(option[..<equals]), socket: String(option[option.index(after: equals)...]))
            } else {
                let file = URL(fileURLWithPath: option).lastPathComponent
                member = PlantRuntimes.Member(name: file.hasSuffix(".sock") ? String(file.dropLast(5)) : file, socket: option)
            }
            guard isName(member.name), !member.socket.isEmpty else {
                throw ServiceError("--socket \(TerminalText.printable(option)): give PATH or NAME=PATH, NAME of letters, digits, '-', '_' or '.'")
            }
            guard !members.contains(where: { $0.name == member.name }) else {
                throw ServiceError("--socket \(TerminalText.printable(option)): a second runtime called '\(member.name)'; name them apart with NAME=PATH")
            }
            members.append(member)
        }
        return members
    }

    /// True for a runtime's name: letters, digits, `-`, `_` and `.`, starting with a letter or digit.
    static func isName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic || ("0"..."9").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0)) }
    }
}
