import Foundation

/// Writes an `Encodable` straight into a ``JSONValue`` tree: the tree `JSONValue` reads from what `JSONEncoder` (default
/// strategies) writes, without writing and reading the text. The service makes the document of every snapshot it
/// sends; at 10,000 cells the text alone was megabytes, and reading it back (each string tried as a number first) took
/// seconds.
///
/// With `significantDigits`, every fraction is cut as ``JSONValue/rounded(to:)`` cuts it, as it is written.
public enum JSONValueEncoder {
    /// The tree of `value`.
    public static func encode<T: Encodable>(_ value: T, significantDigits: Int? = nil) throws -> JSONValue {
        let root = TreeNode()
        try TreeEncoder(node: root, codingPath: [], digits: significantDigits).box(value, into: root)
        return root.value
    }
}

/// One node of the tree being written: containers are handed out before they are filled, so each is a reference that
/// its parent holds until the whole tree is read out.
private final class TreeNode {
    enum Content {
        case empty
        case value(JSONValue)
        /// An object's members in the order written (a key written twice keeps its last value), made a dictionary once
        /// at its size when the tree is read out.
        case object([(key: String, child: Child)])
        case array([Child])
    }

    enum Child {
        case value(JSONValue)
        case node(TreeNode)

        var value: JSONValue {
            switch self {
            case let .value(value): value
            case let .node(node): node.value
            }
        }
    }

    var content = Content.empty

    /// What was written here; a value that wrote nothing is an empty object, as `JSONEncoder` writes it.
    var value: JSONValue {
        switch content {
        case .empty: return .object([:])
        case let .value(value): return value
        case let .object(members):
            var object = [String: JSONValue](minimumCapacity: members.count)
            for member in members { object[member.key] = member.child.value }
            return .object(object)
        case let .array(items): return .array(items.map(\.value))
        }
    }

    func becomeObject() {
        if case .object = content { return }
        content = .object([])
    }

    func becomeArray() {
        if case .array = content { return }
        content = .array([])
    }

    func set(_ child: Child, forKey key: String) {
        guard case var .object(members) = content else { return }
        content = .empty
        members.append((key, child))
        content = .object(members)
    }

    func append(_ child: Child) {
        guard case var .array(items) = content else { return }
        content = .empty
        items.append(child)
        content = .array(items)
    }

    var count: Int {
        switch content {
        case let .array(items): items.count
        case let .object(members): members.count
        default: 0
        }
    }
}

private struct TreeEncoder: Encoder {
    let node: TreeNode
    let codingPath: [any CodingKey]
    let digits: Int?
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.becomeObject()
        return KeyedEncodingContainer(KeyedTreeEncoder<Key>(node: node, codingPath: codingPath, digits: digits))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.becomeArray()
        return UnkeyedTreeEncoder(node: node, codingPath: codingPath, digits: digits)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    /// A number as the tree holds it: cut to `digits` significant digits when it has a fraction.
    func number(_ value: Double, _ path: [any CodingKey]) throws -> JSONValue {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: path, debugDescription: "Unable to encode \(value) directly in JSON."))
        }
        return .number(digits.map { JSONValue.cut(value, to: $0) } ?? value)
    }

    /// `value` as a child: plain values at once, the types `JSONEncoder` writes its own way as it writes them, anything
    /// else through its own `encode(to:)` into a node of its own.
    func child<T: Encodable>(_ value: T, at path: [any CodingKey]) throws -> TreeNode.Child {
        // Types compared rather than values cast: most values here are structs and lists, which no cast would fit.
        if T.self == String.self { return .value(.string(value as! String)) }
        if T.self == Double.self { return .value(try number(value as! Double, path)) }
        if T.self == Int.self { return .value(.number(Double(value as! Int))) }
        if T.self == Bool.self { return .value(.bool(value as! Bool)) }
        if T.self == Float.self { return .value(try float(value as! Float, path)) }
        if T.self == Date.self { return .value(try number((value as! Date).timeIntervalSinceReferenceDate, path)) }
        if T.self == Data.self { return .value(.string((value as! Data).base64EncodedString())) }
        if T.self == URL.self { return .value(.string((value as! URL).absoluteString)) }
        if T.self == Decimal.self { return .value(try number(NSDecimalNumber(decimal: value as! Decimal).doubleValue, path)) }
        let node = TreeNode()
        try value.encode(to: TreeEncoder(node: node, codingPath: path, digits: digits))
        if case let .value(value) = node.content { return .value(value) }
        return .node(node)
    }

    /// A `Float` as `JSONEncoder` writes it (its shortest decimal form) and a reader takes it back as a `Double`.
    func float(_ value: Float, _ path: [any CodingKey]) throws -> JSONValue {
        try number(Double(String(describing: value)) ?? Double(value), path)
    }

    /// Writes `value` into `node` (the root).
    func box<T: Encodable>(_ value: T, into node: TreeNode) throws {
        switch try child(value, at: codingPath) {
        case let .value(value): node.content = .value(value)
        case let .node(inner): node.content = inner.content
        }
    }
}

extension TreeEncoder: SingleValueEncodingContainer {
    func encodeNil() { node.content = .value(.null) }
    func encode(_ value: Bool) { node.content = .value(.bool(value)) }
    func encode(_ value: String) { node.content = .value(.string(value)) }
    func encode(_ value: Double) throws { node.content = .value(try number(value, codingPath)) }
    func encode(_ value: Float) throws { node.content = .value(try float(value, codingPath)) }
    func encode(_ value: Int) { node.content = .value(.number(Double(value))) }
    func encode(_ value: Int8) { node.content = .value(.number(Double(value))) }
    func encode(_ value: Int16) { node.content = .value(.number(Double(value))) }
    func encode(_ value: Int32) { node.content = .value(.number(Double(value))) }
    func encode(_ value: Int64) { node.content = .value(.number(Double(value))) }
    func encode(_ value: UInt) { node.content = .value(.number(Double(value))) }
    func encode(_ value: UInt8) { node.content = .value(.number(Double(value))) }
    func encode(_ value: UInt16) { node.content = .value(.number(Double(value))) }
    func encode(_ value: UInt32) { node.content = .value(.number(Double(value))) }
    func encode(_ value: UInt64) { node.content = .value(.number(Double(value))) }

    func encode<T: Encodable>(_ value: T) throws {
        switch try child(value, at: codingPath) {
        case let .value(value): node.content = .value(value)
        case let .node(inner): node.content = inner.content
        }
    }
}

private struct KeyedTreeEncoder<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: TreeNode
    let codingPath: [any CodingKey]
    let digits: Int?

    private var encoder: TreeEncoder { TreeEncoder(node: node, codingPath: codingPath, digits: digits) }

    mutating func encodeNil(forKey key: Key) { node.set(.value(.null), forKey: key.stringValue) }
    mutating func encode(_ value: Bool, forKey key: Key) { node.set(.value(.bool(value)), forKey: key.stringValue) }
    mutating func encode(_ value: String, forKey key: Key) { node.set(.value(.string(value)), forKey: key.stringValue) }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        node.set(.value(try encoder.number(value, codingPath + [key])), forKey: key.stringValue)
    }
    mutating func encode(_ value: Int, forKey key: Key) { node.set(.value(.number(Double(value))), forKey: key.stringValue) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        node.set(try encoder.child(value, at: codingPath + [key]), forKey: key.stringValue)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let inner = TreeNode()
        node.set(.node(inner), forKey: key.stringValue)
        return TreeEncoder(node: inner, codingPath: codingPath + [key], digits: digits).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let inner = TreeNode()
        node.set(.node(inner), forKey: key.stringValue)
        return TreeEncoder(node: inner, codingPath: codingPath + [key], digits: digits).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { superEncoder(named: "super") }

    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key.stringValue) }

    private func superEncoder(named name: String) -> any Encoder {
        let inner = TreeNode()
        node.set(.node(inner), forKey: name)
        return TreeEncoder(node: inner, codingPath: codingPath, digits: digits)
    }
}

private struct UnkeyedTreeEncoder: UnkeyedEncodingContainer {
    let node: TreeNode
    let codingPath: [any CodingKey]
    let digits: Int?

    var count: Int { node.count }

    private var encoder: TreeEncoder { TreeEncoder(node: node, codingPath: codingPath, digits: digits) }

    mutating func encodeNil() { node.append(.value(.null)) }
    mutating func encode(_ value: Bool) { node.append(.value(.bool(value))) }
    mutating func encode(_ value: String) { node.append(.value(.string(value))) }
    mutating func encode(_ value: Double) throws { node.append(.value(try encoder.number(value, codingPath))) }
    mutating func encode(_ value: Int) { node.append(.value(.number(Double(value)))) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        node.append(try encoder.child(value, at: codingPath))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let inner = TreeNode()
        node.append(.node(inner))
        return TreeEncoder(node: inner, codingPath: codingPath, digits: digits).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let inner = TreeNode()
        node.append(.node(inner))
        return TreeEncoder(node: inner, codingPath: codingPath, digits: digits).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let inner = TreeNode()
        node.append(.node(inner))
        return TreeEncoder(node: inner, codingPath: codingPath, digits: digits)
    }
}
