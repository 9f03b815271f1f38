import Foundation

/// Names numbered once and found again from their UTF-8 bytes, without making a String: the telemetry door's cell and
/// source ids, looked up on every line.
///
/// Open addressing over a power-of-two table of name numbers; each name's bytes are kept back to back and compared in
/// full, so a hash collision costs a comparison, never a wrong answer.
struct ByteInterner: Sendable {
    /// The names, by number.
    private(set) var names: [String] = []
    private var bytes: [UInt8] = []
    /// Where each name's bytes start in ``bytes``; one more entry than names, for the end of the last.
    private var starts: [Int] = [0]
    private var hashes: [UInt64] = []
    /// Name numbers plus one (0: empty), at the position their hash picks or the next free one after it.
    private var table: [Int32]

    /// An empty interner with room for `capacity` names before it grows.
    init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size *= 2 }
        table = Array(repeating: 0, count: size)
    }

    /// Names interned so far.
    var count: Int { names.count }

    /// The number of the name whose UTF-8 bytes are `key`, if it was interned.
    @inline(__always)
    func index(of key: UnsafeBufferPointer<UInt8>) -> Int? {
        let hash = Self.hash(key)
        let mask = table.count - 1
        var position = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = Int(table[position])
            if entry == 0 { return nil }
            let n = entry - 1
            if hashes[n] == hash, matches(n, key) { return n }
            position = (position + 1) & mask
        }
    }

    /// The number of `name`, if it was interned.
    func index(of name: String) -> Int? {
        var name = name
        return name.withUTF8 { index(of: $0) }
    }

    /// The number of `name`, interning it first if it is new.
    mutating func intern(_ name: String) -> Int {
        if let known = index(of: name) { return known }
        let n = names.count
        names.append(name)
        var name = name
        let hash = name.withUTF8 { key in
            bytes.append(contentsOf: key)
            return Self.hash(key)
        }
        starts.append(bytes.count)
        hashes.append(hash)
        if names.count * 2 > table.count { rebuild(size: table.count * 2) } else { place(n) }
        return n
    }

    private func matches(_ n: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = starts[n], length = starts[n + 1] - start
        guard length == key.count else { return false }
        guard length > 0 else { return true }
        return bytes.withUnsafeBufferPointer { memcmp($0.baseAddress! + start, key.baseAddress!, length) == 0 }
    }

    private mutating func place(_ n: Int) {
        let mask = table.count - 1
        var position = Int(truncatingIfNeeded: hashes[n]) & mask
        while table[position] != 0 { position = (position + 1) & mask }
        table[position] = Int32(n + 1)
    }

    private mutating func rebuild(size: Int) {
        table = Array(repeating: 0, count: size)
        for n in names.indices { place(n) }
    }

    /// Whether name number `n`'s bytes are `key`: a check that costs less than a lookup, for a name that is likely.
    @inline(__always)
    func isName(_ n: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool { matches(n, key) }

    /// A hash of the bytes eight at a time, with the length mixed in.
    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(key.count)
        guard let base = key.baseAddress else { return hash }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        while key.count - offset >= 8 {
            hash = mix(hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        if offset < key.count {
            var tail: UInt64 = 0
            for k in offset..<key.count { tail |= UInt64(base[k]) << UInt64(8 * (k - offset)) }
            hash = mix(hash ^ tail)
        }
        return hash
    }

    @inline(__always)
    private static func mix(_ value: UInt64) -> UInt64 {
        var x = value &* 0xBF58_476D_1CE4_E5B9
        x ^= x >> 31
        return x &* 0x94D0_49BB_1331_11EB
    }
}
