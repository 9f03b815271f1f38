import AndonCore
import Foundation

/// The changes from one snapshot to the next, as a client applies them to the one it holds: only the values that
/// changed, at any depth (objects by key, arrays by index), so a console over a slow SSH link receives little.
public struct SnapshotPatch: Sendable, Hashable, Codable {
    /// One change: at `path`, the new value (nil removes a key), or an array cut to `length`.
    public struct Change: Sendable, Hashable, Codable {
        /// Keys and array indexes, from the root.
        public var path: [PathStep]
        /// The value there now; nil when the key was removed.
        public var value: JSONValue?
        /// For an array: its length now (after the element changes at its indexes).
        public var length: Int?
    }

    /// One step of a path.
    public enum PathStep: Sendable, Hashable, Codable {
        case key(String)
        case index(Int)
    }

    /// The changes, in order.
    public var changes: [Change]

    /// True when nothing changed.
    public var isEmpty: Bool { changes.isEmpty }

    /// The patch that turns `old` into `new`.
    public static func between(_ old: JSONValue, _ new: JSONValue) -> SnapshotPatch {
        var changes: [Change] = []
        diff(old, new, at: [], into: &changes)
        return SnapshotPatch(changes: changes)
    }

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
            for index in b.indices {
                if index < a.count {
                    diff(a[index], b[index], at: path + [.index(index)], into: &changes)
                } else {
                    changes.append(Change(path: path + [.index(index)], value: b[index]))
                }
            }
            if b.count < a.count { changes.append(Change(path: path, value: nil, length: b.count)) }
        default:
            changes.append(Change(path: path, value: new))
        }
    }

    /// `base` with the changes applied; throws when a change does not fit it (the client then asks for a resync).
    public func applied(to base: JSONValue) throws(PatchError) -> JSONValue {
        var document = base
        for change in changes { try Self.apply(change, to: &document, from: change.path[...]) }
        return document
    }

    private static func apply(_ change: Change, to value: inout JSONValue, from path: ArraySlice<PathStep>) throws(PatchError) {
        guard let step = path.first else {
            if let length = change.length {
                guard case var .array(items) = value, length <= items.count else { throw PatchError.misfit }
                items.removeSubrange(length...)
                value = .array(items)
            } else if let new = change.value {
                value = new
            }
            return
        }
        let rest = path.dropFirst()
        switch (step, value) {
        case (let .key(key), .object(var members)):
            if rest.isEmpty, change.value == nil, change.length == nil {
                members[key] = nil
            } else {
                var member = members[key] ?? .null
                try apply(change, to: &member, from: rest)
                members[key] = member
            }
            value = .object(members)
        case (let .index(index), .array(var items)):
            if index == items.count, rest.isEmpty, let new = change.value {
                items.append(new)
            } else {
                guard index < items.count else { throw PatchError.misfit }
                try apply(change, to: &items[index], from: rest)
            }
            value = .array(items)
        default:
            throw PatchError.misfit
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

    /// The document of `snapshot`.
    public init(_ snapshot: PlantSnapshot) throws {
        self.snapshot = snapshot
        json = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(snapshot))
    }

    /// The document a patch makes of `base`.
    public init(applying patch: SnapshotPatch, to base: SnapshotDocument) throws {
        json = try patch.applied(to: base.json)
        snapshot = try JSONDecoder().decode(PlantSnapshot.self, from: JSONEncoder().encode(json))
    }
}
