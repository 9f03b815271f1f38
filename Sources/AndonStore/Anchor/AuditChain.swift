import AndonCore
import Crypto
import Foundation

/// The hash chain that makes the audit log tamper-evident.
///
/// Each record's hash is the lowercase hex SHA-256 of this byte string (UTF-8 throughout):
///
///     "andon-audit-v1\n"
///     field(previousHash) field(sequence) field(wallTime) field(simTime)
///     field(actor.type) field(actor.name) field(actor.role) field(kind)
///     field(payload) field(policyHash) field(correlationID)
///
/// where `field(s)` is the decimal byte length of `s`, a colon, the bytes of `s`, and a newline
/// (`5:hello\n`), so no value can be mistaken for another whatever characters it holds;
/// `sequence` is written in decimal; `simTime` is the 16 lowercase hex digits of the IEEE 754
/// binary64 bit pattern (exact, no float formatting involved); a missing role is the empty string;
/// `kind` is its raw value (`approval_approved`). The first record's `previousHash` is 64 zeros.
public enum AuditChain {
    /// The `previousHash` of the first record: 64 zeros.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// The hash a record must carry, computed from its previous hash and its other fields.
    public static func hash(of record: AuditRecord) -> String {
        hash(previousHash: record.previousHash, sequence: record.sequence, wallTime: record.wallTime,
             simTime: record.simTime, actorType: record.actor.type, actorName: record.actor.name,
             actorRole: record.actor.role?.rawValue, kind: record.kind.rawValue, payload: record.payload,
             policyHash: record.policyHash, correlationID: record.correlationID)
    }

    /// The hash over raw field values, as stored (so rows whose kind or role no longer decode can still be checked).
    package static func hash(previousHash: String, sequence: Int64, wallTime: String, simTime: Double, actorType: String,
                     actorName: String, actorRole: String?, kind: String, payload: String, policyHash: String,
                     correlationID: String) -> String {
        // Written into one buffer without a string per field (a record's hash is taken at every commit and every
        // verified record).
        var bytes: [UInt8] = []
        bytes.reserveCapacity(320 + payload.utf8.count)
        bytes.append(contentsOf: "andon-audit-v1\n".utf8)
        appendField(previousHash, to: &bytes)
        let magnitude = sequence.magnitude
        appendDecimal(UInt64(decimalLength(magnitude) + (sequence < 0 ? 1 : 0)), to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        if sequence < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDecimal(magnitude, to: &bytes)
        bytes.append(UInt8(ascii: "\n"))
        appendField(wallTime, to: &bytes)
        bytes.append(contentsOf: "16:".utf8)
        let bits = simTime.bitPattern
        for shift in stride(from: 60, through: 0, by: -4) { bytes.append(hexDigits[Int((bits >> UInt64(shift)) & 0xF)]) }
        bytes.append(UInt8(ascii: "\n"))
        appendField(actorType, to: &bytes)
        appendField(actorName, to: &bytes)
        appendField(actorRole ?? "", to: &bytes)
        appendField(kind, to: &bytes)
        appendField(payload, to: &bytes)
        appendField(policyHash, to: &bytes)
        appendField(correlationID, to: &bytes)
        return hex(SHA256.hash(data: bytes))
    }

    /// `field(value)`: its byte length in decimal, a colon, its bytes, a newline.
    private static func appendField(_ value: String, to bytes: inout [UInt8]) {
        appendDecimal(UInt64(value.utf8.count), to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        bytes.append(contentsOf: value.utf8)
        bytes.append(UInt8(ascii: "\n"))
    }

    /// `value` in decimal digits.
    private static func appendDecimal(_ value: UInt64, to bytes: inout [UInt8]) {
        var divisor: UInt64 = 1
        while divisor <= value / 10 { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    /// How many decimal digits `value` has.
    private static func decimalLength(_ value: UInt64) -> Int {
        var length = 1
        var rest = value
        while rest >= 10 {
            rest /= 10
            length += 1
        }
        return length
    }

    /// A digest in lowercase hex.
    private static func hex(_ digest: SHA256.Digest) -> String {
        String(unsafeUninitializedCapacity: 2 * SHA256.Digest.byteCount) { buffer in
            var i = 0
            for byte in digest {
                buffer[i] = hexDigits[Int(byte >> 4)]
                buffer[i + 1] = hexDigits[Int(byte & 0x0F)]
                i += 2
            }
            return i
        }
    }

    /// SHA-256 of `text`'s UTF-8 bytes, lowercase hex.
    package static func sha256(_ text: String) -> String {
        hex(SHA256.hash(data: Array(text.utf8)))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
