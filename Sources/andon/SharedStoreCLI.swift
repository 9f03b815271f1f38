import AndonCore
import AndonStore
import AndonStorePostgres
import ArgumentParser
import Foundation

/// How the commands reach a PostgreSQL store named by `--store postgres://…`: the password from a file or
/// `PGPASSWORD` only, the stream from `--runtime`, the URL's `runtime=`, or the plant id.
enum SharedStoreCLI {
    /// The address `text` names, with its password; a URL or password source Andon does not take exits 2, saying why.
    static func address(_ text: String, passwordFile: String?, runtime: String?) throws -> SharedStoreAddress {
        do {
            var address = try SharedStoreAddress(url: text).withPassword(file: passwordFile)
            if let runtime {
                guard SharedStoreAddress.isStreamID(runtime) else {
                    printError("andon: --runtime '\(runtime)' must be 1 to 64 letters, digits, '.', '_' or '-'")
                    throw ExitCode(2)
                }
                address.runtimeID = runtime
            }
            return address
        } catch let error as SharedStoreAddressError {
            printError("andon: \(error.description)")
            throw ExitCode(2)
        }
    }

    /// Opens this runtime's stream for appending, taking the leases of its stream and of every line of `plant`.
    static func openForRun(_ address: SharedStoreAddress, plant: PlantSpec, signingKey: SigningKey?) throws -> SharedAuditStore {
        let runtimeID = address.runtimeID ?? plant.id
        guard SharedStoreAddress.isStreamID(runtimeID) else {
            printError("andon: the plant id '\(runtimeID)' is not a stream id; name one with --runtime")
            throw ExitCode(2)
        }
        return try SharedAuditStore(address: address, runtimeID: runtimeID, lines: plant.lines.map(\.id), signingKey: signingKey)
    }
}
