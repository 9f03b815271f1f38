import Foundation

/// Reads a `Decodable` straight from a ``JSONValue`` tree, as `JSONDecoder` (default strategies) reads that tree's JSON
/// text, without writing the text: a console applies a snapshot patch to the document it holds and reads the snapshot
/// from it four times a second.
public enum JSONValueDecoder {
    /// The value of `type` that `value` holds.
    public static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try TreeDecoder(value: value, parentPath: [], key: nil).unbox(type)
    }
}

/// A decoder at one node of the tree. Its coding path is put together only when asked for (a container, an error):
/// most nodes are numbers and strings read at once.
private struct TreeDecoder: Decoder {
    let value: JSONValue
    let parentPath: [any CodingKey]
    let key: (any CodingKey)?
    var codingPath: [any CodingKey] { key.map { parentPath + [$0] } ?? parentPath }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case let .object(members) = value else { throw mismatch([String: JSONValue].self, value, codingPath) }
        return KeyedDecodingContainer(KeyedTreeContainer<Key>(members: members, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case let .array(items) = value else { throw mismatch([JSONValue].self, value, codingPath) }
        return UnkeyedTreeContainer(items: items, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    /// `T` from this node, with the types `JSONDecoder` reads its own way (a URL from a string, Data from base64,
    /// a Decimal from a number).
    func unbox<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == URL.self {
            guard let url = URL(string: try decode(String.self)) else {
                throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "Invalid URL string."))
            }
            return url as! T
        }
        if T.self == Data.self {
            guard let data = Data(base64Encoded: try decode(String.self)) else {
                throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "Encountered Data is not valid Base64."))
            }
            return data as! T
        }
        if T.self == Decimal.self {
            return Decimal(try decode(Double.self)) as! T
        }
        return try T(from: self)
    }
}

extension TreeDecoder: SingleValueDecodingContainer {
    func decodeNil() -> Bool { value == .null }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case let .bool(bool) = value else { throw mismatch(type, value, codingPath) }
        return bool
    }

    func decode(_ type: String.Type) throws -> String {
        guard case let .string(string) = value else { throw mismatch(type, value, codingPath) }
        return string
    }

    func decode(_ type: Double.Type) throws -> Double { try number(type) }

    func decode(_ type: Float.Type) throws -> Float {
        let double = try number(type)
        let float = Float(double)
        guard float.isFinite || !double.isFinite else { throw notRepresentable(type) }
        return float
    }

    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try unbox(type) }

    private func number<T>(_ type: T.Type) throws -> Double {
        guard case let .number(number) = value else { throw mismatch(type, value, codingPath) }
        return number
    }

    private func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        guard let integer = T(exactly: try number(type)) else { throw notRepresentable(type) }
        return integer
    }

    private func notRepresentable<T>(_ type: T.Type) -> DecodingError {
        .dataCorrupted(.init(codingPath: codingPath, debugDescription: "Number \(value) does not fit in \(type)."))
    }
}

/// An object's members, read by key.
private struct KeyedTreeContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [String: JSONValue]
    let codingPath: [any CodingKey]

    var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

    private func node(_ key: Key) throws -> TreeDecoder {
        guard let value = members[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "No value associated with key \(key.stringValue)."))
        }
        return TreeDecoder(value: value, parentPath: codingPath, key: key)
    }

    /// A value that must be there: null is no value.
    private func present<T>(_ key: Key, _ type: T.Type) throws -> TreeDecoder {
        let node = try node(key)
        guard node.value != .null else {
            throw DecodingError.valueNotFound(type, .init(codingPath: node.codingPath, debugDescription: "Expected \(type) value but found null instead."))
        }
        return node
    }

    func decodeNil(forKey key: Key) throws -> Bool { try node(key).value == .null }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try present(key, type).decode(type) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try present(key, type).decode(type) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try present(key, type).decode(type) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try present(key, type).decode(type) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try present(key, type).decode(type) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try present(key, type).decode(type) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try present(key, type).decode(type) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try present(key, type).decode(type) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try present(key, type).decode(type) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try present(key, type).decode(type) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try present(key, type).decode(type) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try present(key, type).decode(type) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try present(key, type).decode(type) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try present(key, type).decode(type) }
    // Null is left to the type to read (an Optional reads it as nil), as JSONDecoder does.
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try node(key).unbox(type) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try node(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { try node(key).unkeyedContainer() }

    func superDecoder() throws -> any Decoder {
        TreeDecoder(value: members["super"] ?? .null, parentPath: codingPath, key: IndexKey.super)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        TreeDecoder(value: members[key.stringValue] ?? .null, parentPath: codingPath, key: key)
    }
}

/// An array's elements, read in order.
private struct UnkeyedTreeContainer: UnkeyedDecodingContainer {
    let items: [JSONValue]
    let codingPath: [any CodingKey]
    private(set) var currentIndex = 0

    init(items: [JSONValue], codingPath: [any CodingKey]) {
        self.items = items
        self.codingPath = codingPath
    }

    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    /// The next element, which must be there and (unless `nullable`) not null.
    private mutating func next<T>(_ type: T.Type, nullable: Bool = false) throws -> TreeDecoder {
        let key = IndexKey.index(currentIndex)
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(type, .init(codingPath: codingPath + [key], debugDescription: "Unkeyed container is at end."))
        }
        let value = items[currentIndex]
        guard nullable || value != .null else {
            throw DecodingError.valueNotFound(type, .init(codingPath: codingPath + [key], debugDescription: "Expected \(type) but found null instead."))
        }
        currentIndex += 1
        return TreeDecoder(value: value, parentPath: codingPath, key: key)
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Never.self, .init(codingPath: codingPath + [IndexKey.index(currentIndex)], debugDescription: "Unkeyed container is at end."))
        }
        guard items[currentIndex] == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try next(type).decode(type) }
    mutating func decode(_ type: String.Type) throws -> String { try next(type).decode(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try next(type).decode(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try next(type).decode(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try next(type).decode(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try next(type).decode(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try next(type).decode(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try next(type).decode(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next(type).decode(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try next(type).decode(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next(type).decode(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next(type).decode(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next(type).decode(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next(type).decode(type) }
    // Null is left to the type to read (an Optional reads it as nil), as JSONDecoder does.
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next(type, nullable: true).unbox(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next(KeyedDecodingContainer<NestedKey>.self).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try next((any UnkeyedDecodingContainer).self).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder { try next((any Decoder).self, nullable: true) }
}

/// A key that is an array index (or `super`); its text is made only when asked for.
private enum IndexKey: CodingKey {
    case index(Int)
    case `super`

    init(stringValue: String) { self = .super }
    init(intValue: Int) { self = .index(intValue) }

    var stringValue: String {
        switch self {
        case let .index(index): "Index \(index)"
        case .super: "super"
        }
    }

    var intValue: Int? {
        switch self {
        case let .index(index): index
        case .super: nil
        }
    }
}

/// The error for a node that holds another kind of value than `type`.
private func mismatch<T>(_ type: T.Type, _ value: JSONValue, _ codingPath: [any CodingKey]) -> DecodingError {
    let found = switch value {
    case .null: "null"
    case .bool: "a bool"
    case .number: "a number"
    case .string: "a string"
    case .array: "an array"
    case .object: "a dictionary"
    }
    if case .null = value {
        return .valueNotFound(type, .init(codingPath: codingPath, debugDescription: "Expected \(type) but found null instead."))
    }
    return .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "Expected to decode \(type) but found \(found) instead."))
}
