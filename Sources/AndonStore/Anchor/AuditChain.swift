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
        appendField(String(sequence), to: &bytes)
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

    /// `field(value)`: its byte length in decimal, a colon, its bytes, a newline. (A number's digits are a small string,
    /// kept inline without an allocation.)
    private static func appendField(_ value: String, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: String(value.utf8.count).utf8)
        bytes.append(UInt8(ascii: ":"))
        bytes.append(contentsOf: value.utf8)
        bytes.append(UInt8(ascii: "\n"))
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
