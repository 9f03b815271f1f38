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
        diff(old, new, at: [], into: &changes)
        return SnapshotPatch(changes: changes)
    }

    /// Most samples a rolling array may move on by and still be sent as a shift.
    static let longestShift = 8

    private static func diff(_ old: JSONValue, _ new: JSONValue, at path: [PathStep], into changes: inout [Change]) {
        guard old != new else { return }
        switch (old, new) {
        case let (.object(a), .object(b)):
            for (key, value) in b.sorted(by: { $0.key < $1.key }) {
                if let before = a[key] {
                    diff(before, value, at: path + [.key(key)], into: &changes)
                } else {
                    changes.append(Change(path: path + [.key(key)], value: value))
                }
            }
            for key in a.keys.sorted() where b[key] == nil { changes.append(Change(path: path + [.key(key)], value: nil)) }
        case let (.array(a), .array(b)):
            if let shift = shift(from: a, to: b) {
                changes.append(Change(path: path, drop: shift, append: Array(b[(b.count - shift)...])))
                return
            }
            var inner: [Change] = []
            for index in b.indices {
                if index < a.count {
                    diff(a[index], b[index], at: path + [.index(index)], into: &inner)
                } else {
                    inner.append(Change(path: path + [.index(index)], value: b[index]))
                }
            }
            if b.count < a.count { inner.append(Change(path: path, value: nil, length: b.count)) }
            // Most of a list of plain values changed: the list whole is shorter than its changes. (A list of objects
            // keeps its changes field by field: most of each object stays as it was.)
            if inner.count > 2, inner.count * 2 > b.count, !b.contains(where: \.isContainer) {
                changes.append(Change(path: path, value: new))
            } else {
                changes += inner
            }
        default:
            changes.append(Change(path: path, value: new))
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
        var snapshot = snapshot
        snapshot.workOutFrameKeys()
        self.snapshot = snapshot
        let text = try JSONEncoder().encode(snapshot)
        encodedBytes = text.count
        json = try JSONDecoder().decode(JSONValue.self, from: text).rounded(to: Self.significantDigits)
    }

    /// The document a patch makes of `base`.
    public init(applying patch: SnapshotPatch, to base: SnapshotDocument) throws {
        json = try patch.applied(to: base.json)
        var snapshot = try JSONValueDecoder.decode(PlantSnapshot.self, from: json)
        // The cells' texts stay with the snapshot while no change reaches a cell's or a line's id, name or place.
        if !patch.changes.contains(where: Self.changesCellTexts) { snapshot.cellTexts = base.snapshot.cellTexts }
        snapshot.workOutFrameKeys()
        self.snapshot = snapshot
        encodedBytes = nil
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
    func rounded(to digits: Int) -> JSONValue {
        switch self {
        case let .number(value):
            guard value.isFinite, value != value.rounded(.towardZero) else { return self }
            let magnitude = (value.magnitude.exponent + 1) // binary exponent: a decimal scale from it
            let scale = pow(10, Double(digits) - (Double(magnitude) * log10(2)).rounded(.up))
            let cut = (value * scale).rounded() / scale
            return .number(cut.isFinite ? cut : value)
        case let .array(items): return .array(items.map { $0.rounded(to: digits) })
        case let .object(members): return .object(members.mapValues { $0.rounded(to: digits) })
        default: return self
        }
    }
}
