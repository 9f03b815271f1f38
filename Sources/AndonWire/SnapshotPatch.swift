import AndonCore
import Foundation

/// The changes from one snapshot to the next, as a client applies them to the one it holds: only the values that
/// changed, at any depth (objects by key, arrays by index), so a console over a slow SSH link receives little. A
/// rolling history (a sparkline, a timeline) that moved on by a few samples is sent as those samples; an array most of
/// whose elements changed is sent whole. On the wire a change is `{"p": ["cells", 3, "oee"], "v": 0.82}`.
public struct SnapshotPatch: Sendable, Hashable, Codable {
    /// One change at `path`: the new value (nil removes a key), an array cut to `length`, or an array whose first
    /// `drop` elements go and `append` follow.
    public struct Change: Sendable, Hashable, Codable {
        /// Keys and array indexes, from the root.
        public var path: [PathStep]
        /// The value there now; nil when the key was removed.
        public var value: JSONValue?
        /// For an array: its length now (after the element changes at its indexes).
        public var length: Int?
        /// For a rolling array: how many elements leave its front.
        public var drop: Int?
        /// For a rolling array: the elements that join its end.
        public var append: [JSONValue]?

        /// A change.
        public init(path: [PathStep], value: JSONValue? = nil, length: Int? = nil, drop: Int? = nil, append: [JSONValue]? = nil) {
            self.path = path
            self.value = value
            self.length = length
            self.drop = drop
            self.append = append
        }

        private enum CodingKeys: String, CodingKey {
            case path = "p", value = "v", length = "n", drop = "d", append = "a"
        }

        /// The change a JSON tree holds, as ``init(from:)`` reads it from its text; nil when it is not one.
        init?(tree: JSONValue) {
            guard case let .object(members) = tree, case let .array(steps)? = members["p"] else { return nil }
            var path: [PathStep] = []
            path.reserveCapacity(steps.count)
            for step in steps {
                switch step {
                case let .string(key): path.append(.key(key))
                case let .number(number):
                    guard let index = Int(exactly: number) else { return nil }
                    path.append(.index(index))
                default: return nil
                }
            }
            func count(_ key: String) -> Int?? {
                guard let value = members[key] else { return .some(nil) }
                guard case let .number(number) = value, let whole = Int(exactly: number) else { return nil }
                return .some(whole)
            }
            guard let length = count("n"), let drop = count("d") else { return nil }
            var append: [JSONValue]?
            if let value = members["a"] {
                guard case let .array(items) = value else { return nil }
                append = items
            }
            self.init(path: path, value: members["v"], length: length, drop: drop, append: append)
        }

        /// Reads a change; a value of JSON `null` is the value null, an absent one a removal.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            path = try container.decode([PathStep].self, forKey: .path)
            value = container.contains(.value) ? try container.decode(JSONValue.self, forKey: .value) : nil
            length = try container.decodeIfPresent(Int.self, forKey: .length)
            drop = try container.decodeIfPresent(Int.self, forKey: .drop)
            append = try container.decodeIfPresent([JSONValue].self, forKey: .append)
        }

        /// Writes a change, leaving out what it does not have.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(path, forKey: .path)
            if let value { try container.encode(value, forKey: .value) }
            try container.encodeIfPresent(length, forKey: .length)
            try container.encodeIfPresent(drop, forKey: .drop)
            try container.encodeIfPresent(append, forKey: .append)
        }
    }

    /// One step of a path: a key (a JSON string) or an index (a JSON number).
    public enum PathStep: Sendable, Hashable, Codable {
        case key(String)
        case index(Int)

        /// Reads a step; a key is tried first, as most steps are keys (and each kind tried in vain costs a thrown
        /// error). Neither kind reads the other: `"3"` is a key, `3` an index.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let key = try? container.decode(String.self) {
                self = .key(key)
            } else {
                self = .index(try container.decode(Int.self))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case let .key(key): try container.encode(key)
            case let .index(index): try container.encode(index)
            }
        }
    }

    /// The changes, in order.
    public var changes: [Change]

    /// A patch of these changes.
    public init(changes: [Change]) {
        self.changes = changes
    }

    /// True when nothing changed.
    public var isEmpty: Bool { changes.isEmpty }

    /// The patch that turns `old` into `new`.
    public static func between(_ old: JSONValue, _ new: JSONValue) -> SnapshotPatch {
        var changes: [Change] = []
        var path: [PathStep] = []
        diff(old, new, at: &path, into: &changes)
        return SnapshotPatch(changes: changes)
    }

    /// Most samples a rolling array may move on by and still be sent as a shift.
    static let longestShift = 8

    /// Appends to `changes` what turns `old` into `new`, both at `path` (which is as it was on return). Each node is
    /// compared once: a container by its members, a plain value as it is.
    static func diff(_ old: JSONValue, _ new: JSONValue, at path: inout [PathStep], into changes: inout [Change]) {
        switch (old, new) {
        case let (.object(a), .object(b)):
            for (key, value) in b {
                path.append(.key(key))
                if let before = a[key] {
                    diff(before, value, at: &path, into: &changes)
                } else {
                    changes.append(Change(path: path, value: value))
                }
                path.removeLast()
            }
            for key in a.keys where b[key] == nil {
                path.append(.key(key))
                changes.append(Change(path: path, value: nil))
                path.removeLast()
            }
        case let (.array(a), .array(b)):
            // A rolling history moved on (checked first: an equal list can look shifted, a constant one say).
            if let shift = shift(from: a, to: b), a != b {
                changes.append(Change(path: path, drop: shift, append: Array(b[(b.count - shift)...])))
                return
            }
            var inner: [Change] = []
            for index in b.indices {
                path.append(.index(index))
                if index < a.count {
                    diff(a[index], b[index], at: &path, into: &inner)
                } else {
                    inner.append(Change(path: path, value: b[index]))
                }
                path.removeLast()
            }
            if b.count < a.count { inner.append(Change(path: path, value: nil, length: b.count)) }
            guard !inner.isEmpty else { return }
            // Most of a list of plain values changed: the list whole is shorter than its changes. (A list of objects
            // keeps its changes field by field: most of each object stays as it was.)
            if inner.count > 2, inner.count * 2 > b.count, !b.contains(where: \.isContainer) {
                changes.append(Change(path: path, value: new))
            } else {
                changes += inner
            }
        default:
            if old != new { changes.append(Change(path: path, value: new)) }
        }
    }

    /// How many elements a rolling array moved on by (its front dropped, as many appended), if it did.
    private static func shift(from a: [JSONValue], to b: [JSONValue]) -> Int? {
        guard a.count == b.count, a.count > 2 else { return nil }
        for k in 1...min(longestShift, a.count - 1) where a[k...].elementsEqual(b[..<(b.count - k)]) { return k }
        return nil
    }

    /// `base` with the changes applied; throws when a change does not fit it (the client then asks for a resync).
    public func applied(to base: JSONValue) throws(PatchError) -> JSONValue {
        var document = base
        for change in changes { try Self.apply(change, to: &document, from: change.path[...]) }
        return document
    }

    private static func apply(_ change: Change, to value: inout JSONValue, from path: ArraySlice<PathStep>) throws(PatchError) {
        guard let step = path.first else {
            if let drop = change.drop {
                guard case var .array(items) = value, drop <= items.count else { throw PatchError.misfit }
                value = .null
                items.removeFirst(drop)
                items += change.append ?? []
                value = .array(items)
            } else if let length = change.length {
                guard case var .array(items) = value, length <= items.count else { throw PatchError.misfit }
                value = .null
                items.removeSubrange(length...)
                value = .array(items)
            } else if let new = change.value {
                value = new
            }
            return
        }
        let rest = path.dropFirst()
        // The container is taken out of `value` (left null meanwhile) so that it holds the only reference to its
        // storage and changes in place, rather than being copied at every level of every change. (A change that does
        // not fit throws, and the document it was made on is dropped.)
        switch step {
        case let .key(key):
            guard case var .object(members) = value else { throw PatchError.misfit }
            value = .null
            if rest.isEmpty, change.value == nil, change.length == nil, change.drop == nil {
                members[key] = nil
            } else {
                try apply(change, to: &members[key, default: .null], from: rest)
            }
            value = .object(members)
        case let .index(index):
            guard case var .array(items) = value else { throw PatchError.misfit }
            value = .null
            if index == items.count, rest.isEmpty, let new = change.value {
                items.append(new)
            } else {
                guard index < items.count else { throw PatchError.misfit }
                try apply(change, to: &items[index], from: rest)
            }
            value = .array(items)
        }
    }
}

/// A patch did not fit the snapshot it was applied to.
public enum PatchError: Error, Sendable {
    /// A path that is not in the document.
    case misfit
}

/// A snapshot and its JSON form, kept together so patches are computed and applied without encoding twice.
public struct SnapshotDocument: Sendable {
    /// The snapshot.
    public let snapshot: PlantSnapshot
    /// Its JSON form.
    public let json: JSONValue
    /// Bytes of its JSON text, when it was made from a snapshot (nil when made by a patch): what a whole snapshot costs
    /// on the wire, known without encoding it again.
    public let encodedBytes: Int?

    /// Significant digits a fraction keeps on the wire: a console shows at most four, and a clock of 27 hours keeps
    /// its tenths of a second; whole numbers (counts, sequence numbers) are exact.
    public static let significantDigits = 6

    /// The document of `snapshot`, its fractions cut to ``significantDigits`` (so that noise in the last digits of a
    /// sensor's value does not travel); both ends cut the same way, so patches apply exactly.
    public init(_ snapshot: PlantSnapshot) throws {
        try self.init(snapshot, after: nil)
    }

    /// The document of `snapshot`, taking from `previous` (the document before it) the trees of the cells, queues and
    /// agents that are as they were: in a plant whose telemetry reaches only some cells each second, most of them.
    /// Both documents then share those trees' storage.
    public init(_ snapshot: PlantSnapshot, after previous: SnapshotDocument?) throws {
        var snapshot = snapshot
        snapshot.workOutFrameKeys()
        self.snapshot = snapshot
        json = try Self.tree(of: snapshot, after: previous)
        encodedBytes = json.estimatedTextBytes
    }

    /// The tree of `snapshot`, its three lists' unchanged elements taken from `previous`.
    private static func tree(of snapshot: PlantSnapshot, after previous: SnapshotDocument?) throws -> JSONValue {
        var rest = snapshot
        rest.cells = []
        rest.queues = []
        rest.agents = []
        guard let previous, case let .object(members) = previous.json,
              case var .object(top) = try JSONValueEncoder.encode(rest, significantDigits: significantDigits) else {
            return try JSONValueEncoder.encode(snapshot, significantDigits: significantDigits)
        }
        func list<Element: Encodable & Equatable>(_ key: String, _ now: [Element], _ before: [Element]) throws -> JSONValue {
            guard case let .array(trees)? = members[key], trees.count == before.count else {
                return try JSONValueEncoder.encode(now, significantDigits: Self.significantDigits)
            }
            return .array(try now.indices.map { i in
                i < before.count && now[i] == before[i] ? trees[i] : try JSONValueEncoder.encode(now[i], significantDigits: Self.significantDigits)
            })
        }
        top["cells"] = try list("cells", snapshot.cells, previous.snapshot.cells)
        top["queues"] = try list("queues", snapshot.queues, previous.snapshot.queues)
        top["agents"] = try list("agents", snapshot.agents, previous.snapshot.agents)
        return .object(top)
    }

    /// The document a patch makes of `base`. Only the cells, queues and agents a change reaches are read from the tree
    /// again; the others are the base's, as they were (at 10,000 cells there are about 100,000 of them, and reading the
    /// whole snapshot from the tree took seconds).
    public init(applying patch: SnapshotPatch, to base: SnapshotDocument) throws {
        json = try patch.applied(to: base.json)
        var snapshot: PlantSnapshot
        if let touched = Self.elementsTouched(by: patch, in: base.snapshot), case var .object(members) = json {
            // The rest of the snapshot read with the three lists left empty, then the lists: the base's, with the
            // elements the patch reached read again.
            for list in Self.elementLists { members[list] = .array([]) }
            snapshot = try JSONValueDecoder.decode(PlantSnapshot.self, from: .object(members))
            var cells = base.snapshot.cells, queues = base.snapshot.queues, agents = base.snapshot.agents
            for (list, index) in touched {
                let element = try Self.element(list, index, of: json)
                switch list {
                case "cells": cells[index] = try JSONValueDecoder.decode(CellSnapshot.self, from: element)
                case "queues": queues[index] = try JSONValueDecoder.decode(QueueSnapshot.self, from: element)
                default: agents[index] = try JSONValueDecoder.decode(AgentSnapshot.self, from: element)
                }
            }
            snapshot.cells = cells
            snapshot.queues = queues
            snapshot.agents = agents
            // The worst-first order stays while no agent changed.
            if !touched.contains(where: { $0.list == "agents" }) { snapshot.worstAgents = base.snapshot.worstAgents }
            if !touched.contains(where: { $0.list == "cells" }) { snapshot.cellKeys = base.snapshot.cellKeys }
        } else {
            snapshot = try JSONValueDecoder.decode(PlantSnapshot.self, from: json)
        }
        // The cells' texts stay with the snapshot while no change reaches a cell's or a line's id, name or place.
        if !patch.changes.contains(where: Self.changesCellTexts) { snapshot.cellTexts = base.snapshot.cellTexts }
        snapshot.workOutFrameKeys()
        self.snapshot = snapshot
        encodedBytes = nil
    }

    /// The snapshot's lists read element by element: long in a large plant, and most of each element stays as it was.
    static let elementLists = ["cells", "queues", "agents"]

    /// The elements of the three lists that `patch` reaches, in order and each once, when every change to them is
    /// inside one element already there (none grows, cuts or replaces a list); nil otherwise.
    private static func elementsTouched(by patch: SnapshotPatch, in base: PlantSnapshot) -> [(list: String, index: Int)]? {
        var touched: [(list: String, index: Int)] = []
        var seen: Set<Int> = []
        for change in patch.changes {
            guard case let .key(top)? = change.path.first, elementLists.contains(top) else { continue }
            guard change.path.count >= 2, case let .index(index) = change.path[1] else { return nil }
            let count = top == "cells" ? base.cells.count : top == "queues" ? base.queues.count : base.agents.count
            guard index >= 0, index < count, change.path.count > 2 || change.value != nil else { return nil }
            let key = (top == "cells" ? 0 : top == "queues" ? 1 : 2) + index * 3
            if seen.insert(key).inserted { touched.append((top, index)) }
        }
        return touched
    }

    /// Element `index` of list `list` in the document `json`.
    private static func element(_ list: String, _ index: Int, of json: JSONValue) throws(PatchError) -> JSONValue {
        guard case let .object(members) = json, case let .array(items)? = members[list], index < items.count else { throw PatchError.misfit }
        return items[index]
    }

    /// The patch that turns `old` into this document: what ``SnapshotPatch/between(_:_:)`` gives, without comparing
    /// the cells, queues and agents that are equal in both snapshots (nearly all of them at 10,000 cells, between two
    /// snapshots a second apart, hold at least one change, but comparing their trees cost more than their changes).
    public func patch(from old: SnapshotDocument) -> SnapshotPatch {
        guard case let .object(a) = old.json, case let .object(b) = json,
              old.snapshot.cells.count == snapshot.cells.count, old.snapshot.queues.count == snapshot.queues.count,
              old.snapshot.agents.count == snapshot.agents.count else {
            return SnapshotPatch.between(old.json, json)
        }
        var changes: [SnapshotPatch.Change] = []
        for (key, value) in b {
            guard let before = a[key] else {
                changes.append(SnapshotPatch.Change(path: [.key(key)], value: value))
                continue
            }
            guard Self.elementLists.contains(key), case let .array(from) = before, case let .array(to) = value, from.count == to.count else {
                var path: [SnapshotPatch.PathStep] = [.key(key)]
                SnapshotPatch.diff(before, value, at: &path, into: &changes)
                continue
            }
            let differs: (Int) -> Bool = switch key {
            case "cells": { old.snapshot.cells[$0] != snapshot.cells[$0] }
            case "queues": { old.snapshot.queues[$0] != snapshot.queues[$0] }
            default: { old.snapshot.agents[$0] != snapshot.agents[$0] }
            }
            var path: [SnapshotPatch.PathStep] = [.key(key), .index(0)]
            for index in to.indices where differs(index) {
                path[1] = .index(index)
                SnapshotPatch.diff(from[index], to[index], at: &path, into: &changes)
            }
        }
        for key in a.keys where b[key] == nil { changes.append(SnapshotPatch.Change(path: [.key(key)], value: nil)) }
        return SnapshotPatch(changes: changes)
    }

    /// Whether `change` may change what ``CellTexts`` holds: the cells or lines as a whole, one of them whole, or a
    /// cell's id, name or line, or a line's id.
    private static func changesCellTexts(_ change: SnapshotPatch.Change) -> Bool {
        guard case let .key(top)? = change.path.first else { return true }
        switch top {
        case "cells":
            guard change.path.count > 2, case let .key(field) = change.path[2] else { return true }
            return field == "id" || field == "name" || field == "line"
        case "lines":
            guard change.path.count > 2, case let .key(field) = change.path[2] else { return true }
            return field == "id"
        default: return false
        }
    }
}

extension JSONValue {
    /// About how many bytes its JSON text takes: exact for texts without escapes, whole numbers, booleans and null;
    /// a fraction is taken as ten characters (six significant digits, the point, a sign or exponent).
    var estimatedTextBytes: Int {
        switch self {
        case .null: return 4
        case let .bool(value): return value ? 4 : 5
        case let .number(value):
            guard value == value.rounded(.towardZero), value.magnitude < 1e15 else { return 10 }
            var digits = value < 0 ? 2 : 1
            var rest = Int(value.magnitude) / 10
            while rest > 0 {
                digits += 1
                rest /= 10
            }
            return digits
        case let .string(text): return text.utf8.count + 2
        case let .array(items): return items.reduce(1 + max(1, items.count)) { $0 + $1.estimatedTextBytes }
        case let .object(members): return members.reduce(1 + max(1, members.count)) { $0 + $1.key.utf8.count + 3 + $1.value.estimatedTextBytes }
        }
    }

    /// The number it is, if it is one.
    var number: Double? {
        if case let .number(value) = self { return value }
        return nil
    }

    /// True for an object or an array.
    var isContainer: Bool {
        switch self {
        case .object, .array: true
        default: false
        }
    }
}

extension JSONValue {
    /// This value with every fraction cut to `digits` significant digits.
    public func rounded(to digits: Int) -> JSONValue {
        switch self {
        case let .number(value): return .number(Self.cut(value, to: digits))
        case let .array(items): return .array(items.map { $0.rounded(to: digits) })
        case let .object(members): return .object(members.mapValues { $0.rounded(to: digits) })
        default: return self
        }
    }

    /// 10^-400 through 10^400, as `pow` gives them.
    private static let powersOfTen = (-400...400).map { pow(10, Double($0)) }

    /// `value` cut to `digits` significant digits when it has a fraction; whole numbers as they are.
    static func cut(_ value: Double, to digits: Int) -> Double {
        guard value.isFinite, value != value.rounded(.towardZero) else { return value }
        let magnitude = (value.magnitude.exponent + 1) // binary exponent: a decimal scale from it
        let power = digits - Int((Double(magnitude) * log10(2)).rounded(.up))
        let scale = powersOfTen.indices.contains(power + 400) ? powersOfTen[power + 400] : pow(10, Double(power))
        let cut = (value * scale).rounded() / scale
        return cut.isFinite ? cut : value
    }
}
